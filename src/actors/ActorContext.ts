import type { Actor } from './Actor';
import type { ActorRef } from './ActorRef';
import type { ActorSystem } from './ActorSystem';
import type { ActorLogger } from './Logger';
import type { Props } from './Props';
import type { TimerScheduler } from './TimerScheduler';

/**
 * What an actor can see and do, passed to `receive` and to every lifecycle hook. Only use it from
 * inside those calls (and the promises they return): it belongs to the actor's own turn.
 */
export interface ActorContext<M = unknown> {
  /** This actor's ref. */
  readonly self: ActorRef<M>;
  /** This actor's path, e.g. `/user/a/b`. */
  readonly path: string;
  /** The parent (`/user` for actors made by `system.spawn`). */
  readonly parent: ActorRef | undefined;
  /** The sender of the message being processed, if it was sent with one; undefined in hooks. */
  readonly sender: ActorRef | undefined;
  /** The actor system this actor runs in. */
  readonly system: ActorSystem;
  /** Logs through the system's logger; every line names this actor's path. */
  readonly log: ActorLogger;
  /** Keyed one-off and repeated messages to self; all cancelled on stop and restart. */
  readonly timers: TimerScheduler<M>;
  /** The children that have not finished stopping. */
  readonly children: readonly ActorRef[];
  /** The child named `name`, if it has not finished stopping. */
  child(name: string): ActorRef | undefined;
  /** Starts a child; without `name` a unique `$`-name is generated. Throws if `name` is taken. */
  spawn<C>(props: Props<C>, name?: string): ActorRef<C>;
  /** Stops this actor (no argument) or one of its children, asynchronously: children first, then `postStop`. */
  stop(ref?: ActorRef): void;
  /** Delivers a `Terminated` for `ref` once it stops (at once if it is already gone); local or remote. */
  watch<T>(ref: ActorRef<T>): ActorRef<T>;
  /** Cancels `watch`; no `Terminated` for `ref` arrives after this, even one already queued. */
  unwatch(ref: ActorRef): void;
  /** Sends `message` to the sender of the current message, with this actor as sender; dead letter if there is none. */
  reply(message: unknown): void;
  /** Sends `message` to `target` keeping the current sender, so `target` replies to the original asker. */
  forward(target: ActorRef, message: unknown): void;
  /** Reports a message this actor does not handle: an `UnhandledMessage` event and a debug log line. */
  unhandled(message: unknown): void;
}

/** The actor type produced by a factory, for typing helpers. */
export type ActorFactory<M> = () => Actor<M>;
