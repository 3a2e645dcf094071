import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import type { Cancellable, Clock } from '../util';

/** The event queue the world runs on (a `SimScheduler`): virtual time, one event at a time. */
export interface SimQueue {
  /** Virtual time at the start of every run, in epoch milliseconds. */
  readonly startMs: number;
  now(): number;
  /**
   * Runs `fn` after `delayMs` of virtual time. Same-time events are ordered by a tie-break the
   * scheduler derives from (seed, `source`, the number of events `source` scheduled before).
   */
  schedule(source: string, delayMs: number, fn: () => void): Cancellable;
}


/**
 * Who is running, in a simulated file. Every role (and the harness) is an owner; every event runs as
 * its owner, and so does everything its promises continue into (an AsyncLocalStorage carries the
 * owner across awaits, which also covers a role's file while it loads). Scheduling goes through a
 * `source` for the deterministic tie-break: a role's own timers are its source, each directed link
 * and control channel is its own, so that the order of same-time events never depends on the real
 * order in which roles loaded.
 *
 * A terminated owner's events are dropped: a role that was ended runs no more code.
 */
export class SimWorld {
  private readonly owner = new AsyncLocalStorage<string>();
  private readonly dead = new Set<string>();

  /**
   * @param onEnter told whenever an owner's code starts to run (an event, a `wrapAs` function), for a
   *   `SyncLoopWatchdog`.
   */
  constructor(
    private readonly queue: SimQueue,
    private readonly onError: (owner: string, error: unknown) => void,
    private readonly onEnter: (owner: string) => void = () => undefined,
  ) {}

  /**
   * The owner whose code runs right now, or null outside every owner (Jest's own work for the lead
   * role, which runs in Jest's context: the lead's tests and hooks run as the lead, see `wrapAs`).
   */
  current(): string | null {
    return this.owner.getStore() ?? null;
  }

  /** `fn` made to run as `owner` whoever calls it, keeping its `length` (Jest reads it for `done`). */
  wrapAs<F extends (...args: never[]) => unknown>(owner: string, fn: F): F {
    const world = this;
    const wrapped = function (this: unknown, ...args: never[]): unknown {
      world.onEnter(owner);
      return world.runAs(owner, () => fn.apply(this, args));
    };
    Object.defineProperty(wrapped, 'length', { value: fn.length });
    return wrapped as unknown as F;
  }

  now(): number {
    return this.queue.now();
  }

  /** Runs `fn` as `owner` (its promises continue as `owner`); returns what `fn` returns. */
  runAs<T>(owner: string, fn: () => T): T {
    return this.owner.run(owner, fn);
  }

  /**
   * Schedules `fn` to run as `owner`, ordered among same-time events by `source` (default: the owner).
   * Like a Node timer, the event runs in the async context it was scheduled from (Jest's own test
   * context included), so an error it throws is charged to the test that scheduled it.
   */
  schedule(owner: string, delayMs: number, fn: () => void, source: string = owner): Cancellable {
    // What AsyncLocalStorage.snapshot() gives, without its cost on Node 20 (a deprecation wrapper per call).
    const inContext = new AsyncResource('SimEvent');
    return this.queue.schedule(source, delayMs, () =>
      inContext.runInAsyncScope(() => {
        if (this.dead.has(owner)) return;
        this.onEnter(owner);
        try {
          this.runAs(owner, fn);
        } catch (error) {
          this.onError(owner, error);
        }
      }),
    );
  }

  /** `owner`'s time: virtual now, and timers that run as `owner`. */
  clockFor(owner: string): Clock {
    return {
      now: () => this.queue.now(),
      schedule: (delayMs, fn) => this.schedule(owner, delayMs, fn),
      defer: (fn) => this.schedule(owner, 0, fn),
    };
  }

  /**
   * The world seen as a scheduler by per-role virtual globals: timers of an owner run as that owner
   * (and are dropped once it is ended), with that owner as their tie-break source.
   */
  asScheduler(): SimQueue {
    return { startMs: this.queue.startMs, now: () => this.queue.now(), schedule: (owner, delayMs, fn) => this.schedule(owner, delayMs, fn) };
  }

  /** Ends `owner`: none of its pending or later events run. */
  kill(owner: string): void {
    this.dead.add(owner);
  }

  isDead(owner: string): boolean {
    return this.dead.has(owner);
  }
}
