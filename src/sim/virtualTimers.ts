import type { Cancellable } from '../util';
import type { SimQueue } from './SimWorld';

/**
 * Node's timer functions (`setTimeout`, `setInterval`, `setImmediate` and their clears) on virtual
 * time: every callback is an event of one owner on a `SimScheduler`. The handles behave like
 * Node's `Timeout` and `Immediate`.
 */

// Node's limit: a delay outside [1, TIMEOUT_MAX] becomes 1 ms, as do NaN and 0.
const TIMEOUT_MAX_MS = 2 ** 31 - 1;
const promisifyCustom = Symbol.for('nodejs.util.promisify.custom');

type Callback = (...args: unknown[]) => void;

/** The six timer functions, as installed on a global. */
export interface VirtualTimerFunctions {
  setTimeout: (callback: Callback, delayMs?: number, ...args: unknown[]) => VirtualTimeout;
  setInterval: (callback: Callback, delayMs?: number, ...args: unknown[]) => VirtualTimeout;
  setImmediate: (callback: Callback, ...args: unknown[]) => VirtualImmediate;
  clearTimeout: (timer: unknown) => void;
  clearInterval: (timer: unknown) => void;
  clearImmediate: (immediate: unknown) => void;
}

/** What a virtual timer needs from the world it lives in. */
interface TimerHost {
  scheduler: SimQueue;
  owner: string;
  /** Handles whose numeric id was asked for, so that the clears accept the id. */
  byId: Map<number, VirtualTimeout>;
  lastId: number;
}

/**
 * `ref`/`unref`/`hasRef` of a virtual timer handle: recorded only, as virtual timers never hold a
 * real handle that keeps Node alive.
 */
export class RefFlag {
  private refed = true;

  ref(): this {
    this.refed = true;
    return this;
  }

  unref(): this {
    this.refed = false;
    return this;
  }

  hasRef(): boolean {
    return this.refed;
  }
}

/** A virtual `setTimeout`/`setInterval` handle, like Node's `Timeout`. */
export class VirtualTimeout extends RefFlag {
  private event: Cancellable | undefined;
  private cleared = false;
  private id: number | undefined;

  constructor(
    private readonly host: TimerHost,
    private readonly callback: Callback,
    private readonly args: unknown[],
    private readonly delayMs: number,
    private readonly repeat: boolean,
  ) {
    super();
    this.arm();
  }

  /** Starts the delay again from now, also after the timer fired; a no-op once cleared. */
  refresh(): this {
    if (!this.cleared) this.arm();
    return this;
  }

  /** Clears the timer, like `clearTimeout(this)`. */
  close(): this {
    this.clear();
    return this;
  }

  [Symbol.toPrimitive](): number {
    if (this.id === undefined) {
      this.id = ++this.host.lastId;
      this.host.byId.set(this.id, this);
    }
    return this.id;
  }

  [Symbol.dispose](): void {
    this.clear();
  }

  /** @internal Cancels the pending event and forgets the id. */
  clear(): void {
    this.cleared = true;
    this.event?.cancel();
    this.event = undefined;
    this.forgetId();
  }

  private arm(): void {
    this.event?.cancel();
    this.event = this.host.scheduler.schedule(this.host.owner, this.delayMs, () => this.fire());
  }

  private fire(): void {
    this.event = undefined;
    try {
      this.callback(...this.args);
    } finally {
      // Node re-arms an interval whose callback threw; a timeout is done unless refreshed later.
      if (this.repeat && !this.cleared && this.event === undefined) this.arm();
      else if (!this.repeat && this.event === undefined) this.forgetId();
    }
  }

  private forgetId(): void {
    if (this.id !== undefined) this.host.byId.delete(this.id);
  }
}

/** A virtual `setImmediate` handle, like Node's `Immediate`. */
export class VirtualImmediate extends RefFlag {
  private readonly event: Cancellable;

  constructor(host: TimerHost, callback: Callback, args: unknown[]) {
    super();
    this.event = host.scheduler.schedule(host.owner, 0, () => callback(...args));
  }

  [Symbol.dispose](): void {
    this.clear();
  }

  /** @internal Cancels the pending event. */
  clear(): void {
    this.event.cancel();
  }
}

/**
 * The timer functions of `owner` on `scheduler`. `realm` supplies the `TypeError` and `Promise`
 * they create, so that code in a vm context sees objects of its own realm.
 */
export function createVirtualTimers(scheduler: SimQueue, owner: string, realm: { TypeError: TypeErrorConstructor; Promise: PromiseConstructor }): VirtualTimerFunctions {
  const host: TimerHost = { scheduler, owner, byId: new Map(), lastId: 0 };
  const checkCallback = (callback: unknown): void => {
    if (typeof callback !== 'function') {
      throw new realm.TypeError(`The "callback" argument must be of type function. Received ${typeof callback}`);
    }
  };
  const timer = (repeat: boolean) =>
    function (callback: Callback, delayMs?: number, ...args: unknown[]): VirtualTimeout {
      checkCallback(callback);
      return new VirtualTimeout(host, callback, args, nodeDelayMs(delayMs), repeat);
    };
  const clearTimer = (timer: unknown): void => {
    if (timer instanceof VirtualTimeout) timer.clear();
    else if (typeof timer === 'number' || typeof timer === 'string') host.byId.get(Number(timer))?.clear();
  };
  const setTimeout = timer(false);
  const setImmediate = (callback: Callback, ...args: unknown[]): VirtualImmediate => {
    checkCallback(callback);
    return new VirtualImmediate(host, callback, args);
  };
  // util.promisify(setTimeout) and util.promisify(setImmediate) must wait on virtual time as well.
  Object.defineProperty(setTimeout, promisifyCustom, {
    value: <T>(delayMs?: number, value?: T) => new realm.Promise<T | undefined>((resolve) => setTimeout(() => resolve(value), delayMs)),
  });
  Object.defineProperty(setImmediate, promisifyCustom, {
    value: <T>(value?: T) => new realm.Promise<T | undefined>((resolve) => setImmediate(() => resolve(value))),
  });
  return {
    setTimeout,
    setInterval: timer(true),
    setImmediate,
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    clearImmediate: (immediate) => {
      if (immediate instanceof VirtualImmediate) immediate.clear();
    },
  };
}

function nodeDelayMs(delayMs: unknown): number {
  const delay = Number(delayMs);
  return delay >= 1 && delay <= TIMEOUT_MAX_MS ? Math.trunc(delay) : 1;
}
