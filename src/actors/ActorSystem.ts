import { createRng, hashString, systemClock, type Clock, type Rng } from '../util';
import type { TaskDispatcher, Transport } from '../transport';
import type { ActorRef } from './ActorRef';
import { ActorRuntime } from './ActorRuntime';
import type { TerminationKind } from './ActorRuntime';
import {
  ExtensionAlreadyRegisteredError,
  ExtensionNotFoundError,
  InvalidArgumentError,
  NotAChildError,
  checkDuration,
} from './errors';
import type { EventStream } from './EventStream';
import type { ExtensionKey } from './ExtensionKey';
import { createActorLogger, defaultLogger } from './Logger';
import type { ActorLogger, Logger } from './Logger';
import type { Props } from './Props';
import type { Scheduler } from './Scheduler';
import { defaultStrategy } from './SupervisorStrategy';
import type { SupervisorStrategy } from './SupervisorStrategy';

/** Options of `ActorSystem.create`. Everything nondeterministic is injected here. */
export interface ActorSystemOptions {
  /** Links to other nodes; without it the system is local only. Its `self` becomes the address. */
  readonly transport?: Transport;
  /** The node address when there is no transport; defaults to the system name. */
  readonly address?: string;
  /** Time for timers, ask timeouts and supervision windows; defaults to the real clock. */
  readonly clock?: Clock;
  /** Randomness for extensions; defaults to a generator seeded from the name. */
  readonly rng?: Rng;
  /** Where everything is logged; the harness passes `ctx.log`. Defaults to `defaultLogger`. */
  readonly log?: Logger;
  /** Runs actor turns; defaults to `setImmediate`. A simulation can pass its own queue. */
  readonly dispatch?: TaskDispatcher;
  /** Supervises top-level actors (children of `/user`) unless their props name a strategy. */
  readonly guardianStrategy?: SupervisorStrategy;
  /** The timeout of `ask` when none is given; default 5000 ms. */
  readonly defaultAskTimeoutMs?: number;
  /** The transport channel used by remoting; default `'actors'`. All nodes must agree. */
  readonly remotingChannel?: string;
}

const defaultDispatch: TaskDispatcher = (task) => {
  setImmediate(task);
};

/**
 * One node's actor runtime. Create one per node with `ActorSystem.create(name, options)`; spawn
 * top-level actors with `spawn`; reach actors on other nodes with `refFor(node, path)`.
 *
 * For extensions (cluster, pub/sub, ...): `address`, `clock`, `rng`, `log`, `scheduler` (all
 * cancelled on terminate/abort), `transport` (use `channel(transport, 'name')` for your own
 * protocol), `registerExtension`/`extension`, `onTerminate` hooks, `systemSpawn` for actors under
 * `/system`, and `addressTerminated(node)` for a failure detector to fail remote watches.
 */
export class ActorSystem {
  /** The system's name (also the address when there is no transport). */
  readonly name: string;
  /** This node's address, as other nodes name it in refs. */
  readonly address: string;
  /** The injected clock. */
  readonly clock: Clock;
  /** The injected random number generator. */
  readonly rng: Rng;
  /** The injected logger, for extensions; actors use `ctx.log`. */
  readonly log: Logger;
  /** The transport the system was created with, if any. */
  readonly transport: Transport | undefined;
  readonly #runtime: ActorRuntime;
  readonly #extensions = new Map<string, unknown>();

