import type { Endpoint } from './loopbackListen';
import type { LogLevel } from '../node';
import { deferred, deserializeError, systemClock, withDeadline, type Clock, type Deferred } from '../util';
import { NodeChild } from './NodeChild';
import { ControlServer, type ControlHello } from './ControlServer';
import { ProcessNodeError } from './nodeProcessErrors';
import type { FramedSocket } from './FramedSocket';
import { CONTROL_ADDRESS_ENV, CONTROL_TOKEN_ENV, isFrame, type HarnessToNode, type NodeToHarness, type PeerAddresses, type TraceBatch } from './protocol';
import { resolveProcessNodeSettings, type ProcessNodeSettings } from './processNodeSettings';
import { NODE_PROCESS_MAIN, spawnNodeProcess, type NodeProcessLauncher } from './spawnNodeProcess';

/** What a `ProcessNodeClient` runs, for one role of one test file. */
export interface ProcessNodeClientOptions {
  readonly role: string;
  readonly roles: readonly string[];
  readonly seed: number;
  /** Absolute path of the module whose default export is the `NodeFactory`. */
  readonly factoryModule: string;
  /** The Jest project config, made transpile-only by the caller; its transform compiles the factory. */
  readonly projectConfig: unknown;
  /** `ctx.options` of the node. */
  readonly nodeOptions?: Readonly<Record<string, unknown>>;
  /** The run's token (see `createRunToken`); the same for every role of a file. */
  readonly token: string;
  readonly settings?: Partial<ProcessNodeSettings>;
  /** Starts the process; the default is a direct child (`spawnNodeProcess`). */
  readonly launcher?: NodeProcessLauncher;
  /** The node process's entry module; `NODE_PROCESS_MAIN` by default. */
  readonly entryModule?: string;
  /** Working directory of the process; the harness's by default. */
  readonly cwd?: string;
  /** Extra environment of the process, over the harness's own. */
  readonly env?: Readonly<Record<string, string>>;
  readonly clock?: Clock;
}

/** How a start is set up: the network the new node joins, and the test it starts in. */
export interface ProcessStartOptions {
  /**
   * Where the other roles listen. A function is called when the start command is sent (after
   * `whenListening`), so the node gets the addresses and faults in force then, not those of the call.
   */
  readonly peers?: PeerAddresses | (() => PeerAddresses);
  /** The fault table's cells (see `faultSnapshot`), or a function read like `peers`; no faults when absent. */
  readonly faults?: Int32Array | (() => Int32Array);
  readonly test?: string | null;
  /** Deadline of the whole start; `nodeTimeoutMs` by default (pass `setupTimeoutMs` for a first start). */
  readonly timeoutMs?: number;
  /**
   * Called once the process listens for its peers, before its factory runs: the place to tell the
   * other roles its address, so the node can be reached while it starts.
   */
  readonly whenListening?: (link: Endpoint) => void | Promise<void>;
}

/** A line a node logged with `ctx.log`, tagged with role and incarnation. */
export interface ProcessNodeLog {
  readonly role: string;
  readonly incarnation: number;
  readonly time: number;
  readonly level: LogLevel;
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

/** How a node process ended without being asked to. */
export interface ProcessNodeExit {
  readonly role: string;
  readonly incarnation: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Its last lines of stdout and stderr. */
  readonly lastOutput: readonly string[];
}

/**
 * The harness's handle on one role's node when it runs in its own OS process: spawns the process
 * (one per incarnation), serves the authenticated control channel, and offers start, stop, crash
 * (SIGKILL), inspect and fault updates, each with a deadline. `close()` leaves no process, socket
 * or timer behind.
 */
export class ProcessNodeClient {
  /** The role whose node this client runs. */
  readonly role: string;
  private readonly settings: ProcessNodeSettings;
  private readonly clock: Clock;
  private readonly server: ControlServer;
  private current: NodeChild | null = null;
  private seq = 0;
  private readonly replies = new Map<number, Deferred<NodeToHarness>>();
  private test: string | null = null;
  private closed = false;
  private logHandler: (entry: ProcessNodeLog) => void = () => undefined;
  private traceHandler: (batch: TraceBatch, incarnation: number) => void = () => undefined;
  private outputHandler: (stream: 'stdout' | 'stderr', line: string, incarnation: number) => void = () => undefined;
  private exitHandler: (exit: ProcessNodeExit) => void = () => undefined;
  private refusedHandler: (reason: string) => void = () => undefined;

