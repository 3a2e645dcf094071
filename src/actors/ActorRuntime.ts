import type { Cancellable, Clock, Rng } from '../util';
import type { TaskDispatcher, Transport } from '../transport';
import { Actor } from './Actor';
import type { ActorContext } from './ActorContext';
import { ActorCell } from './ActorCell';
import { DEAD_LETTERS_PATH, SYSTEM_ROOT, TEMP_ROOT, USER_ROOT, checkActorPath, generatedName } from './ActorPath';
import { ActorRef } from './ActorRef';
import type { AskOptions, RefRouter } from './ActorRef';
import type { ActorSystem } from './ActorSystem';
import { AskTimeoutError, NoRemotingError, SystemTerminatedError, checkDuration, describeError, describeMessageType } from './errors';
import { EventStream } from './EventStream';
import type { ActorEvent } from './EventStream';
import { createActorLogger } from './Logger';
import type { ActorLogger, Logger } from './Logger';
import { Props } from './Props';
import { Remoting } from './Remoting';
import type { RemotingHost } from './Remoting';
import { Scheduler } from './Scheduler';
import type { SupervisorStrategy } from './SupervisorStrategy';

/** @internal Settings of a runtime, resolved by `ActorSystem.create`. */
export interface RuntimeSettings {
  readonly address: string;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly log: Logger;
  readonly dispatch: TaskDispatcher;
  readonly guardianStrategy: SupervisorStrategy;
  readonly defaultAskTimeoutMs: number;
  readonly transport: Transport | undefined;
  readonly remotingChannel: string;
}

/** Why the system is ending, as given to termination hooks. */
export type TerminationKind = 'terminate' | 'abort';

type Phase = 'running' | 'terminating' | 'terminated' | 'aborted';

interface PendingAsk {
  reply(message: unknown): void;
  fail(error: unknown): void;
  undelivered: string | undefined;
}

class GuardianActor extends Actor {
  receive(message: unknown, ctx: ActorContext): void {
    ctx.unhandled(message);
  }
}

/**
 * The engine behind an `ActorSystem`: the registry of live actors and pending asks, local and
 * remote delivery, dead letters, and the terminate/abort sequences. Internal.
 */
export class ActorRuntime implements RefRouter, RemotingHost {
  readonly address: string;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly log: Logger;
  readonly systemLog: ActorLogger;
  readonly dispatch: TaskDispatcher;
  readonly guardianStrategy: SupervisorStrategy;
  readonly defaultAskTimeoutMs: number;
  readonly eventStream: EventStream;
  readonly scheduler: Scheduler;
  readonly deadLetters: ActorRef;
  readonly system: ActorSystem;
  readonly whenTerminated: Promise<void>;
  private readonly cells = new Map<string, ActorCell>();
  private readonly asks = new Map<string, PendingAsk>();
  private readonly hooks = new Set<(kind: TerminationKind) => void | Promise<void>>();
  private readonly remoting: Remoting | undefined;
  private readonly userGuardian: ActorCell;
  private readonly systemGuardian: ActorCell;
  private phase: Phase = 'running';
  private askCounter = 0;
  private terminating: Promise<void> | undefined;
  private resolveTerminated: () => void = () => undefined;

  constructor(settings: RuntimeSettings, system: ActorSystem) {
    this.address = settings.address;
    this.clock = settings.clock;
    this.rng = settings.rng;
    this.log = settings.log;
    this.dispatch = settings.dispatch;
    this.guardianStrategy = settings.guardianStrategy;
    this.defaultAskTimeoutMs = settings.defaultAskTimeoutMs;
    this.system = system;
    this.systemLog = createActorLogger(settings.log, 'actors', { node: settings.address });
    this.eventStream = new EventStream((error, event: ActorEvent) =>
      this.systemLog.error(`an event-stream subscriber threw on ${event.type}: ${describeError(error)}`),
    );
    this.scheduler = new Scheduler(settings.clock, (error, what) => this.systemLog.error(`${what} threw: ${describeError(error)}`));
    this.deadLetters = new ActorRef(this.address, DEAD_LETTERS_PATH, this);
    this.whenTerminated = new Promise((resolve) => {
      this.resolveTerminated = resolve;
    });
    this.userGuardian = this.createGuardian(USER_ROOT.slice(1));
    this.systemGuardian = this.createGuardian(SYSTEM_ROOT.slice(1));
    this.remoting = settings.transport === undefined ? undefined : new Remoting(this, settings.transport, settings.remotingChannel);
  }

