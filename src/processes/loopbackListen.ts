import { BlockList, isIP, type Server } from 'node:net';
import { describeValue } from '../util';
import { ProxyAddressInUseError, ProxyHostError, ProxyListenError } from './proxyErrors';

/** Where a socket listens or is dialled: a literal IP address and a TCP port. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/**
 * Whether `host` is a literal loopback address: IPv4 127.0.0.0/8 (also IPv4-mapped IPv6) or `::1`.
 * Names such as `localhost` are refused: what they resolve to depends on the machine.
 */
export function isLoopbackHost(host: string): boolean {
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** `host:port` as MULTINODE_PEERS carries it; IPv6 hosts in brackets (`[::1]:4000`). */
export function formatEndpoint(endpoint: Endpoint): string {
  return isIP(endpoint.host) === 6 ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}

/** Throws `ProxyHostError` unless `host` is a literal loopback address; `what` names the listener. */
export function assertLoopbackHost(host: unknown, what: string): asserts host is string {
  if (typeof host === 'string' && isLoopbackHost(host)) return;
  throw new ProxyHostError(
    `${what} must listen on a loopback address, so that nothing is reachable from beyond this machine; it was given host ${describeValue(host)}. Use 127.0.0.1 (or another address in 127.0.0.0/8) or ::1.`,
  );
}

/**
 * Starts `server` listening on `host:port` (port 0: a free port chosen by the OS) and resolves with
 * the address it got. Rejects with `ProxyHostError` before binding for a host that is not loopback,
 * `ProxyAddressInUseError` when the address is taken and `ProxyListenError` otherwise; the server is
 * left closed on failure.
 */
export async function listenLoopback(server: Server, host: string, port: number, what: string): Promise<Endpoint> {
  assertLoopbackHost(host, what);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ProxyListenError(`${what} needs a port from 0 (any free port) to 65535; it was given ${describeValue(port)}.`);
  }
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(listenError(error, host, port, what));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // exclusive: a port that another process (or cluster worker) holds is in use, never shared.
    server.listen({ host, port, exclusive: true });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    server.close();
    throw new ProxyListenError(`${what} listened on ${host}:${port} but the server reports no TCP address (${describeValue(address)}).`);
  }
  return { host, port: address.port };
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number, what: string): Error {
  const at = formatEndpoint({ host, port });
  if (error.code === 'EADDRINUSE') {
    return new ProxyAddressInUseError(`${what} cannot listen on ${at}: the address is already in use. Give port 0 to let the OS choose a free port.`);
  }
  return new ProxyListenError(`${what} cannot listen on ${at}: ${error.code ?? 'error'} (${error.message}).`);
}