  constructor(private readonly options: ProcessNodeClientOptions) {
    this.role = options.role;
    this.settings = resolveProcessNodeSettings(options.settings);
    this.clock = options.clock ?? systemClock;
    this.server = new ControlServer(options.token, this.clock, this.settings.connectTimeoutMs, (control, hello) => this.connected(control, hello), (reason) => this.refused(reason));
  }

  /** Lines the node logs with `ctx.log`. */
  onLog(handler: (entry: ProcessNodeLog) => void): void {
    this.logHandler = handler;
  }

  /** Batches of message records (send and receive halves, with the process's Lamport clock). */
  onTrace(handler: (batch: TraceBatch, incarnation: number) => void): void {
    this.traceHandler = handler;
  }

  /** Every line the process writes to stdout or stderr. */
  onOutput(handler: (stream: 'stdout' | 'stderr', line: string, incarnation: number) => void): void {
    this.outputHandler = handler;
  }

  /** A process that ended by itself (not by stop, crash or close). */
  onExit(handler: (exit: ProcessNodeExit) => void): void {
    this.exitHandler = handler;
  }

  /** A control connection refused (wrong token, no hello); also logged as a warning through `onLog`. */
  onRefused(handler: (reason: string) => void): void {
    this.refusedHandler = handler;
  }

  /** Where the harness's control channel listens, once a start has begun. */
  controlAddress(): Promise<Endpoint> {
    return this.server.listen();
  }

  /** Where the current process listens for its peers; null without an authenticated process. */
  get linkAddress(): Endpoint | null {
    return this.current?.link ?? null;
  }

  /** The current process's id, or null. */
  get pid(): number | null {
    return this.current?.child.pid ?? null;
  }

  /** True while a process runs a started node. */
  get running(): boolean {
    return this.current !== null && this.current.started.settled && this.current.exit === null && !this.current.ending;
  }

  /** Tags the node's message records with the harness's current test from now on. */
  setTest(test: string | null): void {
    this.test = test;
    this.notify({ type: 'test', test });
  }

  /**
   * Spawns a process for `incarnation` and starts the node in it; resolves when the factory has
   * resolved. Rejects with the factory's own error when it threw, and with a `ProcessNodeError`
   * (quoting the process's last output) when the process exits or the deadline passes; the process
   * is gone then. Stop or crash the previous incarnation first.
   */
  async start(incarnation: number, options: ProcessStartOptions = {}): Promise<void> {
    if (this.closed) throw new ProcessNodeError('CLIENT_CLOSED', `The node of role '${this.role}' cannot start: its client was closed.`);
    if (this.current !== null) throw new ProcessNodeError('ALREADY_RUNNING', `The node of role '${this.role}' cannot start incarnation ${incarnation}: incarnation ${this.current.incarnation} still has a process; stop or crash it first.`);
    const timeoutMs = options.timeoutMs ?? this.settings.nodeTimeoutMs;
    const running = await this.spawn(incarnation);
    const work = (async () => {
      const control = await running.connected.promise;
      await options.whenListening?.(running.link!);
      if (options.test !== undefined) this.test = options.test;
      control.send({
        type: 'start',
        role: this.role,
        roles: this.options.roles,
        seed: this.options.seed,
        incarnation,
        options: this.options.nodeOptions ?? {},
        factoryModule: this.options.factoryModule,
        projectConfig: this.options.projectConfig,
        linkToken: this.options.token,
        peers: (typeof options.peers === 'function' ? options.peers() : options.peers) ?? {},
        faults: (typeof options.faults === 'function' ? options.faults() : options.faults) ?? new Int32Array(0),
        test: this.test,
      } satisfies HarnessToNode);
      await running.started.promise;
    })();
    try {
      await withDeadline(this.clock, work, timeoutMs, () => running.failure('NODE_START_TIMEOUT', `did not start within ${timeoutMs} ms`));
    } catch (error) {
      // The start's own error says more than a failure to reap the process would.
      await this.kill(running).catch(() => undefined);
      throw error;
    }
  }