  /** Whether terminate or abort has finished (or abort has begun). */
  get isTerminated(): boolean {
    return this.phase === 'terminated' || this.phase === 'aborted';
  }

  // ---- actors ---------------------------------------------------------------------------------

  spawn(underSystem: boolean, props: Props, name: string | undefined): ActorRef {
    return (underSystem ? this.systemGuardian : this.userGuardian).spawnChild(props, name).ref;
  }

  checkCanSpawn(name: string | undefined): void {
    if (this.phase !== 'running') throw new SystemTerminatedError(this.address, `spawn ${name === undefined ? 'an actor' : `'${name}'`}`);
  }

  register(cell: ActorCell): void {
    this.cells.set(cell.path, cell);
  }

  unregister(cell: ActorCell): void {
    if (this.cells.get(cell.path) === cell) this.cells.delete(cell.path);
  }

  /** The live local actor at `path`. */
  cellAt(path: string): ActorCell | undefined {
    return this.cells.get(path);
  }

  /** A ref for `node` and `path`, checked; the live actor's own ref when it is local. */
  refFor(node: string, path: string): ActorRef {
    checkActorPath(path);
    if (node !== this.address && this.remoting === undefined) throw new NoRemotingError(this.address, node);
    return this.reviveRef(node, path);
  }

  reviveRef(node: string, path: string): ActorRef {
    if (node === this.address) return this.cells.get(path)?.ref ?? new ActorRef(node, path, this);
    return new ActorRef(node, path, this);
  }

  // ---- delivery -------------------------------------------------------------------------------

  tell(target: ActorRef, message: unknown, sender: ActorRef | undefined): void {
    if (this.phase === 'aborted') return;
    if (target.node === this.address) {
      this.deliverLocal(target.path, message, sender);
    } else if (this.remoting === undefined) {
      this.deadLetter(message, sender, target, `this system has no transport to reach node '${target.node}'`);
    } else {
      this.remoting.tell(target, message, sender);
    }
  }

  deliverLocal(path: string, message: unknown, sender: ActorRef | undefined): void {
    if (path.startsWith(`${TEMP_ROOT}/`)) {
      const pending = this.asks.get(path);
      if (pending !== undefined) pending.reply(message);
      else this.deadLetter(message, sender, this.reviveRef(this.address, path), 'the ask it answers has already finished (answered or timed out)');
      return;
    }
    const cell = this.cells.get(path);
    if (cell !== undefined) {
      cell.enqueue(message, sender);
      return;
    }
    const reason = path === DEAD_LETTERS_PATH ? 'it was sent to deadLetters' : this.isTerminated ? 'the system has terminated' : 'no actor at this path';
    this.deadLetter(message, sender, this.reviveRef(this.address, path), reason);
  }

  /** Publishes a `DeadLetter` (and remembers the reason for an ask waiting on that message). */
  deadLetter(message: unknown, sender: ActorRef | undefined, recipient: ActorRef, reason: string): void {
    if (this.phase === 'aborted') return;
    if (sender !== undefined && sender.node === this.address) {
      const pending = this.asks.get(sender.path);
      if (pending !== undefined) pending.undelivered ??= `${recipient.toString()}: ${reason}`;
    }
    this.systemLog.debug(`dead letter: a ${describeMessageType(message)} message to ${recipient.toString()} was not delivered (${reason})`);
    this.eventStream.publish({ type: 'DeadLetter', message, sender, recipient, reason });
  }

  ask<R>(target: ActorRef, message: unknown, options: AskOptions | undefined): Promise<R> {
    const timeoutMs = options?.timeoutMs ?? this.defaultAskTimeoutMs;
    try {
      checkDuration('timeoutMs', timeoutMs, true);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.phase === 'terminated' || this.phase === 'aborted') {
      return Promise.reject(new SystemTerminatedError(this.address, `ask ${target.toString()}`));
    }
    return new Promise<R>((resolve, reject) => {
      const path = `${TEMP_ROOT}/${generatedName(this.askCounter++)}`;
      const replyTo = new ActorRef(this.address, path, this);
      let timer: Cancellable | undefined;
      const pending: PendingAsk = {
        reply: (reply) => {
          this.asks.delete(path);
          timer?.cancel();
          resolve(reply as R);
        },
        fail: (error) => {
          this.asks.delete(path);
          timer?.cancel();
          reject(error);
        },
        undelivered: undefined,
      };
      this.asks.set(path, pending);
      let payload: unknown;
      try {
        payload = typeof message === 'function' ? (message as (replyTo: ActorRef) => unknown)(replyTo) : message;
      } catch (error) {
        pending.fail(error);
        return;
      }
      timer = this.scheduler.runOnce(timeoutMs, () =>
        pending.fail(new AskTimeoutError(target.toString(), describeMessageType(payload), timeoutMs, pending.undelivered)),
      );
      try {
        target.tell(payload, replyTo);
      } catch (error) {
        pending.fail(error);
      }
    });
  }

