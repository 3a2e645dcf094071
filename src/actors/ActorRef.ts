import { nameOf } from './ActorPath';

/**
 * The plain-data form of an `ActorRef`, as it travels between nodes inside messages. The key
 * `$ref` is reserved: a received object of exactly this shape is revived as a ref.
 */
export interface SerializedActorRef {
  readonly $ref: { readonly node: string; readonly path: string };
}

/** Options of `ask`. */
export interface AskOptions {
  /** How long to wait for the reply; defaults to the system's `defaultAskTimeoutMs` (5000). */
  readonly timeoutMs?: number;
}

/**
 * What a ref needs from the system it belongs to. Internal: implemented by the runtime, reached
 * through `routerOf`.
 */
export interface RefRouter {
  readonly address: string;
  tell(target: ActorRef, message: unknown, sender: ActorRef | undefined): void;
  ask<R>(target: ActorRef, message: unknown, options: AskOptions | undefined): Promise<R>;
}

/**
 * Where a ref keeps its system. A registered symbol, not a module-local WeakMap: under Jest the
 * runtime that created a ref (loaded by the environment) and the code that uses it (loaded again
 * in the test sandbox) can be two instances of this module, and both must recognise the ref.
 */
const ROUTER = Symbol.for('jest-environment-multinode/actors.router');

/** @internal The system a ref belongs to. */
export function routerOf(ref: ActorRef): RefRouter {
  const router = (ref as unknown as Record<symbol, RefRouter | undefined>)[ROUTER];
  if (router === undefined) {
    throw new TypeError(`${String(ref)} is not a live ActorRef (a copy made by structured clone or JSON is only data); get refs from the actor system.`);
  }
  return router;
}

/**
 * The address of an actor: a node and a path such as `/user/orders/o-17`. Refs are cheap, can be
 * stored and sent inside messages to other nodes, and stay valid after the actor stops (messages
 * then go to dead letters). `M` is the message type the actor accepts; it only guides `tell`.
 *
 * Gotchas: two refs to the same actor may be different objects, so compare with `equals` (or by
 * `toString()` as a map key), not `===`. A ref names a path, not an incarnation: after an actor
 * stops, a new actor spawned with the same name receives what is sent to old refs.
 */
export class ActorRef<M = unknown> {
  /** The node address, e.g. `'b'`. */
  readonly node: string;
  /** The path on that node, e.g. `'/user/kv'`. */
  readonly path: string;

  /** @internal Refs are made by the system (`spawn`, `refFor`, received messages), never by users. */
  constructor(node: string, path: string, router: RefRouter) {
    this.node = node;
    this.path = path;
    Object.defineProperty(this, ROUTER, { value: router });
  }

  /** Recognises refs made by any copy of this module (see `ROUTER`), so `instanceof` works under Jest. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && ROUTER in value;
  }

  /** The last segment of the path. */
  get name(): string {
    return nameOf(this.path);
  }

  /**
   * Sends `message` without waiting; never blocks and never fails for a dead or unreachable actor
   * (the message goes to dead letters or is lost, as on a network). To another node the message is
   * structured-cloned: one that cannot be throws `UncloneableMessageError` naming the field, and
   * an unknown node address throws too. Pass `sender` so the receiver can reply (`ctx.reply`).
   */
  tell(message: M, sender?: ActorRef): void {
    routerOf(this).tell(this, message, sender);
  }

  /** Whether `other` names the same node and path. */
  equals(other: ActorRef | undefined | null): boolean {
    return other instanceof ActorRef && other.node === this.node && other.path === this.path;
  }

  /** `actor://node/path`, unique per actor: usable as a map key. */
  toString(): string {
    return `actor://${this.node}${this.path}`;
  }

  /** The serialized form, so `JSON.stringify` of a message shows refs readably. */
  toJSON(): SerializedActorRef {
    return { $ref: { node: this.node, path: this.path } };
  }
}
