import { systemClock, type Clock } from '../util';
import type { Endpoint } from './loopbackListen';
import { NodeStartError } from './errors';
import type { ExitStatus, LaunchedProcess, Launcher } from './Launcher';
import { nodeEnvironment } from './nodeEnvironment';
import { formatLastLines, ProcessOutput, type OutputLine, type OutputStream } from './ProcessOutput';
import type { ResolvedProcessSpec } from './ProcessSpec';
import { describeReadyCheck, wrongHostHint, LineWatch, waitUntilReady } from './readiness';

/** A line a node process wrote (or a harness notice about it), tagged for the merged log. */
export interface NodeOutputLine {
  readonly role: string;
  readonly incarnation: number;
  readonly stream: OutputStream;
  readonly text: string;
  readonly atMs: number;
}

/** A node process that ended without being asked to (after it was ready): report it against `role`. */
export interface NodeExit {
  readonly role: string;
  readonly incarnation: number;
  readonly status: ExitStatus;
  /** A sentence with the exit code or signal and the last output lines. */
  readonly message: string;
}

/** How `stop()` ended the process. */
export interface StopOutcome {
  readonly status: ExitStatus;
  /** True when it did not exit within `nodeTimeoutMs` of `stopSignal` and was SIGKILLed. */
  readonly killed: boolean;
}

/** Everything `NodeProcess` needs for one role. */
export interface NodeProcessOptions {
  readonly role: string;
  readonly spec: ResolvedProcessSpec;
  /** Where the node listens (`MULTINODE_HOST`/`MULTINODE_PORT`); the same for every incarnation. */
  readonly endpoint: Endpoint;
  /** `MULTINODE_PEERS`: role -> `host:port` of every other role (through the proxies). */
  readonly peers: Readonly<Record<string, string>>;
  readonly seed: number;
  /** `MULTINODE_DATA_DIR`, kept across incarnations. */
  readonly dataDir: string;
  /** Deadline of `stop()` before SIGKILL, of `crash()`, and the default deadline of `start()`. */
  readonly nodeTimeoutMs: number;
  readonly launcher: Launcher;
  readonly clock?: Clock;
  /** Jest's environment; default `process.env`. */
  readonly baseEnv?: NodeJS.ProcessEnv;
  readonly onOutput?: (line: NodeOutputLine) => void;
  /** A process that exits by itself after it was ready (not through stop, crash or restart). */
  readonly onExit?: (exit: NodeExit) => void;
}

interface Incarnation {
  readonly number: number;
  readonly process: LaunchedProcess;
  readonly output: ProcessOutput;
  ready: boolean;
  /** Set by stop, crash and restart: the exit is the harness's doing, not news. */
  ending: boolean;
  status: ExitStatus | null;
}

/**
 * One role's node process across its incarnations: `start` spawns it with its `MULTINODE_*`
 * environment and resolves once it is ready; `crash` SIGKILLs its whole process group; `stop` sends
 * the spec's `stopSignal` and SIGKILLs after `nodeTimeoutMs`; `restart` kills it if needed and starts
 * the next incarnation on the same port with the same data dir. Its lines go to `onOutput`, tagged.
 */
export class NodeProcess {
  readonly role: string;
  private readonly clock: Clock;
  private current: Incarnation | null = null;

  constructor(private readonly options: NodeProcessOptions) {
    this.role = options.role;
    this.clock = options.clock ?? systemClock;
  }

  /** Where this role's node listens, the same for every incarnation (`multinode.endpoint`, never faulted). */
  get endpoint(): Endpoint {
    return this.options.endpoint;
  }

  /** The incarnation started last, -1 before the first start. */
  get incarnation(): number {
    return this.current?.number ?? -1;
  }

  /** The pid (and process group) of the current incarnation, while it runs. */
  get pid(): number | undefined {
    return this.running ? this.current?.process.pid : undefined;
  }

  /** Whether the current incarnation's process has not exited yet. */
  get running(): boolean {
    return this.current !== null && this.current.status === null;
  }

  /** The current incarnation's last output lines. */
  lastLines(): readonly OutputLine[] {
    return this.current?.output.lastLines() ?? [];
  }

