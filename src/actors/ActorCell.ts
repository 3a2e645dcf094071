import { assertNever } from '../util';
import type { Actor } from './Actor';
import type { ActorContext } from './ActorContext';
import { childPath } from './ActorPath';
import { ActorRef } from './ActorRef';
import type { ActorRuntime } from './ActorRuntime';
import { ActorInitializationError, ActorStoppedError, describeError, describeMessageType } from './errors';
import { createActorContext } from './cellContext';
import { Children } from './Children';
import { DeathWatch } from './DeathWatch';
import { createActorLogger } from './Logger';
import type { ActorLogger } from './Logger';
import { Mailbox } from './Mailbox';
import { isPromiseLike, runSettled, type Outcome } from './settle';
import type { Props } from './Props';
import { RestartHistory, defaultStrategy } from './SupervisorStrategy';
import { superviseChild } from './superviseChild';
import { Terminated } from './Terminated';
import { ActorTimers } from './TimerScheduler';
import type { TimerTag } from './TimerScheduler';

/**
 * The runtime side of one actor: mailbox, one-message-at-a-time processing (sync or async), the
 * lifecycle state machine, and supervision of its children. Its helpers hold the rest: `Children`
 * (names, escalations), `DeathWatch` (watching and watchers), `superviseChild` (the directive for a
 * failure). Internal; users see `ActorRef` and `ActorContext` (built in cellContext.ts). The
 * lifecycle state machine stays in this one file because it only reads correctly in one place.
 *
 * States: starting -> running <-> suspended (failed, waiting for the supervisor) -> restarting ->
 * running; any -> stopping -> stopped. `busy` is true while actor code (receive or a hook) runs or
 * its promise is pending; stop, restart and resume wait for it to settle.
 */

type CellState = 'starting' | 'running' | 'suspended' | 'restarting' | 'stopping' | 'stopped';

interface Envelope {
  readonly message: unknown;
  readonly sender: ActorRef | undefined;
  readonly timer: TimerTag | undefined;
}

/** Messages handled per turn before yielding to other actors and to I/O. */
const THROUGHPUT = 64;

export class ActorCell {
  readonly ref: ActorRef;
  readonly path: string;
  readonly name: string;
  readonly parent: ActorCell | undefined;
  readonly props: Props;
  readonly children: Children;
  readonly terminated: Promise<void>;
  readonly log: ActorLogger;
  readonly context: ActorContext;

  readonly runtime: ActorRuntime;
  readonly timers: ActorTimers<unknown>;
  /** Whom this actor watches and who watches it. */
  readonly watches: DeathWatch;
  private readonly mailbox = new Mailbox<Envelope>();
  private readonly restarts = new RestartHistory();
  private state: CellState = 'starting';
  private actor: Actor | undefined;
  /** The current instance finished preStart/postRestart, so postStop/preRestart are due. */
  private started = false;
  private busy = false;
  private scheduled = false;
  private inRunLoop = false;
  private stopProceeding = false;
  private deferred: (() => void) | undefined;
  /** The sender of the message being processed (kept across its awaits). */
  currentSender: ActorRef | undefined;
  private resolveTerminated: () => void = () => undefined;

  constructor(runtime: ActorRuntime, parent: ActorCell | undefined, name: string, props: Props) {
    this.runtime = runtime;
    this.parent = parent;
    this.name = name;
    this.props = props;
    this.path = parent === undefined ? `/${name}` : childPath(parent.path, name);
    this.children = new Children(this.path);
    this.ref = new ActorRef(runtime.address, this.path, runtime);
    this.terminated = new Promise((resolve) => {
      this.resolveTerminated = resolve;
    });
    this.log = createActorLogger(runtime.log, this.path, { actor: this.path });
    this.timers = new ActorTimers(runtime.scheduler, (message, tag) => this.enqueue(message, undefined, tag));
    this.context = createActorContext(this);
    this.watches = new DeathWatch(this);
  }

  /** Whether the actor is stopping or stopped. */
  get isStopping(): boolean {
    return this.state === 'stopping' || this.state === 'stopped';
  }

  /** Creates, registers and starts a child. */
  spawnChild(props: Props, name: string | undefined): ActorCell {
    this.runtime.checkCanSpawn(name);
    if (this.isStopping) throw new ActorStoppedError(this.path, `spawn a child${name === undefined ? '' : ` named '${name}'`}`);
    const child = new ActorCell(this.runtime, this, this.children.claimName(name), props);
    this.children.add(child);
    this.runtime.register(child);
    child.start();
    return child;
  }

