import type { ActorRef } from './ActorRef';

const BRAND = Symbol.for('jest-environment-multinode/actors.Terminated');

/**
 * Delivered to an actor that watches `ref` (`ctx.watch`) once `ref` has stopped, or when its node
 * is declared gone (`system.addressTerminated`). Delivered at most once per watch, and never after
 * `ctx.unwatch(ref)`. Include it in your actor's message type: `Actor<MyMessage | Terminated>`.
 */
export class Terminated {
  /** Discriminant, so `Terminated` fits in a union of tagged messages. */
  readonly type = 'Terminated' as const;

  constructor(
    /** The actor that stopped. */
    readonly ref: ActorRef,
    /** False when the actor did not exist (any more) when the watch was set up. */
    readonly existenceConfirmed: boolean,
    /** True when the notice comes from the node being declared gone rather than from the actor. */
    readonly addressTerminated: boolean,
  ) {
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Recognises notices made by any copy of this module, so `instanceof` works under Jest's sandbox. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}
