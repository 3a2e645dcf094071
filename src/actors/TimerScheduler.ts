import type { Cancellable } from '../util';
import type { Scheduler } from './Scheduler';

/**
 * Keyed timers that send messages to the actor itself (`ctx.timers`). Starting a timer with a key
 * in use replaces the old one. All timers are cancelled when the actor stops or restarts, and a
 * cancelled timer's message is never received, even if it was already queued.
 */
export interface TimerScheduler<M = unknown> {
  /** Sends `message` to self once, after `delayMs`. */
  startSingleTimer(key: string, message: M, delayMs: number): void;
  /** Sends `message` to self after `initialDelayMs` (default `delayMs`), then `delayMs` after each send. */
  startTimerWithFixedDelay(key: string, message: M, delayMs: number, initialDelayMs?: number): void;
  /** Whether the timer `key` is pending (a single timer stays active until its message is received). */
  isTimerActive(key: string): boolean;
  /** Cancels the timer `key`; unknown keys are ignored. */
  cancel(key: string): void;
  /** Cancels every timer of this actor. */
  cancelAll(): void;
}

/** @internal Identifies the timer a queued message came from. */
export interface TimerTag {
  readonly key: string;
  readonly generation: number;
}

interface Timer {
  readonly generation: number;
  readonly repeat: boolean;
  readonly handle: Cancellable;
}

/** @internal The per-actor implementation; the cell delivers timer messages and calls `accept` before handling one. */
export class ActorTimers<M> implements TimerScheduler<M> {
  private readonly timers = new Map<string, Timer>();
  private generation = 0;
  private readonly scheduler: Scheduler;
  private readonly deliver: (message: M, tag: TimerTag) => void;

  constructor(scheduler: Scheduler, deliver: (message: M, tag: TimerTag) => void) {
    this.scheduler = scheduler;
    this.deliver = deliver;
  }

  startSingleTimer(key: string, message: M, delayMs: number): void {
    this.start(key, false, (tag) => this.scheduler.runOnce(delayMs, () => this.deliver(message, tag)));
  }

  startTimerWithFixedDelay(key: string, message: M, delayMs: number, initialDelayMs: number = delayMs): void {
    this.start(key, true, (tag) => this.scheduler.runWithFixedDelay(initialDelayMs, delayMs, () => this.deliver(message, tag)));
  }

  isTimerActive(key: string): boolean {
    return this.timers.has(key);
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer === undefined) return;
    this.timers.delete(key);
    timer.handle.cancel();
  }

  cancelAll(): void {
    for (const key of [...this.timers.keys()]) this.cancel(key);
  }

  /** Whether a queued timer message is still wanted; a single timer is done once accepted. */
  accept(tag: TimerTag): boolean {
    const timer = this.timers.get(tag.key);
    if (timer === undefined || timer.generation !== tag.generation) return false;
    if (!timer.repeat) this.timers.delete(tag.key);
    return true;
  }

  private start(key: string, repeat: boolean, schedule: (tag: TimerTag) => Cancellable): void {
    this.cancel(key);
    const tag: TimerTag = { key, generation: ++this.generation };
    const handle = schedule(tag);
    this.timers.set(key, { generation: tag.generation, repeat, handle });
  }
}