  /** Starts the actor asynchronously: messages sent meanwhile wait in the mailbox. */
  start(): void {
    this.runtime.dispatch(() => {
      if (this.state !== 'starting') return;
      this.step(
        () => this.createInstance((actor) => actor.preStart(this.context)),
        (outcome) => {
          if (!outcome.ok) {
            this.fail(new ActorInitializationError(this.path, outcome.error), undefined, true);
            return;
          }
          this.state = 'running';
          if (this.parent !== undefined) this.runtime.eventStream.publish({ type: 'ActorStarted', ref: this.ref });
          this.scheduleRun();
        },
      );
    });
  }

  /** Queues a message; a stopping or stopped actor turns it into a dead letter. */
  enqueue(message: unknown, sender: ActorRef | undefined, timer?: TimerTag): void {
    if (this.isStopping) {
      if (!(message instanceof Terminated) && timer === undefined) {
        this.runtime.deadLetter(message, sender, this.ref, 'the actor has stopped');
      }
      return;
    }
    this.mailbox.push({ message, sender, timer });
    this.scheduleRun();
  }

  /** Stops asynchronously: the current message finishes, children stop, then postStop. Idempotent. */
  stop(): void {
    if (this.isStopping) return;
    this.state = 'stopping';
    this.deferred = undefined;
    this.timers.cancelAll();
    if (!this.busy) this.proceedStop();
  }

  /** Dies at once: no hooks, no notices, no dead letters. */
  abort(): void {
    if (this.state === 'stopped') return;
    for (const child of this.children.values()) child.abort();
    this.state = 'stopped';
    this.deferred = undefined;
    this.timers.cancelAll();
    this.mailbox.drain();
    this.watches.clear();
    this.resolveTerminated();
  }

  /** Decides what happens to a failed child, with the child's or this actor's strategy. */
  handleChildFailure(child: ActorCell, error: unknown, message: unknown, duringStart: boolean): void {
    if (this.isStopping) return;
    const strategy =
      child.props.supervisorStrategy ??
      this.actor?.supervisorStrategy ??
      (this.parent === undefined ? this.runtime.guardianStrategy : defaultStrategy);
    const { directive, restartLimitReached } = superviseChild(
      strategy,
      { child: child.ref, childPath: child.path, error, message, duringStart, restarts: child.restarts, now: this.runtime.clock.now() },
      this.log,
    );
    this.runtime.eventStream.publish({ type: 'ActorFailed', ref: child.ref, error, directive, restartLimitReached });
    switch (directive) {
      case 'resume':
        child.resume();
        return;
      case 'restart':
        child.restart(error, message);
        return;
      case 'stop':
        child.stop();
        return;
      case 'escalate':
        if (this.parent === undefined) {
          this.log.error(`${child.path} escalated a failure to the guardian; stopping it (${describeError(error)})`);
          child.stop();
          return;
        }
        this.children.escalate(child);
        this.fail(error, undefined, false);
        return;
      default:
        assertNever(directive, 'supervisor directive');
    }
  }

  /** Called by a child once it has fully stopped: frees its name. */
  childTerminated(child: ActorCell): void {
    this.children.remove(child);
  }

  // ---- processing -------------------------------------------------------------------------

  private scheduleRun(): void {
    if (this.scheduled || this.inRunLoop || this.busy || this.state !== 'running' || this.mailbox.size === 0) return;
    this.scheduled = true;
    this.runtime.dispatch(() => this.run());
  }

  private run(): void {
    this.scheduled = false;
    this.inRunLoop = true;
    try {
      for (let budget = THROUGHPUT; budget > 0 && this.state === 'running' && !this.busy; budget--) {
        const envelope = this.mailbox.shift();
        if (envelope === undefined) break;
        this.invoke(envelope);
      }
    } finally {
      this.inRunLoop = false;
    }
    this.scheduleRun();
  }

  private invoke({ message, sender, timer }: Envelope): void {
    if (timer !== undefined && !this.timers.accept(timer)) return;
    if (message instanceof Terminated && !this.watches.consume(message)) return;
    const actor = this.actor as Actor;
    this.currentSender = sender;
    this.step(
      () => actor.receive(message, this.context),
      (outcome) => {
        if (outcome.ok) this.scheduleRun();
        else this.fail(outcome.error, message, false);
      },
    );
  }

  /**
   * Runs actor code, sync or async; `then` runs once it settled unless the actor stopped meanwhile
   * (then the stop proceeds instead). A directive deferred while busy runs after `then`.
   */
  private step(fn: () => unknown, then: (outcome: Outcome) => void): void {
    this.busy = true;
    runSettled(fn, (outcome) => this.settle(outcome, then));
  }