  /** Graceful stop: the node's `stop()`, then the process exits. Kills it and rejects, naming the role, past `nodeTimeoutMs`. */
  async stop(): Promise<void> {
    const running = this.current;
    if (running === null) return;
    running.ending = true;
    try {
      await this.request(running, { type: 'stop', seq: ++this.seq }, 'stop()');
      await withDeadline(this.clock, running.exited, this.settings.exitTimeoutMs, () => running.failure('NODE_EXIT_TIMEOUT', `stopped its node but did not exit within ${this.settings.exitTimeoutMs} ms`));
    } finally {
      await this.kill(running);
    }
  }

  /** Abrupt death: lets the node's own `crash()` run for at most `crashGraceMs`, then SIGKILL. */
  async crash(): Promise<void> {
    const running = this.current;
    if (running === null) return;
    running.ending = true;
    if (running.control !== null && this.settings.crashGraceMs > 0) {
      const seq = ++this.seq;
      const reply = this.expect(seq);
      running.control.send({ type: 'crash', seq } satisfies HarnessToNode);
      await withDeadline(this.clock, reply, this.settings.crashGraceMs, () => new Error('grace over')).catch(() => undefined);
    }
    await this.kill(running);
  }

  /** Asks the node's `NodeHandle.inspect(query)`; rejects when it has none, throws, or the node is not running. */
  async inspect(query?: unknown): Promise<unknown> {
    const running = this.current;
    if (running === null || !this.running) throw new ProcessNodeError('NODE_NOT_RUNNING', `The node of role '${this.role}' is not running, so it cannot be inspected.`);
    const reply = await this.request(running, { type: 'inspect', seq: ++this.seq, query }, 'inspect()');
    return reply.type === 'answer' ? reply.answer : undefined;
  }

  /** Sends the fault table's cells; resolves when the process applied them. A no-op without a connected process. */
  async applyFaults(cells: Int32Array): Promise<void> {
    const running = this.current;
    if (running?.control == null || running.exit !== null) return;
    await this.request(running, { type: 'faults', seq: ++this.seq, cells }, 'a fault update');
  }

  /**
   * Sends where every role listens; resolves when the process applied it, within `timeoutMs` (default
   * `nodeTimeoutMs`; a start passes its own, since a process may still be loading its factory then).
   * A no-op without a connected process.
   */
  async setPeers(peers: PeerAddresses, timeoutMs = this.settings.nodeTimeoutMs): Promise<void> {
    const running = this.current;
    if (running?.control == null || running.exit !== null) return;
    await this.request(running, { type: 'peers', seq: ++this.seq, peers }, 'a peer update', timeoutMs);
  }

