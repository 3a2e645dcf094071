/**
 * Time as the harness and the actor runtime see it. Everything that reads the time or waits goes
 * through a `Clock`, never `Date.now()` or a bare `setTimeout`, so that a later simulation mode can
 * drive the same code on virtual time.
 */

/** A scheduled callback that can be cancelled; cancelling twice or after it ran is a no-op. */
export interface Cancellable {
  cancel(): void;
}

/** Wall-clock time and one-off timers. */
export interface Clock {
  /** Milliseconds since the Unix epoch, with sub-millisecond precision where available. */
  now(): number;
  /** Runs `fn` once after `delayMs` (clamped to >= 0). */
  schedule(delayMs: number, fn: () => void): Cancellable;
  /** Runs `fn` as soon as the work already queued is done (after pending I/O); `schedule(0)` if absent. */
  defer?(fn: () => void): Cancellable;
}

// Read once: the getter is measurable on a message path that asks for the time on every send.
const TIME_ORIGIN = performance.timeOrigin;

/** The real clock: `performance.timeOrigin + performance.now()` and Node timers. */
export const systemClock: Clock = {
  now: () => TIME_ORIGIN + performance.now(),
  schedule(delayMs, fn) {
    const handle = setTimeout(fn, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(handle) };
  },
  defer(fn) {
    const handle = setImmediate(fn);
    return { cancel: () => clearImmediate(handle) };
  },
};

/** Resolves after `delayMs` on `clock`. Use for back-off between retries, never to wait for an event. */
export function sleep(clock: Clock, delayMs: number): Promise<void> {
  return new Promise((resolve) => clock.schedule(delayMs, resolve));
}
