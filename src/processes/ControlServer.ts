import type { Endpoint } from './loopbackListen';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Server, Socket } from 'node:net';
import type { Cancellable, Clock } from '../util';
import { FramedSocket } from './FramedSocket';
import { listenEphemeralLoopback } from './ephemeralLoopback';
import { isFrame, type NodeToHarness } from './protocol';

/** A fresh per-run token for control channels and node-to-node links (32 random bytes, hex). */
export function createRunToken(): string {
  return randomBytes(32).toString('hex');
}

/** The first frame of an authenticated control connection. */
export type ControlHello = Extract<NodeToHarness, { type: 'hello' }>;

/**
 * The harness's end of the control channel: a loopback listener that accepts a node process's
 * connection only when its first frame is a hello with the run's token, within `helloTimeoutMs`.
 * Anything else is closed and reported to `onRefused` with the reason.
 */
export class ControlServer {
  private server: Server | null = null;
  private readonly unauthenticated = new Map<Socket, Cancellable>();
  private readonly token: Buffer;

  constructor(
    token: string,
    private readonly clock: Clock,
    private readonly helloTimeoutMs: number,
    private readonly onConnection: (control: FramedSocket, hello: ControlHello) => void,
    private readonly onRefused: (reason: string) => void,
  ) {
    this.token = Buffer.from(token);
  }

  /** Starts listening (once) and returns the address node processes dial. */
  async listen(): Promise<Endpoint> {
    if (this.server === null) {
      const { server } = await listenEphemeralLoopback();
      server.removeAllListeners('connection');
      server.on('connection', (socket: Socket) => this.accept(socket));
      this.server = server;
    }
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('The control listener has no TCP address.');
    return { host: address.address, port: address.port };
  }

  /** Stops listening and closes connections that never authenticated; resolves once the listener is closed. */
  async close(): Promise<void> {
    for (const [socket, timer] of this.unauthenticated) {
      timer.cancel();
      socket.destroy();
    }
    this.unauthenticated.clear();
    const server = this.server;
    this.server = null;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const control = new FramedSocket(socket);
    const settle = (): void => {
      this.unauthenticated.get(socket)?.cancel();
      this.unauthenticated.delete(socket);
    };
    const refuse = (reason: string): void => {
      settle();
      control.destroy();
      this.onRefused(`Refused a control connection from ${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}: ${reason}.`);
    };
    this.unauthenticated.set(socket, this.clock.schedule(this.helloTimeoutMs, () => refuse(`it sent no hello within ${this.helloTimeoutMs} ms`)));
    control.onClose(settle);
    control.onFrame((frame) => {
      if (!this.unauthenticated.has(socket)) return;
      if (!isFrame(frame) || frame.type !== 'hello') return refuse('its first frame was not a hello');
      const hello = frame as ControlHello;
      if (!this.tokenMatches(hello.token)) return refuse(`it presented a wrong token (process ${String(hello.pid)})`);
      settle();
      this.onConnection(control, hello);
    });
  }

  private tokenMatches(token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const given = Buffer.from(token);
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }
}
