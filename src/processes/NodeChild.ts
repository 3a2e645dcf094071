import type { Endpoint } from './loopbackListen';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { deferred, withDeadline, type Clock, type Deferred } from '../util';
import { ProcessNodeError } from './nodeProcessErrors';
import type { FramedSocket } from './FramedSocket';

/**
 * One node process (one incarnation of a role) as the harness sees it: the child, its control
 * connection once authenticated, its address for peers, its last output lines, and how it ended.
 */
export class NodeChild {
  /** Settles when the process is gone: after 'exit' and once its stdout and stderr are closed. */
  readonly exited: Promise<void>;
  /** Resolves with the control connection once the process authenticated. */
  readonly connected: Deferred<FramedSocket> = deferred();
  /** Resolves once the node's factory resolved; rejects with its error or the process's end. */
  readonly started: Deferred<void> = deferred();
  control: FramedSocket | null = null;
  link: Endpoint | null = null;
  /** True once the harness asked it to end (stop, crash, close): its exit is then not reported. */
  ending = false;
  exit: { readonly code: number | null; readonly signal: NodeJS.Signals | null } | null = null;
  private readonly tail: string[] = [];

  constructor(
    readonly role: string,
    readonly incarnation: number,
    readonly child: ChildProcess,
    tailLines: number,
    onOutput: (stream: 'stdout' | 'stderr', line: string) => void,
  ) {
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    for (const stream of ['stdout', 'stderr'] as const) {
      const source = child[stream];
      if (source == null) continue;
      createInterface({ input: source, crlfDelay: Infinity }).on('line', (line) => {
        this.tail.push(line);
        if (this.tail.length > tailLines) this.tail.shift();
        onOutput(stream, line);
      });
    }
  }

  /** The process's last lines of output, oldest first. */
  get lastOutput(): readonly string[] {
    return [...this.tail];
  }

  /**
   * Records the exit and fails what still waited on the process with `error`, which says how it
   * ended; `unexpected` when nobody asked it to end.
   */
  markExited(code: number | null, signal: NodeJS.Signals | null): { unexpected: boolean; error: ProcessNodeError } {
    // Only a node that had started and was not being ended died by itself; a failed start is the start's error.
    const unexpected = !this.ending && this.started.settled;
    this.exit = { code, signal };
    this.control?.destroy();
    const error = this.failure('NODE_PROCESS_EXITED', `exited (${signal !== null ? `killed by ${signal}` : `exit code ${code ?? '?'}`})`);
    this.connected.reject(error);
    this.started.reject(error);
    return { unexpected, error };
  }

  /** SIGKILLs the process if it still runs and waits until it is gone, at most `exitTimeoutMs`. */
  async kill(clock: Clock, exitTimeoutMs: number): Promise<void> {
    this.ending = true;
    if (this.exit === null) this.child.kill('SIGKILL');
    await withDeadline(clock, this.exited, exitTimeoutMs, () => this.failure('NODE_EXIT_TIMEOUT', `did not exit within ${exitTimeoutMs} ms of SIGKILL`));
    await this.control?.close();
  }

  /** An error about this process: `what` it did, then its last output. */
  failure(code: string, what: string): ProcessNodeError {
    const output = this.tail.length === 0 ? ' It wrote nothing.' : ` Its last output:\n${this.tail.map((line) => `  ${line}`).join('\n')}`;
    return new ProcessNodeError(code, `The node process of role '${this.role}' (incarnation ${this.incarnation}, pid ${this.child.pid ?? '?'}) ${what}.${output}`);
  }
}
