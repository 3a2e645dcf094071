import type { RoleTimeSource } from '../../../src/sim';

/** A role's virtual time for tests: events run only when `advance` is called, in (time, order) order. */
export class ManualTime implements RoleTimeSource {
  private nowMs: number;
  private seq = 0;
  private readonly queue: Array<{ atMs: number; seq: number; fn: () => void; cancelled: boolean }> = [];
  /** Every delay passed to `schedule`, in order. */
  readonly delays: number[] = [];

  /** `enter` runs each due event (for example as the role). */
  constructor(startMs = 0, private readonly enter: (fn: () => void) => void = (fn) => fn()) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  schedule(delayMs: number, fn: () => void): { cancel(): void } {
    this.delays.push(delayMs);
    const event = { atMs: this.nowMs + delayMs, seq: this.seq++, fn, cancelled: false };
    this.queue.push(event);
    return { cancel: () => void (event.cancelled = true) };
  }

  /** Events not cancelled and not run yet. */
  get pending(): number {
    return this.queue.filter((event) => !event.cancelled).length;
  }

  /** Runs every event due within `ms` virtual milliseconds, then sets the time to now + ms. */
  advance(ms: number): void {
    const endMs = this.nowMs + ms;
    for (;;) {
      this.queue.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
      const next = this.queue[0];
      if (next === undefined || next.atMs > endMs) break;
      this.queue.shift();
      if (next.cancelled) continue;
      this.nowMs = next.atMs;
      this.enter(next.fn);
    }
    this.nowMs = endMs;
  }
}

/** Lets promise callbacks run (a real macrotask turn). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Which role "runs" in a test: `as(role, fn)` runs `fn` as that role and restores the previous one. */
export class RunningRole {
  current: string | null = null;

  readonly as = <T>(role: string | null, fn: () => T): T => {
    const before = this.current;
    this.current = role;
    try {
      return fn();
    } finally {
      this.current = before;
    }
  };
}