  /**
   * Starts incarnation `incarnation` (default: the next one) and resolves once it is ready. Rejects
   * with `NodeStartError` (its last output in the message) when it exits first or is not ready
   * within `timeoutMs` (default `nodeTimeoutMs`; it is then killed). Throws if a process still runs.
   */
  async start(incarnation = this.incarnation + 1, deadline: { readonly timeoutMs: number; readonly setting: string } = { timeoutMs: this.options.nodeTimeoutMs, setting: 'nodeTimeoutMs' }): Promise<void> {
    const { timeoutMs, setting } = deadline;
    if (this.running) throw new Error(`Role '${this.role}' already has a running node process (incarnation ${this.incarnation}, pid ${this.pid}); stop or crash it first.`);
    const { spec, endpoint, role, onOutput } = this.options;
    const label = `role '${role}' (incarnation ${incarnation})`;
    const env = nodeEnvironment(this.options.baseEnv ?? process.env, spec.env, { ...this.options, incarnation });
    const child = this.options.launcher.launch({ command: spec.command, cwd: spec.cwd, env, label });
    const lines = new LineWatch();
    const output = new ProcessOutput(
      { clock: this.clock, label, onEveryLine: (text) => lines.line(text), onLine: (line) => onOutput?.({ role, incarnation, ...line }) },
      child.stdout,
      child.stderr,
    );
    const current: Incarnation = { number: incarnation, process: child, output, ready: false, ending: false, status: null };
    this.current = current;
    void child.exited.then((status) => {
      current.status = status;
      output.finish();
      if (current.ready && !current.ending) this.options.onExit?.({ role, incarnation, status, message: `${this.describe(current)} ${describeStatus(status)} without being asked to. ${formatLastLines(output.lastLines())}` });
    });

    const abort = new AbortController();
    let timer: { cancel(): void } | null = null;
    const outcome = await Promise.race([
      waitUntilReady(spec.ready, endpoint, this.clock, abort.signal, lines).then(() => 'ready' as const),
      child.exited.then(() => 'exited' as const),
      new Promise<'timeout'>((resolve) => (timer = this.clock.schedule(timeoutMs, () => resolve('timeout')))),
    ]);
    abort.abort();
    (timer as { cancel(): void } | null)?.cancel();
    const waitingFor = describeReadyCheck(spec.ready, endpoint);
    if (outcome === 'ready') {
      current.ready = true;
      return;
    }
    if (outcome === 'exited') {
      const status = await child.exited;
      const what = status.spawnError !== undefined ? `could not be started (${status.spawnError.message}; command ${JSON.stringify(spec.command)}, cwd ${spec.cwd})` : `${describeStatus(status)} before it was ready`;
      throw new NodeStartError('NODE_EXITED_BEFORE_READY', role, incarnation, `${this.describe(current)} ${what}; it was waiting for ${waitingFor}. ${formatLastLines(output.lastLines())}`);
    }
    current.ending = true;
    const hint = 'log' in spec.ready ? '' : await wrongHostHint(endpoint);
    await child.kill(this.options.nodeTimeoutMs);
    throw new NodeStartError(
      'NODE_NOT_READY',
      role,
      incarnation,
      `${this.describe(current)} was not ready within ${timeoutMs} ms (waiting for ${waitingFor}) and was killed; raise the ${setting} option if it needs longer.${hint} ${formatLastLines(output.lastLines())}`,
    );
  }

  /** SIGKILLs the whole process group and resolves once every process of it is gone. A no-op when nothing runs. */
  async crash(): Promise<void> {
    const current = this.current;
    if (current === null || current.status !== null) return;
    current.ending = true;
    await current.process.kill(this.options.nodeTimeoutMs);
  }

  /**
   * Sends the spec's `stopSignal` to the process group and waits for the exit; after `nodeTimeoutMs`
   * SIGKILLs the group (`killed: true`). Resolves with how it ended; a no-op (the last status) when
   * nothing runs.
   */
  async stop(): Promise<StopOutcome | null> {
    const current = this.current;
    if (current === null) return null;
    if (current.status !== null) return { status: current.status, killed: false };
    current.ending = true;
    current.process.signal(this.options.spec.stopSignal);
    let timer: { cancel(): void } | null = null;
    const exited = await Promise.race([
      current.process.exited.then(() => true),
      new Promise<false>((resolve) => (timer = this.clock.schedule(this.options.nodeTimeoutMs, () => resolve(false)))),
    ]);
    (timer as { cancel(): void } | null)?.cancel();
    if (!exited) await current.process.kill(this.options.nodeTimeoutMs);
    return { status: await current.process.exited, killed: !exited };
  }

  /** Kills the running process if there is one (SIGKILL), then starts the next incarnation and resolves once it is ready. */
  async restart(): Promise<void> {
    await this.crash();
    await this.start(this.incarnation + 1);
  }

  private describe(current: Incarnation): string {
    const pid = current.process.pid === undefined ? '' : `, pid ${current.process.pid}`;
    return `The node process of role '${this.role}' (incarnation ${current.number}${pid})`;
  }
}

/** `exited with code 1` or `was killed by SIGKILL`. */
export function describeStatus(status: ExitStatus): string {
  if (status.spawnError !== undefined) return `could not be started (${status.spawnError.message})`;
  if (status.signal !== null) return `was killed by ${status.signal}`;
  return `exited with code ${status.code}`;
}
