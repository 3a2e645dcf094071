import type { Server, Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';
import { FaultTable, LINK_BLACKHOLED, LINK_PARTITIONED, UnknownRoleError, previewOf, type TraceBuffer } from '../harness';
import { HandlerSet, toUncloneableError, type ClosableTransport, type MessageHandler } from '../transport';
import type { Cancellable, Clock, Rng } from '../util';
import { FrameDecoder, encodeFrame } from './frames';
import { PeerLink } from './PeerLink';
import { isFrame, type PeerAddresses, type PeerEnvelope, type PeerFrame } from './protocol';

/** Why a message was not sent, as the trace names it. */
type DropReason = 'partition' | 'blackhole' | 'drop' | 'crashed';

/** What a node process's transport is built from. */
export interface TcpTransportOptions {
  readonly role: string;
  /** The listener peers dial, already listening on loopback (see `listenLoopback`); closed with the transport. */
  readonly server: Server;
  readonly roles: readonly string[];
  /** The run's token: peers present it when they dial, and a connection without it is refused. */
  readonly linkToken: string;
  readonly clock: Clock;
  /** Draws drop and delay faults; seeded per role and incarnation. */
  readonly rng: Rng;
  /** Records both halves of every message, with this process's Lamport clock. */
  readonly trace: TraceBuffer;
  /** Called after each record, so the owner can ship the batch soon. */
  readonly onRecord?: () => void;
  /** Called for a refused connection (wrong token, unknown role, malformed frame). */
  readonly onRefused?: (reason: string) => void;
}

/**
 * `ctx.transport` of a node in its own process: it listens on a loopback port for its peers and
 * dials each peer's listener (one connection per directed link). Faults apply here, at the sender,
 * from this process's replica of the fault table, which the harness updates with `applyFaults`:
 * partition and blackhole drop, delay holds (seeded, keeping the link's order), drop discards with
 * a seeded probability, and a crashed or departed peer (or one with no process) gets nothing.
 */
export class TcpTransport implements ClosableTransport {
  private readonly indexOf = new Map<string, number>();
  private readonly selfIndex: number;
  private readonly table: FaultTable;
  private readonly links = new Map<string, PeerLink>();
  private readonly handlers = new HandlerSet();
  private readonly sockets = new Set<Socket>();
  private readonly pending = new Set<Cancellable>();
  private seq = 0;
  private closed = false;

  constructor(private readonly options: TcpTransportOptions) {
    options.roles.forEach((role, index) => this.indexOf.set(role, index));
    this.selfIndex = this.indexOf.get(options.role) ?? -1;
    this.table = new FaultTable(options.roles.length);
    for (const peer of options.roles) {
      if (peer !== options.role) this.links.set(peer, new PeerLink({ type: 'peer-hello', from: options.role, token: options.linkToken }, options.clock));
    }
    // Connections accepted before the node existed were refused; from now on they are served.
    options.server.removeAllListeners('connection');
    options.server.on('connection', (socket: Socket) => this.accept(socket));
  }

  /** This node's address: its role. */
  get self(): string {
    return this.options.role;
  }

  /** Where each peer listens now; a peer whose address changed (restarted) is dialled anew. */
  setPeers(peers: PeerAddresses): void {
    for (const [peer, link] of this.links) link.setAddress(peers[peer] ?? null);
  }

  /** Replaces the fault replica with the harness's snapshot (see `faultSnapshot`). */
  applyFaults(cells: Int32Array): void {
    new Int32Array(this.table.buffer).set(cells);
  }

  /** See `Transport.send`: faults apply here, programming errors throw. */
  send(to: string, message: unknown): void {
    const toIndex = this.indexOf.get(to);
    if (toIndex === undefined) throw new UnknownRoleError([to], this.options.roles, `transport.send from '${this.self}'`);
    if (this.closed) return;
    const { clock, trace } = this.options;
    const envelope: PeerEnvelope = { type: 'msg', seq: ++this.seq, lamport: trace.tick(), payload: message };
    const time = clock.now();
    let frame: Buffer;
    try {
      // Encoded even when the message is then dropped: an uncloneable message is a bug, faults or not.
      frame = to === this.self ? serialize(message) : encodeFrame(envelope);
    } catch (error) {
      throw toUncloneableError(to, message, error);
    }
    if (to === this.self) {
      const handle = this.schedule(0, () => this.deliver(this.self, { ...envelope, payload: deserialize(frame) }));
      this.pending.add(handle);
      this.record(to, envelope, time, null, 0, message);
      return;
    }
    const dropped = this.faultFor(to, toIndex);
    if (dropped !== null) {
      this.record(to, envelope, time, dropped, 0, message);
      return;
    }
    const faults = this.table.linkFaults(this.selfIndex, toIndex);
    const delayMs = faults.delayMaxMs > 0 ? faults.delayMinMs + this.options.rng.next() * (faults.delayMaxMs - faults.delayMinMs) : 0;
    this.links.get(to)!.send(frame, time + delayMs);
    this.record(to, envelope, time, null, delayMs, message);
  }

  /** See `Transport.onMessage`. */
  onMessage(handler: MessageHandler): () => void {
    return this.handlers.subscribe(handler);
  }

  /** Stops listening, closes every connection and drops held messages; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    for (const handle of this.pending) handle.cancel();
    this.pending.clear();
    for (const link of this.links.values()) link.close();
    for (const socket of this.sockets) socket.destroy();
    this.options.server.close();
  }

  private faultFor(to: string, toIndex: number): DropReason | null {
    if (this.table.nodeState(this.selfIndex) !== 'running' || this.table.nodeState(toIndex) !== 'running') return 'crashed';
    if (!this.links.get(to)!.reachable) return 'crashed';
    const faults = this.table.linkFaults(this.selfIndex, toIndex);
    if (faults.flags & LINK_PARTITIONED) return 'partition';
    if (faults.flags & LINK_BLACKHOLED) return 'blackhole';
    if (faults.dropProbability > 0 && this.options.rng.next() < faults.dropProbability) return 'drop';
    return null;
  }

  private schedule(delayMs: number, fn: () => void): Cancellable {
    const handle = this.options.clock.schedule(delayMs, () => {
      this.pending.delete(handle);
      fn();
    });
    return handle;
  }

  private accept(socket: Socket): void {
    if (this.closed) return void socket.destroy();
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const decoder = new FrameDecoder();
    let from: string | null = null;
    const refuse = (reason: string): void => {
      this.options.onRefused?.(reason);
      socket.destroy();
    };
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      let frames: unknown[];
      try {
        frames = decoder.push(chunk);
      } catch (error) {
        return refuse(`a malformed frame from ${from === null ? 'an unknown dialler' : `role '${from}'`}: ${(error as Error).message}`);
      }
      for (const frame of frames) {
        if (socket.destroyed) return;
        if (!isFrame(frame)) return refuse('a frame that is not a link message');
        const peerFrame = frame as PeerFrame;
        if (from === null) {
          if (peerFrame.type !== 'peer-hello' || peerFrame.token !== this.options.linkToken) return refuse('a link connection without the run\'s token');
          if (!this.indexOf.has(peerFrame.from)) return refuse(`a link connection from unknown role '${peerFrame.from}'`);
          from = peerFrame.from;
        } else if (peerFrame.type === 'msg') {
          this.deliver(from, peerFrame);
        }
      }
    });
  }

  private deliver(from: string, envelope: PeerEnvelope): void {
    if (this.closed) return;
    const { trace, clock } = this.options;
    const lamport = from === this.self ? trace.tick() : trace.receive(envelope.lamport);
    trace.message({ type: 'msg-recv', time: clock.now(), role: this.self, lamport, from, seq: envelope.seq });
    this.options.onRecord?.();
    this.handlers.deliver(from, envelope.payload);
  }

  private record(to: string, envelope: PeerEnvelope, time: number, dropped: DropReason | null, delayMs: number, message: unknown): void {
    const { trace } = this.options;
    trace.message({ type: 'msg-send', time, role: this.self, lamport: envelope.lamport, test: trace.currentTest, to, seq: envelope.seq, dropped, delayMs, preview: previewOf(message) });
    this.options.onRecord?.();
  }
}
