import type { ActorRef } from './ActorRef';
import { describeError } from './errors';
import type { ActorLogger } from './Logger';
import type { Directive, RestartHistory, SupervisorStrategy } from './SupervisorStrategy';

/** One failure of a child, as its supervisor sees it. */
export interface ChildFailure {
  readonly child: ActorRef;
  readonly childPath: string;
  readonly error: unknown;
  /** The message being processed, or undefined when the failure happened while starting. */
  readonly message: unknown;
  readonly duringStart: boolean;
  /** The child's restart history; a restart that the limit allows is recorded in it. */
  readonly restarts: RestartHistory;
  readonly now: number;
}

/** What a supervisor decided for one failure. */
export interface SupervisionDecision {
  readonly directive: Directive;
  /** The decider said `restart`, but the restart limit turned it into `stop`. */
  readonly restartLimitReached: boolean;
}

/**
 * Applies `strategy` to one failure of a child: asks the decider (a decider that throws counts as
 * `escalate`), turns `resume` during start into `stop` (there is no started instance to resume),
 * and turns `restart` into `stop` once the child's restart limit is reached.
 */
export function superviseChild(strategy: SupervisorStrategy, failure: ChildFailure, log: ActorLogger): SupervisionDecision {
  let directive: Directive;
  try {
    directive = strategy.decider(failure.error, { child: failure.child, message: failure.message });
  } catch (deciderError) {
    log.error(`the supervisor decider threw (${describeError(deciderError)}); escalating the failure of ${failure.childPath}`);
    directive = 'escalate';
  }
  if (failure.duringStart && directive === 'resume') directive = 'stop';
  if (directive === 'restart' && !failure.restarts.tryRestart(strategy, failure.now)) {
    log.error(`${failure.childPath} failed again after ${strategy.maxRestarts} restart(s) within ${strategy.withinMs} ms, its restart limit; stopping it`);
    return { directive: 'stop', restartLimitReached: true };
  }
  return { directive, restartLimitReached: false };
}
