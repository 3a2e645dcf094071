import { createRng, type Rng } from '../util';

/**
 * The simulation's event queue: a binary heap ordered by (virtual time, seeded tie-break, sequence).
 *
 * Events of different owners at the same instant are ordered by a tie-break derived from
 * (seed, owner, that owner's own count of scheduled events), so the order does not depend on the
 * real-time order in which owners that load or run concurrently (roles loading their files)
 * scheduled them. One owner's events at the same instant stay in the order it scheduled them: a
 * new event's tie-break is raised to the highest one that owner has pending at that instant, and
 * the global sequence number only breaks those exact ties.
 */

/** One queued event. Cancelled events stay in the heap and are skipped when they reach its top. */
export interface QueuedEvent {
  readonly owner: string;
  /** Virtual time at which it runs, epoch milliseconds. */
  readonly atMs: number;
  readonly tie: number;
  readonly seq: number;
  readonly run: () => void;
  cancelled: boolean;
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  if (a.atMs !== b.atMs) return a.atMs < b.atMs;
  if (a.tie !== b.tie) return a.tie < b.tie;
  return a.seq < b.seq;
}

/** The owner/instant pairs with pending events, and the highest tie-break among them. */
interface InstantTies {
  tie: number;
  pending: number;
}

/** A seeded priority queue of events; see the module comment for the order. */
export class EventQueue {
  private readonly heap: QueuedEvent[] = [];
  /** Per owner, the tie-break stream: its n-th draw depends on (seed, owner, n) only. */
  private readonly tieStreams = new Map<string, Rng>();
  private readonly root: Rng;
  private readonly ties = new Map<string, InstantTies>();
  private seq = 0;
  private live = 0;

  constructor(seed: number) {
    this.root = createRng(seed);
  }

  /** Number of events neither run nor cancelled. */
  get size(): number {
    return this.live;
  }

  /** Queues `run` for `owner` at `atMs` and returns the event (cancel it with `cancel`). */
  push(owner: string, atMs: number, run: () => void): QueuedEvent {
    let stream = this.tieStreams.get(owner);
    if (stream === undefined) {
      stream = this.root.fork(owner);
      this.tieStreams.set(owner, stream);
    }
    const key = instantKey(owner, atMs);
    const instant = this.ties.get(key);
    const drawn = stream.next();
    const tie = instant === undefined ? drawn : Math.max(drawn, instant.tie);
    if (instant === undefined) this.ties.set(key, { tie, pending: 1 });
    else {
      instant.tie = tie;
      instant.pending++;
    }
    const event: QueuedEvent = { owner, atMs, tie, seq: this.seq++, run, cancelled: false };
    this.heap.push(event);
    this.siftUp(this.heap.length - 1);
    this.live++;
    return event;
  }

  /** Cancels a queued event; a no-op when it already ran or was cancelled. */
  cancel(event: QueuedEvent): void {
    if (event.cancelled) return;
    event.cancelled = true;
    this.live--;
    this.settle(event);
  }

  /** The next live event without removing it. */
  peek(): QueuedEvent | undefined {
    this.dropCancelledTop();
    return this.heap[0];
  }

  /** Removes and returns the next live event; it counts as cancelled from now on. */
  pop(): QueuedEvent | undefined {
    this.dropCancelledTop();
    const top = this.removeTop();
    if (top === undefined) return undefined;
    top.cancelled = true;
    this.live--;
    this.settle(top);
    return top;
  }

  private settle(event: QueuedEvent): void {
    const key = instantKey(event.owner, event.atMs);
    const instant = this.ties.get(key);
    if (instant !== undefined && --instant.pending === 0) this.ties.delete(key);
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.removeTop();
  }

  private removeTop(): QueuedEvent | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const item = heap[index];
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(item, heap[parent])) break;
      heap[index] = heap[parent];
      index = parent;
    }
    heap[index] = item;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const item = heap[index];
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right], heap[left]) ? right : left;
      if (!before(heap[child], item)) break;
      heap[index] = heap[child];
      index = child;
    }
    heap[index] = item;
  }
}

function instantKey(owner: string, atMs: number): string {
  return `${owner}\u0000${atMs}`;
}
