import { AsyncResource } from 'node:async_hooks';
import type { Cancellable, Clock } from '../util';
import { EventQueue } from './EventQueue';
import { ReentrantStepError } from './timeErrors';

/** The instant virtual time starts at in every run, unless a scheduler is given another: 2026-01-01T00:00:00Z. */
export const SIM_EPOCH_MS = Date.UTC(2026, 0, 1);

/** The owner of events the harness itself schedules (barrier timeouts, link deliveries, ...). */
export const HARNESS_OWNER = '@harness';

// Captured at load, so that globals patched later (virtual ones, Jest's fake timers) never drive the loop.
const realSetImmediate = setImmediate;
const realQueueMicrotask = queueMicrotask;

/** Options of a `SimScheduler`. */
export interface SimSchedulerOptions {
  /** Virtual time at start, epoch milliseconds; `SIM_EPOCH_MS` by default. */
  startMs?: number;
  /**
   * Receives what an event threw, with the event's owner. Without it the errors are kept in
   * `uncaught`, so none is ever lost; either way none escapes `step()` or the run loop.
   */
  onError?: (owner: string, error: unknown) => void;
}

/** An error thrown by an event and not given to an `onError` callback. */
export interface EventError {
  readonly owner: string;
  readonly error: unknown;
}

/**
 * Virtual time for one simulated test file: an event queue ordered by (virtual time, seeded
 * tie-break, sequence) that runs one event at a time, each with its owner (a role, or a harness
 * owner such as `HARNESS_OWNER`).
 *
 * Drive it with `run()`, which runs one event per real macrotask turn so that the microtasks and
 * immediates an event caused have drained before the next event starts, and parks without keeping
 * Node alive while the queue is empty or a `hold` is open. `step()` runs one event synchronously
 * (for tests and for driving by hand). Time never passes between events: `now()` jumps to the
 * next event's time when it runs.
 */
export class SimScheduler {
  /** The virtual time the run started at, epoch milliseconds. */
  readonly startMs: number;
  /** Errors thrown by events when no `onError` was given, oldest first. */
  readonly uncaught: EventError[] = [];
  private readonly queue: EventQueue;
  private readonly onError?: (owner: string, error: unknown) => void;
  private readonly clocks = new Map<string, Clock>();
  private readonly openHolds = new Map<number, string>();
  private nextHoldId = 0;
  private moves = 0;
  private nowMs: number;
  private runningOwner: string | null = null;
  private loop: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  /** `seed` decides the order of events of different owners at the same instant. */
  constructor(seed: number, options: SimSchedulerOptions = {}) {
    this.startMs = options.startMs ?? SIM_EPOCH_MS;
    this.nowMs = this.startMs;
    this.queue = new EventQueue(seed);
    this.onError = options.onError;
  }

  /** Virtual time, epoch milliseconds. */
  now(): number {
    return this.nowMs;
  }

  /** The owner whose event runs right now, or null between events. */
  get running(): string | null {
    return this.runningOwner;
  }

  /** Runs `fn` as an event of `owner` after `delayMs` of virtual time (clamped to >= 0; NaN counts as 0). */
  schedule(owner: string, delayMs: number, fn: () => void): Cancellable {
    const delay = delayMs > 0 ? delayMs : 0;
    const event = this.queue.push(owner, this.nowMs + delay, fn);
    this.wakeLoop();
    return event;
  }

  /** A `Clock` on virtual time whose `schedule` and `defer` queue events of `owner`. Cached per owner. */
  clockFor(owner: string): Clock {
    let clock = this.clocks.get(owner);
    if (clock === undefined) {
      clock = {
        now: () => this.nowMs,
        schedule: (delayMs, fn) => this.schedule(owner, delayMs, fn),
        defer: (fn) => this.schedule(owner, 0, fn),
      };
      this.clocks.set(owner, clock);
    }
    return clock;
  }

  /**
   * A count that grows whenever the simulation moves on: an event ran or a hold was released. A
   * `StallGuard` compares it over real time.
   */
  get progress(): number {
    return this.moves;
  }