  // ---- death watch ----------------------------------------------------------------------------

  watchTarget(target: ActorRef, watcher: ActorCell): void {
    if (target.node !== this.address) {
      this.remoting?.watch(target, watcher.path);
      return;
    }
    const cell = this.cells.get(target.path);
    if (cell !== undefined) cell.watches.addWatcher(watcher);
    else watcher.watches.notifyTerminated(target, false, false);
  }

  unwatchTarget(target: ActorRef, watcher: ActorCell): void {
    if (target.node !== this.address) this.remoting?.unwatch(target, watcher.path);
    else this.cells.get(target.path)?.watches.removeWatcher(watcher);
  }

  sendTerminated(node: string, watcherPath: string, targetPath: string, existenceConfirmed: boolean): void {
    if (node === this.address) this.cells.get(watcherPath)?.watches.notifyTerminated(this.reviveRef(node, targetPath), existenceConfirmed, false);
    else this.remoting?.terminated(node, watcherPath, targetPath, existenceConfirmed);
  }

  acceptWatch(node: string, target: string, watcher: string): void {
    const cell = this.cells.get(target);
    if (cell !== undefined) cell.watches.addRemoteWatcher(node, watcher);
    else this.remoting?.terminated(node, watcher, target, false);
  }

  acceptUnwatch(node: string, target: string, watcher: string): void {
    this.cells.get(target)?.watches.removeRemoteWatcher(node, watcher);
  }

  acceptTerminated(node: string, target: string, watcher: string, existenceConfirmed: boolean): void {
    this.cells.get(watcher)?.watches.notifyTerminated(this.reviveRef(node, target), existenceConfirmed, false);
  }

  addressTerminated(node: string): void {
    for (const cell of this.cells.values()) cell.watches.addressTerminated(node);
  }

  // ---- shutdown -------------------------------------------------------------------------------

  onTerminate(hook: (kind: TerminationKind) => void | Promise<void>): () => void {
    const subscription = (kind: TerminationKind): void | Promise<void> => hook(kind);
    this.hooks.add(subscription);
    return () => {
      this.hooks.delete(subscription);
    };
  }

  terminate(): Promise<void> {
    if (this.phase === 'aborted') return this.whenTerminated;
    this.terminating ??= this.runTerminate();
    return this.terminating;
  }

  abort(): void {
    if (this.phase === 'terminated' || this.phase === 'aborted') return;
    this.phase = 'aborted';
    this.remoting?.close();
    for (const hook of [...this.hooks]) {
      try {
        const result = hook('abort');
        if (result instanceof Promise) result.catch((error: unknown) => this.systemLog.error(`a termination hook failed: ${describeError(error)}`));
      } catch (error) {
        this.systemLog.error(`a termination hook threw: ${describeError(error)}`);
      }
    }
    this.userGuardian.abort();
    this.systemGuardian.abort();
    this.finish('answer an ask: it was aborted');
  }

  private async runTerminate(): Promise<void> {
    for (const hook of [...this.hooks]) {
      try {
        await hook('terminate');
      } catch (error) {
        this.systemLog.error(`a termination hook failed: ${describeError(error)}`);
      }
      if (this.phase === 'aborted') return;
    }
    if (this.phase === 'aborted') return;
    this.phase = 'terminating';
    this.userGuardian.stop();
    await this.userGuardian.terminated;
    this.systemGuardian.stop();
    await this.systemGuardian.terminated;
    if (this.phase !== 'terminating') return;
    this.phase = 'terminated';
    this.remoting?.close();
    this.finish('answer an ask: it terminated first');
  }

  private finish(what: string): void {
    this.scheduler.close();
    const pending = [...this.asks.values()];
    this.asks.clear();
    for (const ask of pending) ask.fail(new SystemTerminatedError(this.address, what));
    this.cells.clear();
    this.resolveTerminated();
  }

  private createGuardian(name: string): ActorCell {
    const cell = new ActorCell(this, undefined, name, Props.create(() => new GuardianActor()));
    this.register(cell);
    cell.start();
    return cell;
  }
}
