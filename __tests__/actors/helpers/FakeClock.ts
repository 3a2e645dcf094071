import type { Cancellable, Clock } from '../../../src/util/Clock';

interface Timer {
  readonly id: number;
  readonly dueAt: number;
  readonly fn: () => void;
}

/**
 * A clock that only moves when told to. `advance(ms)` runs every timer due within the window in
 * time order (timers scheduled by those callbacks too, if they fall inside the window).
 */
export class FakeClock implements Clock {
  private time: number;
  private nextId = 0;
  private timers: Timer[] = [];

  constructor(startMs = 1_000_000) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, fn: () => void): Cancellable {
    const timer: Timer = { id: this.nextId++, dueAt: this.time + Math.max(0, delayMs), fn };
    this.timers.push(timer);
    return {
      cancel: () => {
        this.timers = this.timers.filter((t) => t !== timer);
      },
    };
  }

  /** Timers not yet run or cancelled. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, running due timers in order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.dueAt <= until).sort((x, y) => x.dueAt - y.dueAt || x.id - y.id)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.dueAt;
      due.fn();
    }
    this.time = until;
  }
}