  /** Number of events neither run nor cancelled. */
  pending(): number {
    return this.queue.size;
  }

  /** Virtual time of the next event, or undefined when none is queued. */
  nextAt(): number | undefined {
    return this.queue.peek()?.atMs;
  }

  /**
   * Runs the next event now, synchronously, whether or not a hold is open; returns false when the
   * queue is empty. What the event throws goes to `onError` (or `uncaught`) with its owner.
   * Throws `ReentrantStepError` when called from inside an event.
   */
  step(): boolean {
    if (this.runningOwner !== null) throw new ReentrantStepError(this.runningOwner);
    const event = this.queue.pop();
    if (event === undefined) return false;
    this.nowMs = event.atMs;
    this.moves++;
    this.runningOwner = event.owner;
    try {
      event.run();
    } catch (error) {
      this.report(event.owner, error);
    } finally {
      this.runningOwner = null;
    }
    return true;
  }

  /**
   * Stops the run loop from running events until the returned release is called (calling it
   * again is a no-op). Use it while work outside virtual time must finish first, such as a role
   * loading its file. `label` names the hold in `holds()`.
   */
  hold(label: string): () => void {
    const id = this.nextHoldId++;
    this.openHolds.set(id, label);
    return () => {
      if (!this.openHolds.delete(id)) return;
      this.moves++;
      this.wakeLoop();
    };
  }

  /** The labels of the holds open now, oldest first, for diagnostics. */
  holds(): string[] {
    return [...this.openHolds.values()];
  }

  /**
   * Releases every open hold at once (their releases become no-ops) and returns their labels, oldest
   * first. For a simulation that has stalled: virtual time runs again, so its deadlines can pass.
   */
  releaseHolds(): string[] {
    const labels = this.holds();
    this.openHolds.clear();
    if (labels.length > 0) {
      this.moves++;
      this.wakeLoop();
    }
    return labels;
  }

  /**
   * Runs events until `stop()`, one per real macrotask turn (a real `setImmediate` captured at
   * load). While the queue is empty or a hold is open it parks on a promise, which keeps neither
   * the CPU busy nor Node alive. Calling it while it runs returns the same promise.
   */
  run(): Promise<void> {
    if (this.loop === undefined) {
      this.stopped = false;
      this.loop = this.drive().finally(() => {
        this.loop = undefined;
      });
    }
    return this.loop;
  }

  /**
   * Ends the run loop after the event running now, if any; `run()`'s promise then resolves, and
   * only after that does a new `run()` start a new loop.
   */
  stop(): void {
    this.stopped = true;
    this.wakeLoop();
  }

  /**
   * The loop itself: one event per real `setImmediate` callback, re-armed from inside it. Node drains
   * the microtask queue after every immediate callback, and an immediate armed during one runs in the
   * next turn of the event loop, after the ones that were already queued, so an event's microtasks
   * and immediates have drained before the next event starts, without a promise per event.
   */
  private drive(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const turn = (): void => {
        if (this.stopped) {
          resolve();
          return;
        }
        if (this.openHolds.size > 0 || this.queue.size === 0) {
          // Woken, the loop goes on in a microtask of whoever woke it, as an awaited promise would,
          // and in the loop's own async context, never the waker's (a role's, say).
          this.wake = () => realQueueMicrotask(resume);
          return;
        }
        try {
          this.step();
        } catch (error) {
          // Only a step from inside an event throws (ReentrantStepError): the loop ends with it.
          reject(error);
          return;
        }
        realSetImmediate(turn);
      };
      const resume = AsyncResource.bind(turn);
      turn();
    });
  }

  private wakeLoop(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private report(owner: string, error: unknown): void {
    if (this.onError === undefined) {
      this.uncaught.push({ owner, error });
      return;
    }
    try {
      this.onError(owner, error);
    } catch (handlerError) {
      this.uncaught.push({ owner, error }, { owner, error: handlerError });
    }
  }
}
