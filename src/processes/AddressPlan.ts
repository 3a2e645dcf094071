import { randomInt } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { formatEndpoint, type Endpoint } from './loopbackListen';

/** Options of `AddressPlan.create`; both exist for tests. */
export interface AddressPlanOptions {
  /** Default `process.platform`: per-role addresses are used on Linux only. */
  readonly platform?: NodeJS.Platform;
  /**
   * Default `crypto.randomInt`. Deliberately not the run's seeded RNG: two Jest workers running
   * files with the same seed must still get different addresses.
   */
  readonly randomInt?: (maxExclusive: number) => number;
}

/**
 * The addresses of one test file's nodes and proxies, loopback only, never a fixed port.
 *
 * On Linux the whole 127.0.0.0/8 is loopback, so each plan takes a random /24 block 127.A.B.0
 * (A in 1..254, B in 0..255: one of 65,024) and gives role i the host 127.A.B.(i+1) and the proxies
 * 127.A.B.254. Ports are chosen by binding port 0 on that host and closing the probe. The node
 * binds the port later, so another process could take it in between; on such a host only a
 * listener on the same address can clash (connections to 127/8 leave from 127.0.0.1), which means
 * another plan in the same block: one chance in 65,024 per pair of files running at once, and then
 * a clash on the port as well. Elsewhere (macOS configures 127.0.0.1 only) every role gets
 * 127.0.0.1 with its own port; there the remaining race is the kernel handing the same ephemeral
 * port to another process in that instant, which it avoids by cycling through its range. A lost
 * race shows as the node's own EADDRINUSE in the start error, never as a silent mix-up.
 */
export class AddressPlan {
  private readonly given = new Set<string>();

  private constructor(
    /** Each role's node endpoint (its `MULTINODE_HOST` and `MULTINODE_PORT`), kept across restarts. */
    readonly nodes: ReadonlyMap<string, Endpoint>,
    /** The host of the proxies' `freeAddress()`es. */
    readonly proxyHost: string,
  ) {
    for (const endpoint of nodes.values()) this.given.add(formatEndpoint(endpoint));
  }

  /** Plans a free endpoint for every role (at most 32 roles). */
  static async create(roles: readonly string[], options: AddressPlanOptions = {}): Promise<AddressPlan> {
    const random = options.randomInt ?? ((max: number) => randomInt(max));
    const platform = options.platform ?? process.platform;
    let hosts = roles.map(() => '127.0.0.1');
    let proxyHost = '127.0.0.1';
    if (platform === 'linux') {
      const prefix = `127.${1 + random(254)}.${random(256)}`;
      const own = roles.map((_role, index) => `${prefix}.${index + 1}`);
      if (await canBind(own[0])) {
        hosts = own;
        proxyHost = `${prefix}.254`;
      }
    }
    // Probes stay open until every port is known, so two roles on one host never get the same port.
    const probes = await Promise.all(hosts.map((host) => listenOnFreePort(host)));
    const nodes = new Map<string, Endpoint>();
    roles.forEach((role, index) => nodes.set(role, { host: hosts[index], port: portOf(probes[index]) }));
    await Promise.all(probes.map(closeServer));
    return new AddressPlan(nodes, proxyHost);
  }

  /** The endpoint of `role`'s node; throws for a role that is not in the plan. */
  nodeEndpoint(role: string): Endpoint {
    const endpoint = this.nodes.get(role);
    if (endpoint === undefined) throw new Error(`Role '${role}' has no address in this plan; the roles are ${[...this.nodes.keys()].map((r) => `'${r}'`).join(', ')}.`);
    return endpoint;
  }

  /** A free endpoint on `host` (default the proxies' host) that this plan has not handed out before. */
  async freeAddress(host: string = this.proxyHost): Promise<Endpoint> {
    for (;;) {
      const probe = await listenOnFreePort(host);
      const endpoint = { host, port: portOf(probe) };
      await closeServer(probe);
      const key = formatEndpoint(endpoint);
      if (!this.given.has(key)) {
        this.given.add(key);
        return endpoint;
      }
    }
  }
}

function listenOnFreePort(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`A probe server has no TCP address (${String(address)}).`);
  return address.port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function canBind(host: string): Promise<boolean> {
  try {
    await closeServer(await listenOnFreePort(host));
    return true;
  } catch {
    return false;
  }
}
