import { Actor, Props, type ActorContext } from '../../actors';

/**
 * The message a manager sends its instance to stop it after everything routed to it before: the
 * instance handles its queued messages first, so a hand-over loses none of them. Compared by
 * identity, so it can only come from this node's manager.
 */
export const STOP_INSTANCE = Object.freeze({ $singleton: 'StopInstance' });

/**
 * Wraps the user's actor: `STOP_INSTANCE` stops it, everything else (messages, lifecycle hooks,
 * supervision of its children) goes to the user's actor as if it ran unwrapped.
 */
class HostedSingleton<M> extends Actor<M> {
  constructor(private readonly inner: Actor<M>) {
    super();
    this.supervisorStrategy = inner.supervisorStrategy;
  }

  receive(message: M, ctx: ActorContext<M>): void | Promise<void> {
    if ((message as unknown) === STOP_INSTANCE) {
      ctx.stop();
      return;
    }
    return this.inner.receive(message, ctx);
  }

  override preStart(ctx: ActorContext<M>): void | Promise<void> {
    return this.inner.preStart(ctx);
  }

  override postStop(ctx: ActorContext<M>): void | Promise<void> {
    return this.inner.postStop(ctx);
  }

  override preRestart(ctx: ActorContext<M>, reason: unknown, message: unknown): void | Promise<void> {
    return this.inner.preRestart(ctx, reason, message);
  }

  override postRestart(ctx: ActorContext<M>, reason: unknown): void | Promise<void> {
    return this.inner.postRestart(ctx, reason);
  }
}

/** The props the manager spawns the instance from: `props`, stoppable by `STOP_INSTANCE`. */
export function hostedProps<M>(props: Props<M>): Props<M> {
  const hosted = Props.create(() => new HostedSingleton(props.factory()));
  return props.supervisorStrategy === undefined ? hosted : hosted.withSupervisorStrategy(props.supervisorStrategy);
}
