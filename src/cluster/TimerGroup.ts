import type { Cancellable, Clock } from '../util';

/**
 * The timers of one cluster node, cancelled together when it stops. `run` wraps every callback
 * (the cluster uses it to log errors and deliver events), and nothing fires once `cancelAll` ran.
 */
export class TimerGroup {
  private readonly timers = new Set<Cancellable>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly run: (fn: () => void) => void,
  ) {}

  /** Runs `fn` once after `delayMs`. */
  after(delayMs: number, fn: () => void): void {
    if (this.stopped) return;
    const timer = this.clock.schedule(delayMs, () => {
      this.timers.delete(timer);
      if (!this.stopped) this.run(fn);
    });
    this.timers.add(timer);
  }

  /** Runs `fn` every `intervalMs` until it returns false or the group is cancelled. */
  every(intervalMs: number, fn: () => boolean | void): void {
    this.after(intervalMs, () => {
      let again = true;
      try {
        again = fn() !== false;
      } finally {
        // Rescheduled even when fn throws: one failed tick must not silence heartbeats for good.
        if (again) this.every(intervalMs, fn);
      }
    });
  }

  /** Cancels every timer; later `after`/`every` calls do nothing. */
  cancelAll(): void {
    this.stopped = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
  }
}