  private settle(outcome: Outcome, then: (outcome: Outcome) => void): void {
    this.busy = false;
    this.currentSender = undefined;
    if (this.state === 'stopped') return;
    if (this.state === 'stopping') {
      if (!outcome.ok) this.log.error(`failed while stopping: ${describeError(outcome.error)}`);
      this.proceedStop();
      return;
    }
    then(outcome);
    const deferred = this.deferred;
    this.deferred = undefined;
    deferred?.();
  }

  private createInstance(hook: (actor: Actor) => unknown): unknown {
    this.actor = undefined;
    this.started = false;
    const actor = this.props.factory();
    this.actor = actor;
    const result = hook(actor);
    if (!isPromiseLike(result)) {
      this.started = true;
      return result;
    }
    return result.then(() => {
      this.started = true;
    });
  }

  // ---- failure and supervision ------------------------------------------------------------

  private fail(error: unknown, message: unknown, duringStart: boolean): void {
    if (this.isStopping || this.state === 'suspended') {
      if (this.state === 'suspended') this.log.error(`failed again while waiting for its supervisor: ${describeError(error)}`);
      return;
    }
    this.state = 'suspended';
    this.log.error(
      duringStart ? `failed to start: ${describeError(error)}` : `failed on a ${describeMessageType(message)} message: ${describeError(error)}`,
      { error: describeError(error) },
    );
    if (this.parent === undefined) {
      this.stop();
      return;
    }
    this.parent.handleChildFailure(this, error, message, duringStart);
  }

  private resume(): void {
    if (this.state !== 'suspended') return;
    if (this.busy) {
      this.deferred = () => this.resume();
      return;
    }
    if (!this.started) {
      this.stop();
      return;
    }
    this.state = 'running';
    this.resumeEscalated();
    this.scheduleRun();
  }

  private restart(reason: unknown, message: unknown): void {
    if (this.isStopping) return;
    if (this.busy) {
      this.deferred = () => this.restart(reason, message);
      return;
    }
    this.state = 'restarting';
    this.timers.cancelAll();
    const old = this.actor;
    const oldStarted = this.started;
    this.started = false;
    this.step(
      () => (old !== undefined && oldStarted ? old.preRestart(this.context, reason, message) : undefined),
      (outcome) => {
        if (!outcome.ok) this.log.error(`preRestart threw (${describeError(outcome.error)}); restarting anyway`);
        const stoppingChildren = [...this.children.values()].filter((child) => child.isStopping).map((child) => child.terminated);
        void Promise.all(stoppingChildren).then(() => {
          if (this.state !== 'restarting') return;
          this.step(
            () => this.createInstance((actor) => actor.postRestart(this.context, reason)),
            (restarted) => {
              if (!restarted.ok) {
                this.fail(new ActorInitializationError(this.path, restarted.error), undefined, true);
                return;
              }
              this.state = 'running';
              this.log.info(`restarted after: ${describeError(reason)}`);
              this.runtime.eventStream.publish({ type: 'ActorRestarted', ref: this.ref, reason });
              this.resumeEscalated();
              this.scheduleRun();
            },
          );
        });
      },
    );
  }

  private resumeEscalated(): void {
    for (const child of this.children.takeEscalated()) child.resume();
  }

  // ---- stopping -----------------------------------------------------------------------------

  private proceedStop(): void {
    if (this.stopProceeding) return;
    this.stopProceeding = true;
    const children = [...this.children.values()];
    for (const child of children) child.stop();
    const finish = (): void => {
      if (this.state === 'stopped') return;
      const actor = this.actor;
      if (actor === undefined || !this.started) {
        this.finishStop();
        return;
      }
      runSettled(
        () => actor.postStop(this.context),
        (outcome) => {
          if (!outcome.ok) this.log.error(`postStop failed: ${describeError(outcome.error)}`);
          this.finishStop();
        },
      );
    };
    if (children.length === 0) finish();
    else void Promise.all(children.map((child) => child.terminated)).then(finish);
  }

  private finishStop(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.started = false;
    this.runtime.unregister(this);
    this.parent?.childTerminated(this);
    for (const envelope of this.mailbox.drain()) {
      if (envelope.message instanceof Terminated || envelope.timer !== undefined) continue;
      this.runtime.deadLetter(envelope.message, envelope.sender, this.ref, 'the actor stopped before processing it');
    }
    this.watches.cellStopped();
    this.log.debug('stopped');
    if (this.parent !== undefined) this.runtime.eventStream.publish({ type: 'ActorStopped', ref: this.ref });
    this.resolveTerminated();
  }
}
