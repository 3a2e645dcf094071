import { asError, assertNever, type Cancellable, type Clock, serializeError, withDeadline } from '../util';
import type { NodeOp } from './protocol';
import { nodeRandom, type NodeClock, type NodeContext, type NodeHandle, type NodeLogger, type NodeTimer } from '../node';
import type { LinkEndpoint } from './LinkEndpoint';
import type { RoleNodeHost } from './RoleNodeHost';
import type { NodeRealm } from './NodeRealm';
import { findUncloneable } from '../transport';
import type { TraceBuffer } from './TraceBuffer';
import { HarnessTimeoutError, NodeError, withoutFrames } from './errors';

/** Settings a node host needs. */
export interface NodeHostOptions {
  readonly role: string;
  readonly roles: readonly string[];
  readonly seed: number;
  readonly nodeOptions: Readonly<Record<string, unknown>>;
  /** How long a factory, `stop` or `crash` may take. */
  readonly nodeTimeoutMs: number;
  /**
   * How long the first start may take: peers may still be booting, so it gets the set-up deadline.
   * Null in role threads: a role's node can only join once the lead's has formed the cluster, and
   * the lead may load its file long after this role did, so the lead's start-up gate, which counts
   * from the lead's node start, is the one deadline of the first start there.
   */
  readonly setupTimeoutMs: number | null;
}

/**
 * Runs the nodes of one role, one incarnation after another: starts them through the factory,
 * crashes (cut links, then `crash()`), stops them gracefully, and remembers the last handle so that
 * `multinode.system` still answers while the node is dead.
 */
export class NodeHost implements RoleNodeHost {
  private handle: NodeHandle | null = null;
  private running = false;
  private incarnationValue = -1;
  /** Ends the current incarnation's `ctx.clock`: pending timers are cancelled, new ones never run. */
  private stopTimers: () => void = () => undefined;

  constructor(
    private readonly options: NodeHostOptions,
    /** The realm the node lives in; asked at the first start, when the test's realm exists. */
    private readonly realm: () => NodeRealm,
    private readonly links: LinkEndpoint,
    private readonly trace: TraceBuffer,
    private readonly clock: Clock,
  ) {}

  /** The current (or last) node's system; undefined before the first start. */
  get system(): unknown {
    return this.handle?.system;
  }

  /** The current incarnation number (-1 before the first start). */
  get incarnation(): number {
    return this.incarnationValue;
  }

  /** Whether a node is running now. */
  get isRunning(): boolean {
    return this.running;
  }

  /** The current handle, for optional capabilities such as `membersUp`. */
  get current(): NodeHandle | null {
    return this.handle;
  }

  /** Starts incarnation `incarnation` of this role's node; resolves once the factory has resolved. */
  async start(incarnation: number): Promise<void> {
    if (this.running) throw new NodeError(`Role '${this.options.role}' already has a running node (incarnation ${this.incarnationValue}); stop or crash it first.`);
    const realm = this.realm();
    this.links.connect(realm);
    const factory = await realm.loadFactory();
    const transport = this.links.open();
    const log: NodeLogger = (level, message, fields) => this.trace.log(level, message, fields);
    const ctx: NodeContext = {
      role: this.options.role,
      roles: this.options.roles,
      seed: this.options.seed,
      incarnation,
      options: this.options.nodeOptions,
      transport,
      log,
      clock: this.nodeClock(),
      random: nodeRandom(this.options.seed, this.options.role, incarnation),
    };
    this.incarnationValue = incarnation;
    let handle: NodeHandle;
    try {
      const first = incarnation === 0;
      const what = `The node factory for role '${this.options.role}' (incarnation ${incarnation})`;
      const started = Promise.resolve(factory(ctx));
      if (!first) handle = await this.withDeadline(started, what);
      else if (this.options.setupTimeoutMs === null) handle = await started;
      else handle = await this.withDeadline(started, what, this.options.setupTimeoutMs, 'setupTimeoutMs');
    } catch (error) {
      this.links.cut();
      const cause = asError(error);
      const wrapped = new NodeError(`The node of role '${this.options.role}' (incarnation ${incarnation}) failed to start: ${cause.message}`);
      if (cause.stack) wrapped.stack = `${wrapped.name}: ${wrapped.message}\n${cause.stack.split('\n').slice(1).join('\n')}`;
      throw wrapped;
    }
    if (typeof handle !== 'object' || handle === null || typeof handle.stop !== 'function' || !('system' in handle)) {
      this.links.cut();
      throw new NodeError(
        `The node factory for role '${this.options.role}' returned ${handle === null ? 'null' : typeof handle}; it must return { system, stop(), crash?() }.`,
      );
    }
    this.handle = handle;
    this.running = true;
    this.trace.record({ type: 'node', event: 'started', incarnation });
  }

  /** `ctx.clock` of a new incarnation: the harness's clock, whose timers end with a crash or a stop. */
  private nodeClock(): NodeClock {
    const timers = new Set<Cancellable>();
    let ended = false;
    this.stopTimers = () => {
      ended = true;
      for (const timer of timers) timer.cancel();
      timers.clear();
    };
    const track = (start: (run: () => void) => Cancellable, fn: () => void): NodeTimer => {
      if (ended) return { cancel: () => undefined };
      const timer = start(() => {
        timers.delete(timer);
        fn();
      });
      timers.add(timer);
      return {
        cancel: () => {
          timers.delete(timer);
          timer.cancel();
        },
      };
    };
    return {
      now: () => this.clock.now(),
      setTimeout: (fn, ms) => track((run) => this.clock.schedule(ms, run), fn),
      setImmediate: (fn) => track((run) => (this.clock.defer ? this.clock.defer(run) : this.clock.schedule(0, run)), fn),
    };
  }

