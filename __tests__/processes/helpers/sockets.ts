import { EventEmitter as EventEmitterClass, type EventEmitter } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** Generous deadline for socket events on a loaded 2-core machine. */
export const EVENT_DEADLINE_MS = 10_000;

/**
 * Resolves once `check()` holds, re-checking whenever one of `sources` emits one of `events`
 * (and at once); rejects naming `what` after `timeoutMs`.
 */
export function until(check: () => boolean, sources: readonly EventEmitter[], events: readonly string[], what: string, timeoutMs = EVENT_DEADLINE_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      for (const source of sources) for (const event of events) source.off(event, onEvent);
    };
    const onEvent = (): void => {
      if (!check()) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`));
    }, timeoutMs);
    for (const source of sources) for (const event of events) source.on(event, onEvent);
    // Listeners run in registration order, so a check after the socket's own bookkeeping sees its update.
    queueMicrotask(onEvent);
  });
}

const SOCKET_EVENTS = ['data', 'end', 'close', 'error', 'connect'];

/** One end of a TCP connection that records everything it sees. */
export class Peer {
  private chunks: Buffer[] = [];
  /** How many bytes have arrived. */
  received = 0;
  ended = false;
  closed = false;
  error: NodeJS.ErrnoException | null = null;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.received += chunk.length;
    });
    socket.on('end', () => (this.ended = true));
    socket.on('error', (error: NodeJS.ErrnoException) => (this.error = error));
    socket.on('close', () => (this.closed = true));
  }

  /** Every byte that has arrived. */
  get data(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  get text(): string {
    return this.data.toString('utf8');
  }

  /** Whether the connection was reset (ECONNRESET) rather than ended. */
  get wasReset(): boolean {
    return this.error?.code === 'ECONNRESET';
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Waits until at least `bytes` bytes have arrived. */
  receive(bytes: number, what = `${bytes} bytes`): Promise<void> {
    return until(() => this.received >= bytes, [this.socket], SOCKET_EVENTS, what);
  }

  /** Waits until at least `bytes` bytes have arrived or the socket is closed; returns whether they arrived. */
  async receiveOrClose(bytes: number): Promise<boolean> {
    await until(() => this.received >= bytes || this.closed, [this.socket], SOCKET_EVENTS, `${bytes} bytes or the end of the connection`);
    return this.received >= bytes;
  }

  /** Waits until the other side has ended its stream. */
  waitEnded(): Promise<void> {
    return until(() => this.ended, [this.socket], SOCKET_EVENTS, 'the end of the stream');
  }

  /** Waits until the socket is closed (ended or reset). */
  waitClosed(what = 'the socket to close'): Promise<void> {
    return until(() => this.closed, [this.socket], SOCKET_EVENTS, what);
  }

  /** Sends `text` and waits for that many more bytes (an echo's reply); returns them. */
  async roundTrip(text: string): Promise<string> {
    const before = this.received;
    this.send(text);
    await this.receive(before + Buffer.byteLength(text), `the echo of ${JSON.stringify(text)}`);
    return this.data.subarray(before).toString('utf8');
  }
}

/** Opens a connection to `port` on loopback and waits until it is connected. */
export async function dial(port: number, host = '127.0.0.1'): Promise<Peer> {
  const peer = new Peer(connect({ host, port, noDelay: true, allowHalfOpen: true }));
  await until(() => !peer.socket.connecting || peer.closed, [peer.socket], SOCKET_EVENTS, `a connection to ${host}:${port}`);
  return peer;
}

/** A real service to proxy to: records every connection it accepts; echoes when asked to. */
export class Target {
  readonly peers: Peer[] = [];

  private constructor(
    readonly server: Server,
    readonly port: number,
  ) {}

  /** Starts a target on 127.0.0.1 with an OS-chosen port. */
  static async start(options: { echo: boolean }): Promise<Target> {
    const server = createServer({ allowHalfOpen: true, noDelay: true });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const target = new Target(server, address.port);
    server.on('connection', (socket) => {
      const peer = new Peer(socket);
      if (options.echo) socket.on('data', (chunk: Buffer) => socket.write(chunk));
      target.peers.push(peer);
      server.emit('peer', peer);
    });
    return target;
  }

  get endpoint(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.port };
  }

  /** Waits for the `n`-th accepted connection (from 1). */
  async peer(n: number): Promise<Peer> {
    await until(() => this.peers.length >= n, [this.server], ['peer'], `connection ${n} to the target`);
    return this.peers[n - 1]!;
  }

  /** Ends every connection and the server. */
  async close(): Promise<void> {
    for (const peer of this.peers) peer.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The number of TCP handles (servers and sockets) this process holds open. */
export function openTcpHandles(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap' || kind === 'TCPSocketWrap').length;
}

/** Records proxy events and lets a test wait for one; emits 'event' on each. */
export class EventLog<E extends { type: string }> extends EventEmitterClass {
  readonly events: E[] = [];

  /** The listener to give the proxy. */
  readonly listener = (event: E): void => {
    this.events.push(event);
    this.emit('event');
  };

  /** Events of `type`. */
  of<T extends E['type']>(type: T): Array<Extract<E, { type: T }>> {
    return this.events.filter((event): event is Extract<E, { type: T }> => event.type === type);
  }

  /** Waits for an event of `type` that matches `match`, and returns it. */
  async next<T extends E['type']>(type: T, match: (event: Extract<E, { type: T }>) => boolean = () => true): Promise<Extract<E, { type: T }>> {
    const find = (): Extract<E, { type: T }> | undefined => this.of(type).find(match);
    await until(() => find() !== undefined, [this], ['event'], `a '${type}' proxy event`);
    return find()!;
  }
}

/**
 * Waits until this process holds at most `count` TCP handles (a closed handle is released in a later
 * turn of the event loop) and returns the number it holds; gives up after the deadline.
 */
export async function tcpHandlesDownTo(count: number, timeoutMs = EVENT_DEADLINE_MS): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (openTcpHandles() > count && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  return openTcpHandles();
}

/** Polls `check` every few milliseconds until it holds; rejects naming `what` after the deadline. */
export async function pollUntil(check: () => boolean, what: string, timeoutMs = EVENT_DEADLINE_MS): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