  /** Kills the process if any and stops listening; leaves no process, socket or timer. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    try {
      if (this.current !== null) await this.kill(this.current);
    } finally {
      await this.server.close();
    }
  }

  private async spawn(incarnation: number): Promise<NodeChild> {
    const control = await this.server.listen();
    const memory = this.settings.memoryMb > 0 ? [`--max-old-space-size=${this.settings.memoryMb}`] : [];
    const child = (this.options.launcher ?? spawnNodeProcess)({
      role: this.role,
      incarnation,
      entryModule: this.options.entryModule ?? NODE_PROCESS_MAIN,
      execArgv: memory,
      cwd: this.options.cwd ?? process.cwd(),
      env: {
        ...process.env,
        ...this.options.env,
        MULTINODE_ROLE: this.role,
        MULTINODE_INCARNATION: String(incarnation),
        MULTINODE_SEED: String(this.options.seed),
        [CONTROL_ADDRESS_ENV]: `${control.host}:${control.port}`,
        [CONTROL_TOKEN_ENV]: this.options.token,
      },
    });
    const running = new NodeChild(this.role, incarnation, child, this.settings.outputTailLines, (stream, line) => this.outputHandler(stream, line, incarnation));
    this.current = running;
    child.once('error', (error) => running.connected.reject(running.failure('NODE_SPAWN_FAILED', `could not be spawned (${error.message})`)));
    child.once('exit', (code, signal) => this.exited(running, code, signal));
    return running;
  }

  private connected(control: FramedSocket, hello: ControlHello): void {
    const running = this.current;
    if (running === null || running.control !== null || running.exit !== null) {
      control.destroy();
      this.refused(`Refused a control connection with the right token from process ${hello.pid}: role '${this.role}' expects none now.`);
      return;
    }
    running.control = control;
    running.link = hello.link;
    control.onFrame((frame) => {
      if (isFrame(frame)) this.received(running, frame as NodeToHarness);
    });
    control.onClose(() => this.rejectReplies(running.failure('NODE_CONTROL_CLOSED', 'closed its control channel')));
    running.connected.resolve(control);
  }

  private received(running: NodeChild, frame: NodeToHarness): void {
    switch (frame.type) {
      case 'started':
        return running.started.resolve();
      case 'start-failed':
        return running.started.reject(deserializeError(frame.error));
      case 'done':
      case 'failed':
      case 'answer':
        return this.replies.get(frame.seq)?.resolve(frame);
      case 'log':
        return this.logHandler({ role: this.role, incarnation: running.incarnation, time: frame.time, level: frame.level, message: frame.message, ...(frame.fields === undefined ? {} : { fields: frame.fields }) });
      case 'trace':
        return this.traceHandler({ records: frame.records, omitted: frame.omitted }, running.incarnation);
      case 'hello':
        return;
    }
  }

  private exited(running: NodeChild, code: number | null, signal: NodeJS.Signals | null): void {
    const { unexpected, error } = running.markExited(code, signal);
    this.rejectReplies(error);
    if (this.current === running) this.current = null;
    if (unexpected) this.exitHandler({ role: this.role, incarnation: running.incarnation, code, signal, lastOutput: running.lastOutput });
  }

  /** Sends a command and waits for its reply within `nodeTimeoutMs`; a `failed` reply rejects with the node's error. */
  private async request(running: NodeChild, command: HarnessToNode & { seq: number }, what: string, timeoutMs = this.settings.nodeTimeoutMs): Promise<NodeToHarness> {
    const reply = this.expect(command.seq);
    running.control?.send(command);
    const answer = await withDeadline(this.clock, reply, timeoutMs, () => running.failure('NODE_TIMEOUT', `did not answer ${what} within ${timeoutMs} ms`));
    if (answer.type === 'failed') throw deserializeError(answer.error);
    return answer;
  }

  private expect(seq: number): Promise<NodeToHarness> {
    const reply = deferred<NodeToHarness>();
    this.replies.set(seq, reply);
    void reply.promise.then(
      () => this.replies.delete(seq),
      () => this.replies.delete(seq),
    );
    return reply.promise;
  }

  private rejectReplies(error: Error): void {
    for (const reply of this.replies.values()) reply.reject(error);
    this.replies.clear();
  }

  private notify(command: HarnessToNode): void {
    const control = this.current?.control;
    if (control != null && !control.closed) control.send(command);
  }

  /** SIGKILLs the process (if it still runs) and waits until it is gone, at most `exitTimeoutMs`. */
  private async kill(running: NodeChild): Promise<void> {
    try {
      await running.kill(this.clock, this.settings.exitTimeoutMs);
    } finally {
      if (this.current === running) this.current = null;
    }
  }

  private refused(reason: string): void {
    this.refusedHandler(reason);
    this.logHandler({ role: this.role, incarnation: this.current?.incarnation ?? -1, time: this.clock.now(), level: 'warn', message: reason });
  }

}
