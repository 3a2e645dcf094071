import type { ActorRef } from './ActorRef';
import { InvalidArgumentError, checkDuration } from './errors';

/** The code of `ActorInitializationError`; compared by code so that any copy of this module matches. */
const INITIALIZATION_CODE = 'ACTOR_INITIALIZATION';

/**
 * What a supervisor does with a failed child:
 * - `resume`: keep the instance and its state, drop the failing message, go on;
 * - `restart`: replace the instance with a fresh one (the mailbox is kept, the failing message dropped);
 * - `stop`: stop the child;
 * - `escalate`: fail the supervisor itself with the same error, for its own supervisor to decide.
 */
export type Directive = 'resume' | 'restart' | 'stop' | 'escalate';

/** What a decider learns about a failure. */
export interface FailureInfo {
  /** The child that failed. */
  readonly child: ActorRef;
  /** The message being processed, or undefined when the failure happened while starting. */
  readonly message: unknown;
}

/** Chooses a directive for an error. A decider that throws counts as `escalate`. */
export type Decider = (error: unknown, failure: FailureInfo) => Directive;

/**
 * How failures of a child are handled: a decider, and a restart limit. When a child would be
 * restarted more than `maxRestarts` times within `withinMs`, it is stopped instead.
 */
export interface SupervisorStrategy {
  readonly decider: Decider;
  /** Restarts allowed within `withinMs` before the child is stopped; `Infinity` for no limit. */
  readonly maxRestarts: number;
  /** The sliding window of the restart limit, in ms; `Infinity` counts every restart ever. */
  readonly withinMs: number;
}

/** Options of `oneForOneStrategy`. */
export interface StrategyOptions {
  readonly decider?: Decider;
  readonly maxRestarts?: number;
  readonly withinMs?: number;
}

/**
 * The default decider: errors while starting (`ActorInitializationError`, code
 * `ACTOR_INITIALIZATION`) stop the child, because restarting would most likely fail again; any
 * other error restarts it.
 */
export const defaultDecider: Decider = (error) => ((error as { code?: unknown } | null)?.code === INITIALIZATION_CODE ? 'stop' : 'restart');

/**
 * A strategy applied to the failed child only. Defaults: `defaultDecider`, no restart limit.
 * Attach it with `Props.withSupervisorStrategy` (for that child) or as the parent actor's
 * `supervisorStrategy` field (for all of its children).
 */
export function oneForOneStrategy(options: StrategyOptions = {}): SupervisorStrategy {
  const maxRestarts = options.maxRestarts ?? Infinity;
  const withinMs = options.withinMs ?? Infinity;
  if (!(maxRestarts >= 0) || (Number.isFinite(maxRestarts) && !Number.isInteger(maxRestarts))) {
    throw new InvalidArgumentError(`maxRestarts must be an integer >= 0 or Infinity; it was given ${String(maxRestarts)}.`);
  }
  if (withinMs !== Infinity) checkDuration('withinMs', withinMs, true);
  return { decider: options.decider ?? defaultDecider, maxRestarts, withinMs };
}

/** The strategy used when neither the child's props nor its parent name one: `oneForOneStrategy()`. */
export const defaultStrategy: SupervisorStrategy = oneForOneStrategy();

/** A strategy that always stops a failed child. */
export const stoppingStrategy: SupervisorStrategy = oneForOneStrategy({ decider: () => 'stop' });

/**
 * The restart history of one child. `tryRestart` records a restart and says whether the limit
 * still allows it; a refused restart is not recorded.
 */
export class RestartHistory {
  private times: number[] = [];

  tryRestart(strategy: SupervisorStrategy, now: number): boolean {
    if (strategy.maxRestarts === Infinity) return true;
    const since = now - strategy.withinMs;
    this.times = this.times.filter((time) => time > since);
    if (this.times.length >= strategy.maxRestarts) return false;
    this.times.push(now);
    return true;
  }
}