  private constructor(name: string, options: ActorSystemOptions) {
    const address = options.transport?.self ?? options.address ?? name;
    if (options.transport !== undefined && options.address !== undefined && options.address !== options.transport.self) {
      throw new InvalidArgumentError(
        `The address '${options.address}' differs from the transport's self '${options.transport.self}'; leave address out when you pass a transport.`,
      );
    }
    const defaultAskTimeoutMs = options.defaultAskTimeoutMs ?? 5000;
    checkDuration('defaultAskTimeoutMs', defaultAskTimeoutMs, true);
    this.name = name;
    this.address = address;
    this.clock = options.clock ?? systemClock;
    this.rng = options.rng ?? createRng(hashString(name));
    this.log = options.log ?? defaultLogger;
    this.transport = options.transport;
    this.#runtime = new ActorRuntime(
      {
        address,
        clock: this.clock,
        rng: this.rng,
        log: this.log,
        dispatch: options.dispatch ?? defaultDispatch,
        guardianStrategy: options.guardianStrategy ?? defaultStrategy,
        defaultAskTimeoutMs,
        transport: options.transport,
        remotingChannel: options.remotingChannel ?? 'actors',
      },
      this,
    );
  }

  /** Creates and starts an actor system. With a transport it starts receiving from other nodes at once. */
  static create(name: string, options: ActorSystemOptions = {}): ActorSystem {
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidArgumentError(`An actor system needs a non-empty name; it was given ${JSON.stringify(name)}.`);
    }
    return new ActorSystem(name, options);
  }

  /** System events (dead letters, lifecycle, failures) and extensions' events. */
  get eventStream(): EventStream {
    return this.#runtime.eventStream;
  }

  /** Timers on the system's clock, all cancelled when the system terminates or aborts. */
  get scheduler(): Scheduler {
    return this.#runtime.scheduler;
  }

  /** A ref whose messages become `DeadLetter` events. */
  get deadLetters(): ActorRef {
    return this.#runtime.deadLetters;
  }

  /** True once `terminate` has finished or `abort` was called. */
  get isTerminated(): boolean {
    return this.#runtime.isTerminated;
  }

  /** Resolves when `terminate` finished or `abort` ran. */
  get whenTerminated(): Promise<void> {
    return this.#runtime.whenTerminated;
  }

  /** Starts a top-level actor at `/user/<name>` (a generated `$`-name without `name`). */
  spawn<M>(props: Props<M>, name?: string): ActorRef<M> {
    return this.#runtime.spawn(false, props as Props, name) as ActorRef<M>;
  }

  /** Starts a runtime or extension actor at `/system/<name>`, out of the way of user actors. */
  systemSpawn<M>(props: Props<M>, name?: string): ActorRef<M> {
    return this.#runtime.spawn(true, props as Props, name) as ActorRef<M>;
  }

  /** Stops a local actor (and its children), asynchronously. Watch it to know when it is gone. */
  stop(ref: ActorRef): void {
    if (ref.node !== this.address) {
      throw new NotAChildError(`Cannot stop ${ref.toString()} from node '${this.address}': only local actors can be stopped. Send it a message asking it to stop instead.`);
    }
    this.#runtime.cellAt(ref.path)?.stop();
  }

  /**
   * A ref to the actor at `path` on `node` (this node when `node` is `address`). Nothing is checked
   * on the other node: messages to a missing actor become dead letters there. Throws for a
   * malformed path, and for another node when the system has no transport.
   */
  refFor<M = unknown>(node: string, path: string): ActorRef<M> {
    return this.#runtime.refFor(node, path) as ActorRef<M>;
  }

  /** The live local actor at `path`, or undefined. */
  lookup<M = unknown>(path: string): ActorRef<M> | undefined {
    return this.#runtime.cellAt(path)?.ref as ActorRef<M> | undefined;
  }

  /** A logger for a component of an extension: lines prefixed with `[source]`. */
  logger(source: string): ActorLogger {
    return createActorLogger(this.log, source, { source });
  }

  /** Registers an extension under `key`; throws `ExtensionAlreadyRegisteredError` if taken. Returns `value`. */
  registerExtension<T>(key: ExtensionKey<T> | string, value: T): T {
    const name = String(key);
    if (this.#extensions.has(name)) throw new ExtensionAlreadyRegisteredError(name);
    this.#extensions.set(name, value);
    return value;
  }

  /** The extension registered under `key`; throws `ExtensionNotFoundError` if there is none. */
  extension<T>(key: ExtensionKey<T> | string): T {
    const name = String(key);
    if (!this.#extensions.has(name)) throw new ExtensionNotFoundError(name, [...this.#extensions.keys()]);
    return this.#extensions.get(name) as T;
  }

  /** The extension registered under `key`, or undefined. */
  findExtension<T>(key: ExtensionKey<T> | string): T | undefined {
    return this.#extensions.get(String(key)) as T | undefined;
  }

  /**
   * Runs `hook` when the system ends. On `terminate` hooks run first, in order and awaited, while
   * actors still work (a cluster leaves gracefully here); on `abort` they are called at once and
   * not awaited, and must not send anything. Returns a function that removes the hook.
   */
  onTerminate(hook: (kind: TerminationKind) => void | Promise<void>): () => void {
    return this.#runtime.onTerminate(hook);
  }

  /**
   * Declares node `node` gone (a failure detector's verdict): every local watch of an actor there
   * gets `Terminated` with `addressTerminated: true`, and that node's watches here are dropped.
   */
  addressTerminated(node: string): void {
    this.#runtime.addressTerminated(node);
  }

  /**
   * Graceful shutdown: termination hooks, then all user actors stop (children first, `postStop`
   * runs, remote watchers are told), then system actors; then every timer is cancelled, pending
   * asks are rejected with `SystemTerminatedError`, and the transport is unsubscribed (not closed:
   * its owner closes it). Idempotent; resolves when done.
   *
   * Gotcha: do not `await` it inside an actor's `receive`: the system waits for that receive to
   * finish, so the two would wait for each other. Call it without awaiting, or from outside.
   */
  terminate(): Promise<void> {
    return this.#runtime.terminate();
  }

  /**
   * Crash: everything stops at once with no hooks of actors, no `Terminated` notices and no
   * messages to other nodes; timers are cancelled and pending asks rejected. For `fault.crash`.
   */
  abort(): void {
    this.#runtime.abort();
  }

  toString(): string {
    return `ActorSystem(${this.name} at '${this.address}')`;
  }
}
