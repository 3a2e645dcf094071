import { createServer, type Server, type Socket } from 'node:net';
import { describeValue, systemClock, type Clock, type Rng } from '../util';
import type { FaultReader } from './faultReader';
import { formatEndpoint, listenLoopback, type Endpoint } from './loopbackListen';
import type { ProxyEventListener } from './proxyEvents';
import { ProxyTargetError } from './proxyErrors';
import { resolveProxySettings, type ProxySettings } from './proxySettings';
import { ProxyConnection, type ConnectionHost } from './ProxyConnection';

/** How to start a `FaultProxy`. */
export interface FaultProxyOptions {
  /** The role that dials through this proxy (its MULTINODE_PEERS entry for `target` points here). */
  readonly dialer: string;
  /** The role this proxy leads to. */
  readonly target: string;
  /** The target's real endpoint; `setTarget` changes it for later connections. */
  readonly targetEndpoint: Endpoint;
  /** The live fault state, read on every connection and every chunk. */
  readonly faults: FaultReader;
  /** Draws delays and drops; each connection and direction forks its own stream from it. */
  readonly rng: Rng;
  /** A literal loopback address to listen on; default `127.0.0.1`. */
  readonly host?: string;
  /** The port to listen on; default 0: a free port chosen by the OS. */
  readonly port?: number;
  /** Times events and delays; default the real clock. */
  readonly clock?: Clock;
  /** Receives connection and chunk events (see `ProxyEvent`); leave it out and nothing is built. */
  readonly onEvent?: ProxyEventListener;
  /** Overrides of `PROXY_SETTINGS.defaults`. */
  readonly settings?: Partial<ProxySettings>;
}

/**
 * A TCP proxy for one ordered pair of roles, as toxiproxy is for one upstream: every connection the
 * dialer opens to `address` is forwarded to the target's real endpoint, with the faults between the
 * two roles applied to each connection (see API.md, "Processes mode"). Faults are read live from a
 * `FaultReader`; after each fault command call `faultsChanged()` so that open connections a new
 * partition or crash cuts, or a healed blackhole had corrupted, are reset at once.
 */
export class FaultProxy {
  /** The role that dials through this proxy. */
  readonly dialer: string;
  /** The role this proxy leads to. */
  readonly target: string;
  /** Where the proxy listens: give it to the dialer as the target's address. */
  readonly address: Endpoint;
  private targetAt: Endpoint;
  private readonly connections = new Set<ProxyConnection>();
  private readonly host: ConnectionHost;
  private readonly rng: Rng;
  private accepted = 0;
  private closing: Promise<void> | null = null;

  /**
   * Starts a proxy listening on loopback. Rejects with `ProxyHostError` for a host that is not a
   * literal loopback address, `ProxyAddressInUseError` for a taken port, `ProxyTargetError` for a
   * malformed target and `ProxySettingsError` for bad settings.
   */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const settings = resolveProxySettings(options.settings);
    checkEndpoint(options.targetEndpoint, `The target endpoint of the fault proxy ${options.dialer} -> ${options.target}`);
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true });
    const address = await listenLoopback(server, options.host ?? '127.0.0.1', options.port ?? 0, `The fault proxy ${options.dialer} -> ${options.target}`);
    return new FaultProxy(options, settings, server, address);
  }

  private constructor(
    options: FaultProxyOptions,
    settings: ProxySettings,
    private readonly server: Server,
    address: Endpoint,
  ) {
    this.dialer = options.dialer;
    this.target = options.target;
    this.address = address;
    this.targetAt = options.targetEndpoint;
    this.rng = options.rng;
    this.host = {
      dialer: options.dialer,
      target: options.target,
      clock: options.clock ?? systemClock,
      faults: options.faults,
      maxHeldBytes: settings.maxHeldBytes,
      connectTimeoutMs: settings.connectTimeoutMs,
      listener: options.onEvent,
      done: (connection) => this.connections.delete(connection),
    };
    server.on('connection', (socket: Socket) => this.accept(socket));
    // Accept errors (e.g. EMFILE) concern one connection that never existed; the server keeps listening.
    server.on('error', () => undefined);
  }

  /** `host:port` of `address`, as MULTINODE_PEERS carries it. */
  get peerAddress(): string {
    return formatEndpoint(this.address);
  }

  /** The target's real endpoint that new connections are forwarded to. */
  get targetEndpoint(): Endpoint {
    return this.targetAt;
  }

  /** Whether the proxy still accepts connections (false once `close()` was called). */
  get listening(): boolean {
    return this.server.listening;
  }

  /** How many connections are open or being dialled. */
  get openConnections(): number {
    return this.connections.size;
  }

  /** Forwards later connections to `endpoint` (e.g. a restarted node on a new port); open ones stay. */
  setTarget(endpoint: Endpoint): void {
    checkEndpoint(endpoint, `The target endpoint of the fault proxy ${this.dialer} -> ${this.target}`);
    this.targetAt = endpoint;
  }

  /**
   * Applies a fault change to open connections: resets those whose pair is now partitioned or whose
   * dialer or target node is not running, and those on which a blackhole that is now healed discarded
   * bytes. New connections and chunks read the fault state anyway; this is for connections at rest.
   */
  faultsChanged(): void {
    for (const connection of [...this.connections]) connection.faultsChanged();
  }

  /** Stops listening and resets every connection; resolves once the server and every socket are closed. Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      const serverClosed = new Promise<void>((done) => this.server.close(() => done()));
      const open = [...this.connections];
      for (const connection of open) connection.reset('closing');
      void Promise.all([serverClosed, ...open.map((connection) => connection.closed)]).then(() => resolve());
    });
    return this.closing;
  }

  private accept(socket: Socket): void {
    const id = ++this.accepted;
    const connection = new ProxyConnection(this.host, id, socket, this.rng.fork(`connection ${id}`));
    this.connections.add(connection);
    connection.start(this.targetAt, this.closing !== null);
  }
}

function checkEndpoint(endpoint: Endpoint, what: string): void {
  const { host, port } = (endpoint ?? {}) as Partial<Endpoint>;
  if (typeof host !== 'string' || host === '' || typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ProxyTargetError(`${what} must be { host, port } with a host address and a port from 1 to 65535; it was given ${describeValue(endpoint)}.`);
  }
}
