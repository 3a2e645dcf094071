import type { Cancellable, Clock } from '../../../src/util/Clock';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * A virtual clock for deterministic runtime tests: time moves only when the test calls `advance`,
 * and timers due at the same instant run in the order they were scheduled.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly heap: Timer[] = [];

  constructor(startMs = 1_000_000) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, fn: () => void): Cancellable {
    const timer: Timer = { at: this.current + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Timers scheduled and not yet run or cancelled. */
  pending(): number {
    return this.heap.filter((t) => !t.cancelled).length;
  }

  /** Runs every timer due within the next `ms`, in time order, then sets the time to now + `ms`. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (let top = this.heap[0]; top !== undefined && top.at <= target; top = this.heap[0]) {
      this.pop();
      if (top.cancelled) continue;
      this.current = Math.max(this.current, top.at);
      top.fn();
    }
    this.current = target;
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l], heap[m])) m = l;
      if (r < heap.length && before(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
