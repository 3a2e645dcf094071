import type { Cancellable, Clock } from '../../../src/util/Clock';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  done: boolean;
}

/**
 * A virtual clock for the harness unit tests: time moves only when a test calls `advance`, timers
 * due within the window run in time order (ties in the order they were scheduled), and timers that
 * those callbacks schedule inside the window run too. Nothing here touches real timers.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(startMs = 1_000_000) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, fn: () => void): Cancellable {
    const timer: Timer = { at: this.current + Math.max(0, delayMs), seq: this.seq++, fn, done: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.done = true;
      },
    };
  }

  /** Timers scheduled and neither run nor cancelled. */
  pending(): number {
    return this.timers.filter((t) => !t.done).length;
  }

  /** The delays, from now, of the pending timers, soonest first. */
  pendingDelays(): number[] {
    return this.timers
      .filter((t) => !t.done)
      .map((t) => t.at - this.current)
      .sort((x, y) => x - y);
  }

  /** Moves time on by `ms` without running any timer, as a thread busy in a loop would: they run late, at the next `advance`. */
  stall(ms: number): void {
    this.current += ms;
  }

  /** Runs every timer due within the next `ms` in order, then sets the time to now + `ms`. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`FakeClock.advance needs ms >= 0; it was given ${ms}.`);
    const target = this.current + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => !t.done && t.at <= target)
        .sort((x, y) => x.at - y.at || x.seq - y.seq)[0];
      if (due === undefined) break;
      due.done = true;
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.timers = this.timers.filter((t) => !t.done);
    this.current = target;
  }
}
