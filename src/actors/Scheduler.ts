import type { Cancellable, Clock } from '../util';
import type { ActorRef } from './ActorRef';
import { checkDuration } from './errors';

interface Task {
  handle: Cancellable | undefined;
}

const inert: Cancellable = { cancel: () => undefined };

/**
 * The system's timers, on the injected `Clock`: one-off and fixed-delay callbacks or messages.
 * Everything scheduled here is cancelled when the system terminates or aborts. Actors should
 * prefer `ctx.timers`, which are also cancelled when the actor stops or restarts.
 *
 * Extensions (a cluster's gossip tick, a failure detector) use `runWithFixedDelay` so that a
 * crashed system leaves no live timers behind.
 */
export class Scheduler {
  private readonly clock: Clock;
  private readonly onError: (error: unknown, what: string) => void;
  private readonly tasks = new Set<Task>();
  private closed = false;

  /** @internal Created by the actor system. */
  constructor(clock: Clock, onError: (error: unknown, what: string) => void) {
    this.clock = clock;
    this.onError = onError;
  }

  /** Timers scheduled and not yet run or cancelled. */
  get activeCount(): number {
    return this.tasks.size;
  }

  /** Runs `fn` once after `delayMs`. Errors thrown by `fn` are logged. No-op after termination. */
  runOnce(delayMs: number, fn: () => void): Cancellable {
    checkDuration('delayMs', delayMs);
    if (this.closed) return inert;
    const task: Task = { handle: undefined };
    this.tasks.add(task);
    task.handle = this.clock.schedule(delayMs, () => {
      if (!this.tasks.delete(task)) return;
      this.invoke(fn, 'a scheduled task');
    });
    return { cancel: () => this.cancelTask(task) };
  }

  /**
   * Runs `fn` after `initialDelayMs`, then again `delayMs` after each run, until cancelled.
   * Errors thrown by `fn` are logged and do not stop the repetition.
   */
  runWithFixedDelay(initialDelayMs: number, delayMs: number, fn: () => void): Cancellable {
    checkDuration('initialDelayMs', initialDelayMs);
    checkDuration('delayMs', delayMs, true);
    if (this.closed) return inert;
    const task: Task = { handle: undefined };
    this.tasks.add(task);
    const tick = (): void => {
      if (!this.tasks.has(task)) return;
      this.invoke(fn, 'a repeated task');
      if (this.tasks.has(task)) task.handle = this.clock.schedule(delayMs, tick);
    };
    task.handle = this.clock.schedule(initialDelayMs, tick);
    return { cancel: () => this.cancelTask(task) };
  }

  /** Sends `message` to `receiver` once after `delayMs`. */
  scheduleOnce(delayMs: number, receiver: ActorRef, message: unknown, sender?: ActorRef): Cancellable {
    return this.runOnce(delayMs, () => receiver.tell(message, sender));
  }

  /** Sends `message` to `receiver` after `initialDelayMs`, then every `delayMs`, until cancelled. */
  scheduleWithFixedDelay(initialDelayMs: number, delayMs: number, receiver: ActorRef, message: unknown, sender?: ActorRef): Cancellable {
    return this.runWithFixedDelay(initialDelayMs, delayMs, () => receiver.tell(message, sender));
  }

  /** @internal Cancels everything and refuses new work; called when the system terminates or aborts. */
  close(): void {
    this.closed = true;
    for (const task of [...this.tasks]) this.cancelTask(task);
  }

  private cancelTask(task: Task): void {
    if (!this.tasks.delete(task)) return;
    task.handle?.cancel();
  }

  private invoke(fn: () => void, what: string): void {
    try {
      fn();
    } catch (error) {
      this.onError(error, what);
    }
  }
}
