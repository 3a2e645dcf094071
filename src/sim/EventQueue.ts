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
  /** Cancels the event, as `EventQueue.cancel` does: the event is its own cancel handle. */
  cancel(): void;
}

/** Per owner: its tie-break stream and its instants with pending events, keyed by virtual time. */
interface OwnerState {
  readonly name: string;
  readonly stream: Rng;
  readonly instants: Map<number, InstantTies>;
}

class Event implements QueuedEvent {
  cancelled = false;

  constructor(
    private readonly queue: EventQueue,
    readonly state: OwnerState,
    readonly atMs: number,
    readonly tie: number,
    readonly seq: number,
    readonly run: () => void,
  ) {}

  get owner(): string {
    return this.state.name;
  }

  cancel(): void {
    this.queue.cancel(this);
  }
}

function before(a: Event, b: Event): boolean {
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
  private readonly heap: Event[] = [];
  /** Per owner, the tie-break stream (its n-th draw depends on (seed, owner, n) only) and its instants. */
  private readonly owners = new Map<string, OwnerState>();
  private readonly root: Rng;
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
    let state = this.owners.get(owner);
    if (state === undefined) {
      state = { name: owner, stream: this.root.fork(owner), instants: new Map() };
      this.owners.set(owner, state);
    }
    const instant = state.instants.get(atMs);
    const drawn = state.stream.next();
    let tie = drawn;
    if (instant === undefined) state.instants.set(atMs, { tie, pending: 1 });
    else {
      if (instant.tie > tie) tie = instant.tie;
      instant.tie = tie;
      instant.pending++;
    }
    const event = new Event(this, state, atMs, tie, this.seq++, run);
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
    this.settle(event as Event);
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

  private settle(event: Event): void {
    const instants = event.state.instants;
    const instant = instants.get(event.atMs);
    if (instant !== undefined && --instant.pending === 0) instants.delete(event.atMs);
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.removeTop();
  }

  private removeTop(): Event | undefined {
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
