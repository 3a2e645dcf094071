import { Actor } from './Actor';
import type { ActorContext } from './ActorContext';
import type { SupervisorStrategy } from './SupervisorStrategy';

/** The message type of an actor class. */
export type MessageOf<A> = A extends Actor<infer M> ? M : never;

/**
 * How to make an actor: a factory called for the first start and again for every restart (so it
 * must return a fresh instance each time), and optionally the strategy that supervises it.
 */
export class Props<M = unknown> {
  /** Makes a fresh instance. */
  readonly factory: () => Actor<M>;
  /** Supervises this actor, taking precedence over the parent's `supervisorStrategy`. */
  readonly supervisorStrategy: SupervisorStrategy | undefined;

  private constructor(factory: () => Actor<M>, supervisorStrategy: SupervisorStrategy | undefined) {
    this.factory = factory;
    this.supervisorStrategy = supervisorStrategy;
  }

  /** Props from a factory: `Props.create(() => new Counter(10))`. */
  static create<M>(factory: () => Actor<M>): Props<M> {
    return new Props(factory, undefined);
  }

  /** Props from a class and its constructor arguments: `Props.of(Counter, 10)`. */
  static of<A extends Actor<never>, Args extends unknown[]>(actorClass: new (...args: Args) => A, ...args: Args): Props<MessageOf<A>> {
    return new Props(() => new actorClass(...args) as unknown as Actor<MessageOf<A>>, undefined);
  }

  /**
   * Props for a stateless actor given by its receive function: `Props.fromReceive((m, ctx) => ctx.reply(m))`.
   * State kept in closures survives restarts; use a class when it should not.
   */
  static fromReceive<M>(receive: (message: M, ctx: ActorContext<M>) => void | Promise<void>): Props<M> {
    class ReceiveActor extends Actor<M> {
      receive(message: M, ctx: ActorContext<M>): void | Promise<void> {
        return receive(message, ctx);
      }
    }
    return new Props(() => new ReceiveActor(), undefined);
  }

  /** A copy of these props supervised by `strategy` (wherever the actor is spawned). */
  withSupervisorStrategy(strategy: SupervisorStrategy): Props<M> {
    return new Props(this.factory, strategy);
  }
}
