import type { Socket } from 'node:net';
import { LINK_BLACKHOLED, LINK_PARTITIONED } from '../harness';
import type { Cancellable, Clock, Rng } from '../util';
import type { FaultReader } from './faultReader';
import type { ChunkFate, ProxyResetReason } from './proxyEvents';

/** What a pipe needs from its connection. */
export interface PipeOwner {
  readonly clock: Clock;
  readonly faults: FaultReader;
  readonly maxHeldBytes: number;
  /** Resets the whole connection (both sockets). */
  reset(reason: ProxyResetReason): void;
  /** Reports a chunk; called only when someone listens. */
  readonly chunk: ((from: string, to: string, bytes: number, fate: ChunkFate, delayMs: number) => void) | undefined;
}

/** A chunk held for `delay`, or the end of the stream (`null`) queued behind held chunks. */
interface Held {
  readonly chunk: Buffer | null;
  readonly releaseAt: number;
}

/**
 * One direction of a proxied connection, `from -> to`: reads chunks from `source`, applies the link's
 * faults as they are when each chunk arrives, and writes to `sink`. A chunk is never hurried or
 * reordered: a chunk that is not delayed still waits behind the chunks held before it, and a held
 * chunk keeps its delay when the fault is healed (as messages in flight do in threads mode).
 */
export class ProxyPipe {
  /** True once bytes (or the end of the stream) were discarded by a blackhole on this direction. */
  discarded = false;
  private readonly queue: Held[] = [];
  private heldBytes = 0;
  private lastReleaseAt = 0;
  private timer: Cancellable | null = null;
  private sinkFull = false;
  private heldFull = false;
  private stopped = false;

  constructor(
    private readonly owner: PipeOwner,
    private readonly source: Socket,
    private readonly sink: Socket,
    /** The role whose bytes flow in this direction. */
    readonly from: string,
    /** The role they flow to. */
    readonly to: string,
    private readonly rng: Rng,
  ) {}

  /** Starts reading from the source. */
  start(): void {
    this.source.on('data', (chunk: Buffer) => this.onData(chunk));
    this.source.on('end', () => this.onEnd());
    this.sink.on('drain', () => {
      this.sinkFull = false;
      this.resumeIfRoom();
    });
    // An accepted socket starts paused (the proxy's server pauses on connect until the target answers).
    this.source.resume();
  }

  /** Whether this direction discarded bytes under a blackhole that is no longer in force. */
  healedAfterDiscard(): boolean {
    return this.discarded && (this.owner.faults.linkFaults(this.from, this.to).flags & LINK_BLACKHOLED) === 0;
  }

  /** Drops whatever is held and cancels the timer; the pipe does nothing after this. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    this.queue.length = 0;
    this.heldBytes = 0;
  }

  private onData(chunk: Buffer): void {
    if (this.stopped) return;
    const faults = this.owner.faults.linkFaults(this.from, this.to);
    if ((faults.flags & LINK_PARTITIONED) !== 0) return this.owner.reset('partition');
    const blackholed = (faults.flags & LINK_BLACKHOLED) !== 0;
    if (this.discarded && !blackholed) return this.owner.reset('blackhole-healed');
    if (faults.dropProbability > 0 && this.rng.next() < faults.dropProbability) return this.owner.reset('drop');
    if (blackholed) {
      this.discarded = true;
      this.owner.chunk?.(this.from, this.to, chunk.length, 'discarded', 0);
      return;
    }
    const delayMs = faults.delayMaxMs > 0 ? faults.delayMinMs + this.rng.next() * (faults.delayMaxMs - faults.delayMinMs) : 0;
    if (delayMs <= 0 && this.queue.length === 0) {
      this.write(chunk);
      this.owner.chunk?.(this.from, this.to, chunk.length, 'forwarded', 0);
      return;
    }
    const heldMs = this.hold(chunk, delayMs);
    this.owner.chunk?.(this.from, this.to, chunk.length, 'delayed', heldMs);
  }

  /** The source ended its stream: pass the end on behind the held chunks, unless it is blackholed. */
  private onEnd(): void {
    if (this.stopped) return;
    const { flags } = this.owner.faults.linkFaults(this.from, this.to);
    if ((flags & LINK_PARTITIONED) !== 0) return this.owner.reset('partition');
    if (this.discarded || (flags & LINK_BLACKHOLED) !== 0) {
      // The other side never sees the end of a stream it did not get whole; healing resets it.
      this.discarded = true;
      return;
    }
    if (this.queue.length === 0) this.sink.end();
    else this.hold(null, 0);
  }

  /** Queues `chunk` for at least `delayMs`, behind every chunk held before it; returns how long it waits. */
  private hold(chunk: Buffer | null, delayMs: number): number {
    const now = this.owner.clock.now();
    const releaseAt = Math.max(now + delayMs, this.lastReleaseAt);
    this.lastReleaseAt = releaseAt;
    this.queue.push({ chunk, releaseAt });
    if (chunk !== null) {
      this.heldBytes += chunk.length;
      if (this.heldBytes > this.owner.maxHeldBytes && !this.heldFull) {
        this.heldFull = true;
        this.source.pause();
      }
    }
    if (this.timer === null) this.arm(now);
    return releaseAt - now;
  }

  private arm(now: number): void {
    const head = this.queue[0];
    if (head === undefined) return;
    // Timers can fire a little early against the clock (libuv's loop time is cached): re-arm until due.
    this.timer = this.owner.clock.schedule(Math.max(0, head.releaseAt - now), () => this.release());
  }

  private release(): void {
    this.timer = null;
    if (this.stopped) return;
    const now = this.owner.clock.now();
    let count = 0;
    while (count < this.queue.length && this.queue[count]!.releaseAt <= now) {
      const { chunk } = this.queue[count]!;
      count++;
      if (chunk === null) this.sink.end();
      else {
        this.heldBytes -= chunk.length;
        this.write(chunk);
      }
    }
    this.queue.splice(0, count);
    if (this.heldFull && this.heldBytes <= this.owner.maxHeldBytes / 2) {
      this.heldFull = false;
      this.resumeIfRoom();
    }
    if (this.queue.length > 0) this.arm(now);
  }

  private write(chunk: Buffer): void {
    if (!this.sink.write(chunk) && !this.sinkFull) {
      this.sinkFull = true;
      this.source.pause();
    }
  }

  private resumeIfRoom(): void {
    if (!this.sinkFull && !this.heldFull && !this.stopped) this.source.resume();
  }
}
