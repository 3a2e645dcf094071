import type { ActorContext } from './ActorContext';
import type { SupervisorStrategy } from './SupervisorStrategy';

/**
 * Base class of actors. An actor handles one message at a time in `receive`; if `receive` returns
 * a promise, the next message waits until it settles, so `ctx.sender` stays right across `await`s.
 * A thrown error or rejected promise is a failure that the supervisor handles (see `Directive`).
 *
 * Lifecycle: constructor, `preStart`, messages..., `postStop`. On restart the old instance gets
 * `preRestart` (default: stop all children, then `postStop`) and a fresh instance from the `Props`
 * gets `postRestart` (default: `preStart`). Hooks may be async; messages wait for them.
 *
 * Gotcha: never `await` an `ask` to this same actor inside `receive`: the reply cannot be
 * processed until `receive` returns, so the ask times out.
 */
export abstract class Actor<M = unknown> {
  /**
   * How failures of this actor's children are handled, unless a child's `Props` names its own.
   * Undefined means the system default (`defaultStrategy`: restart, no limit; stop on start errors).
   */
  supervisorStrategy?: SupervisorStrategy;

  /** Handles one message. */
  abstract receive(message: M, ctx: ActorContext<M>): void | Promise<void>;

  /** Runs before the first message. */
  preStart(_ctx: ActorContext<M>): void | Promise<void> {}

  /** Runs after the actor stopped (children already stopped); timers are cancelled already. */
  postStop(_ctx: ActorContext<M>): void | Promise<void> {}

  /** Runs on the failed instance before a restart. Default: stop every child, then `postStop`. */
  preRestart(ctx: ActorContext<M>, _reason: unknown, _message: unknown): void | Promise<void> {
    for (const child of ctx.children) ctx.stop(child);
    return this.postStop(ctx);
  }

  /** Runs on the fresh instance after a restart. Default: `preStart`. */
  postRestart(ctx: ActorContext<M>, _reason: unknown): void | Promise<void> {
    return this.preStart(ctx);
  }
}