  /** Crashes the running node: links are cut first, then the optional `crash()` runs. No-op when not running. */
  async crash(): Promise<void> {
    if (!this.running || this.handle === null) return;
    this.running = false;
    this.links.cut();
    this.stopTimers();
    this.trace.record({ type: 'node', event: 'crashed', incarnation: this.incarnationValue });
    try {
      if (this.handle.crash) await this.withDeadline(Promise.resolve(this.handle.crash()), `crash() of role '${this.options.role}'`);
    } catch (error) {
      this.trace.log('warn', `crash() of the node failed: ${serializeError(error).message}`);
    }
  }

  /** Stops the running node gracefully, then cuts its links. No-op when not running. */
  async stop(): Promise<void> {
    if (!this.running || this.handle === null) return;
    this.running = false;
    try {
      await this.withDeadline(Promise.resolve(this.handle.stop()), `stop() of role '${this.options.role}'`);
    } finally {
      this.links.cut();
      this.stopTimers();
      this.trace.record({ type: 'node', event: 'stopped', incarnation: this.incarnationValue });
    }
  }

  /** Runs a node operation the conductor asked for: `start` starts `incarnation`. */
  run(op: NodeOp, incarnation: number): Promise<void> {
    switch (op) {
      case 'crash':
        return this.crash();
      case 'stop':
        return this.stop();
      case 'start':
        return this.start(incarnation);
      default:
        return assertNever(op, 'node operation');
    }
  }

  /**
   * Resolves when this node sees exactly `count` members Up and reachable. Needs a handle with
   * `membersUp()`; on timeout the error shows the node's membership view.
   */
  async awaitMembersUp(count: number, timeoutMs: number): Promise<void> {
    const handle = this.handle;
    if (handle === null || typeof handle.membersUp !== 'function') {
      throw new NodeError(
        `multinode.awaitMembersUp needs a node whose handle has membersUp(): number; the node of role '${this.options.role}' has none. Add membersUp() to the NodeHandle your factory returns.`,
      );
    }
    const deadline = this.clock.now() + timeoutMs;
    for (;;) {
      const current = this.handle;
      const up = current?.membersUp?.() ?? 0;
      if (up === count) return;
      const never = current?.whyNotMembersUp?.(count) ?? null;
      if (never !== null) {
        const view = current?.describeMembership?.() ?? '(the node does not describe its membership)';
        throw withoutFrames(new NodeError(`Role '${this.options.role}' can never see ${count} members Up: ${never}. Its membership view:\n${view}`));
      }
      if (this.clock.now() >= deadline) {
        const view = current?.describeMembership?.() ?? '(the node does not describe its membership)';
        throw new HarnessTimeoutError(
          `Role '${this.options.role}' saw ${up} members Up within ${timeoutMs} ms, not the ${count} expected. Its membership view:\n${view}`,
        );
      }
      await new Promise<void>((resolve) => this.clock.schedule(20, resolve));
    }
  }

  /**
   * Asks the running node's `inspect(query)` within `nodeTimeoutMs`. The query and the answer are
   * structured-clone copies, as they are in processes mode, where they cross a process boundary.
   */
  async inspect(query: unknown): Promise<unknown> {
    const { role } = this.options;
    const handle = this.handle;
    if (handle === null) throw withoutFrames(new NodeError(`multinode.inspect: role '${role}' has no node yet; it can be asked once its node has started.`));
    if (!this.running) {
      throw withoutFrames(
        new NodeError(`multinode.inspect: the node of role '${role}' (incarnation ${this.incarnationValue}) is not running (it crashed or left), so it cannot answer; fault.restart('${role}') starts a new one.`),
      );
    }
    if (typeof handle.inspect !== 'function') {
      throw withoutFrames(new NodeError(`multinode.inspect needs a node whose handle has inspect(query); the node of role '${role}' has none. Add inspect(query) to the NodeHandle your factory returns.`));
    }
    const realm = this.realm();
    const answer = await this.withDeadline(Promise.resolve(handle.inspect(copyOrExplain(realm, query, 'query', role))), `inspect() of role '${role}'`);
    return copyOrExplain(realm, answer, 'answer', role);
  }

  private withDeadline<T>(promise: Promise<T>, what: string, timeoutMs = this.options.nodeTimeoutMs, setting = 'nodeTimeoutMs'): Promise<T> {
    return withDeadline(this.clock, promise, timeoutMs, () =>
      withoutFrames(new HarnessTimeoutError(`${what} did not finish within ${timeoutMs} ms; raise the ${setting} option if it needs longer.`)),
    );
  }
}

/** A structured-clone copy of the query or answer of `inspect`, or an error naming the field that cannot be copied. */
function copyOrExplain(realm: NodeRealm, value: unknown, what: 'query' | 'answer', role: string): unknown {
  try {
    return realm.copy(value);
  } catch (error) {
    const found = findUncloneable(value, what);
    const field = found === undefined ? `it is not cloneable (${asError(error).message})` : `${found.path} is ${found.reason}`;
    throw withoutFrames(new NodeError(`multinode.inspect on role '${role}': the ${what} cannot be structured-cloned: ${field}.`));
  }
}
