import type { Endpoint } from './loopbackListen';
import { connect, type Socket } from 'node:net';
import type { Cancellable, Clock } from '../util';
import { encodeFrame } from './frames';
import type { PeerHello } from './protocol';

/** A frame waiting for its release time (a delay fault) or for the frames before it. */
interface Held {
  readonly releaseAt: number;
  readonly frame: Buffer;
}

/**
 * The sending half of one directed link: one TCP connection to the peer's listener, dialled on the
 * first send and again after it breaks, and a queue that keeps the link's order when delay faults
 * hold messages. A message never overtakes one sent before it on the same link: its release time is
 * at least the previous one's. What is written into a connection that then breaks is lost, as on a
 * network; the next send dials again.
 */
export class PeerLink {
  private socket: Socket | null = null;
  private address: Endpoint | null = null;
  private readonly held: Held[] = [];
  private lastReleaseAt = 0;
  private timer: Cancellable | null = null;
  private closed = false;

  constructor(
    private readonly hello: PeerHello,
    private readonly clock: Clock,
  ) {}

  /** Points the link at a new listener (a restarted peer); an open connection to the old one is dropped. */
  setAddress(address: Endpoint | null): void {
    if (address?.host === this.address?.host && address?.port === this.address?.port) return;
    this.address = address;
    this.dropSocket();
  }

  /** True when the link knows where its peer listens. */
  get reachable(): boolean {
    return this.address !== null;
  }

  /** Queues an encoded envelope to leave no earlier than `releaseAt` and after every earlier one. */
  send(frame: Buffer, releaseAt: number): void {
    if (this.closed) return;
    const at = Math.max(releaseAt, this.lastReleaseAt);
    this.lastReleaseAt = at;
    if (this.held.length === 0 && at <= this.clock.now()) {
      this.write(frame);
      return;
    }
    this.held.push({ releaseAt: at, frame });
    this.arm();
  }

  /** Drops the connection and every held frame, and cancels the timer; the link cannot send after this. */
  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = null;
    this.held.length = 0;
    this.dropSocket();
  }

  private arm(): void {
    if (this.timer !== null || this.held.length === 0) return;
    this.timer = this.clock.schedule(this.held[0]!.releaseAt - this.clock.now(), () => {
      this.timer = null;
      const now = this.clock.now();
      while (this.held.length > 0 && this.held[0]!.releaseAt <= now) this.write(this.held.shift()!.frame);
      this.arm();
    });
  }

  private write(frame: Buffer): void {
    const socket = this.socket ?? this.dial();
    socket?.write(frame);
  }

  private dial(): Socket | null {
    if (this.address === null || this.closed) return null;
    const socket = connect({ host: this.address.host, port: this.address.port });
    socket.setNoDelay(true);
    // A peer that is gone refuses or resets: the link forgets the socket and dials on the next send.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
    });
    socket.write(encodeFrame(this.hello));
    this.socket = socket;
    return socket;
  }

  private dropSocket(): void {
    this.socket?.destroy();
    this.socket = null;
  }
}
