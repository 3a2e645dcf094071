import type { ActorRef } from './ActorRef';
import type { Directive } from './SupervisorStrategy';

/** A message that could not be delivered: no actor at the path, the actor stopped, or no one to reply to. */
export interface DeadLetter {
  readonly type: 'DeadLetter';
  readonly message: unknown;
  readonly sender: ActorRef | undefined;
  readonly recipient: ActorRef;
  /** Why, as a phrase: e.g. `no actor at this path`. */
  readonly reason: string;
}

/** An actor called `ctx.unhandled(message)`. */
export interface UnhandledMessage {
  readonly type: 'UnhandledMessage';
  readonly message: unknown;
  readonly sender: ActorRef | undefined;
  readonly recipient: ActorRef;
}

/** An actor finished `preStart` (first start; see `ActorRestarted` for later ones). */
export interface ActorStarted {
  readonly type: 'ActorStarted';
  readonly ref: ActorRef;
}

/** An actor stopped: `postStop` ran and watchers were told. */
export interface ActorStopped {
  readonly type: 'ActorStopped';
  readonly ref: ActorRef;
}

/** An actor failed and its supervisor chose `directive`. */
export interface ActorFailed {
  readonly type: 'ActorFailed';
  readonly ref: ActorRef;
  readonly error: unknown;
  readonly directive: Directive;
  /** True when the directive was `restart` but the restart limit turned it into `stop`. */
  readonly restartLimitReached: boolean;
}

/** An actor was restarted with a fresh instance after a failure. */
export interface ActorRestarted {
  readonly type: 'ActorRestarted';
  readonly ref: ActorRef;
  readonly reason: unknown;
}

/**
 * Every event the stream carries, by `type`. Extensions add their own by declaration merging:
 * `declare module '../actors/EventStream' { interface ActorEventMap { MemberUp: MemberUp } }`,
 * where `MemberUp` has `type: 'MemberUp'`.
 */
export interface ActorEventMap {
  DeadLetter: DeadLetter;
  UnhandledMessage: UnhandledMessage;
  ActorStarted: ActorStarted;
  ActorStopped: ActorStopped;
  ActorFailed: ActorFailed;
  ActorRestarted: ActorRestarted;
}

/** Any event of the stream. */
export type ActorEvent = ActorEventMap[keyof ActorEventMap];

type AnyHandler = (event: ActorEvent) => void;

/**
 * The system's publish/subscribe bus for system events (dead letters, lifecycle, failures) and
 * for extensions' events. Handlers run synchronously inside `publish`, so keep them short and
 * hand work to an actor (`(e) => ref.tell(e)`); a handler that throws is reported and skipped.
 */
export class EventStream {
  private readonly byType = new Map<string, Set<AnyHandler>>();
  private readonly all = new Set<AnyHandler>();
  private readonly onHandlerError: (error: unknown, event: ActorEvent) => void;

  /** @internal Created by the actor system. */
  constructor(onHandlerError: (error: unknown, event: ActorEvent) => void) {
    this.onHandlerError = onHandlerError;
  }

  /** Calls `handler` for every event of `type`; returns a function that unsubscribes. */
  subscribe<K extends keyof ActorEventMap>(type: K, handler: (event: ActorEventMap[K]) => void): () => void {
    const key = type as string;
    let set = this.byType.get(key);
    if (set === undefined) {
      set = new Set();
      this.byType.set(key, set);
    }
    const subscription: AnyHandler = (event) => handler(event as ActorEventMap[K]);
    set.add(subscription);
    return () => {
      set.delete(subscription);
    };
  }

  /** Calls `handler` for every event; returns a function that unsubscribes. */
  subscribeAll(handler: (event: ActorEvent) => void): () => void {
    const subscription: AnyHandler = (event) => handler(event);
    this.all.add(subscription);
    return () => {
      this.all.delete(subscription);
    };
  }

  /** Delivers `event` to its subscribers now. */
  publish(event: ActorEvent): void {
    const typed = this.byType.get(event.type);
    const handlers = [...(typed ?? []), ...this.all];
    for (const handler of handlers) {
      try {
        handler(event);
      } catch (error) {
        this.onHandlerError(error, event);
      }
    }
  }
}
