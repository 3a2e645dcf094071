import { EventEmitter, on } from 'node:events';
import { RefFlag } from './virtualTimers';

/** The virtual time of one role, as the simulation's event queue offers it. */
export interface RoleTimeSource {
  /** The role's virtual now, in milliseconds. */
  now(): number;
  /** Runs `fn` as an event of the role `delayMs` virtual milliseconds from now. */
  schedule(delayMs: number, fn: () => void): { cancel(): void };
}

/** Node's largest timer delay; a delay outside 1..TIMEOUT_MAX_MS becomes 1 ms, as in Node. */
const TIMEOUT_MAX_MS = 2 ** 31 - 1;

/** A delay coerced the way Node coerces `setTimeout`'s: not a number, below 1 or too large gives 1. */
export function timerDelayMs(delay: unknown): number {
  const ms = Number(delay);
  return ms >= 1 && ms <= TIMEOUT_MAX_MS ? ms : 1;
}

let nextTimerId = 1;

/**
 * A virtual timer handle with the surface of Node's `Timeout`/`Immediate` (`ref`, `unref`, `hasRef`,
 * `refresh`, `close`, a numeric primitive), so code written against `node:timers` keeps working.
 */
export class VirtualTimer extends RefFlag {
  /** The number the handle converts to, accepted by the patched `clear*` functions. */
  readonly id = nextTimerId++;
  private pending: { cancel(): void } | undefined;
  constructor(
    private readonly time: RoleTimeSource,
    private readonly delayMs: number,
    private readonly repeat: boolean,
    private readonly fire: () => void,
    private readonly onDone: (timer: VirtualTimer) => void,
  ) {
    super();
    this.arm();
  }

  /** Restarts a pending timer's delay from the current virtual time (a fired or closed one stays so). */
  refresh(): this {
    if (this.pending !== undefined) {
      this.pending.cancel();
      this.arm();
    }
    return this;
  }

  /** Cancels the timer. */
  close(): this {
    this.pending?.cancel();
    this.pending = undefined;
    this.onDone(this);
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.id;
  }

  private arm(): void {
    this.pending = this.time.schedule(this.delayMs, () => {
      if (this.repeat) this.arm();
      else {
        this.pending = undefined;
        this.onDone(this);
      }
      this.fire();
    });
  }
}

let abortErrorClass: (new (message?: string, options?: { cause?: unknown }) => Error) | undefined;

/**
 * The error Node's `timers/promises` rejects with when its signal aborts (Node does not export the
 * class; one is taken from `events.on`, which throws it synchronously for an aborted signal).
 */
export function abortError(signal: AbortSignal): Error {
  if (abortErrorClass === undefined) {
    try {
      on(new EventEmitter(), 'never', { signal: AbortSignal.abort() });
    } catch (error) {
      abortErrorClass = (error as Error).constructor as unknown as typeof abortErrorClass;
    }
  }
  return new abortErrorClass!(undefined, { cause: signal.reason });
}

/**
 * `timers/promises`' `setTimeout` in virtual time: resolves with `value` after `delayMs` virtual
 * milliseconds, or rejects with Node's `AbortError` when `options.signal` aborts first.
 */
export function virtualDelay<T>(time: RoleTimeSource, delayMs: number, value: T, signal: AbortSignal | undefined): Promise<T> {
  if (signal?.aborted === true) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      pending.cancel();
      reject(abortError(signal!));
    };
    const pending = time.schedule(delayMs, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `timers/promises`' `setInterval` in virtual time: an async iterator yielding `value` every
 * `delayMs` virtual milliseconds; ticks not yet consumed are counted and yielded without waiting, as
 * in Node. It stops on `return()` and throws Node's `AbortError` when the signal aborts.
 */
export function virtualInterval<T>(time: RoleTimeSource, delayMs: number, value: T, signal: AbortSignal | undefined): AsyncIterableIterator<T> {
  let ticks = 0;
  let done = false;
  let wake: (() => void) | undefined;
  const onAbort = (): void => {
    stop();
    wake?.();
  };
  const timer = new VirtualTimer(time, delayMs, true, () => {
    ticks += 1;
    wake?.();
  }, () => undefined);
  const stop = (): void => {
    done = true;
    timer.close();
    signal?.removeEventListener('abort', onAbort);
  };
  if (signal?.aborted === true) stop();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      while (ticks === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (signal?.aborted === true) throw abortError(signal);
      if (done) return { done: true, value: undefined };
      ticks -= 1;
      return { done: false, value };
    },
    async return(): Promise<IteratorResult<T>> {
      stop();
      wake?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
