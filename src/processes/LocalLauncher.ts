import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { systemClock, withDeadline, type Clock } from '../util';
import { ProcessGroupStuckError } from './errors';
import type { ExitStatus, LaunchRequest, LaunchedProcess, Launcher } from './Launcher';
import { killGroupAndWait, signalGroup } from './processGroup';
import { Reaper } from './Reaper';
import { PROCESS_SETTINGS } from './settings';

/** Options of `LocalLauncher`. */
export interface LocalLauncherOptions {
  readonly clock?: Clock;
}

/**
 * Runs every process as a child of this one, each the leader of its own process group (`detached`),
 * so a crash or a stop reaches everything the program started (a shell's children, `npm start`'s
 * node). Every group is registered with a `Reaper` from its spawn until it is gone, so nothing
 * survives this process, even a SIGKILL of it.
 */
export class LocalLauncher implements Launcher {
  private readonly clock: Clock;
  private reaper: Reaper | null = null;
  private readonly live = new Set<LaunchedProcess>();
  private closed = false;

  constructor(options: LocalLauncherOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /** The reaper's pid once a process has been launched (for tests). */
  get reaperPid(): number | undefined {
    return this.reaper?.pid;
  }

  launch(request: LaunchRequest): LaunchedProcess {
    if (this.closed) throw new Error(`This launcher is closed; it cannot start ${request.label}.`);
    this.reaper ??= new Reaper(this.clock);
    const reaper = this.reaper;
    const [program, ...args] = request.command;
    const child = spawn(program, args, { cwd: request.cwd, env: request.env as NodeJS.ProcessEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid !== undefined) reaper.register(pid);
    const stdout = child.stdout ?? new PassThrough().end();
    const stderr = child.stderr ?? new PassThrough().end();
    const clock = this.clock;
    let status: ExitStatus | null = null;
    const exited = new Promise<ExitStatus>((resolve) => {
      const settle = (value: ExitStatus): void => {
        if (status !== null) return;
        status = value;
        resolve(value);
      };
      // 'close' comes after 'exit' once both pipes are drained, so no line is lost. A program that
      // handed its pipes to a process outside its group (setsid) would keep them open: stop reading
      // them shortly after the exit instead of waiting forever.
      child.once('exit', () => {
        const timer = clock.schedule(PROCESS_SETTINGS.pipeDrainMs, () => {
          stdout.destroy();
          stderr.destroy();
        });
        child.once('close', () => timer.cancel());
      });
      child.once('close', (code, signal) => settle({ code, signal }));
      child.once('error', (error) => {
        if (pid === undefined) settle({ code: null, signal: null, spawnError: error });
      });
    });
    const launched: LaunchedProcess = {
      pid,
      stdout,
      stderr,
      exited,
      signal(signal) {
        if (pid !== undefined) signalGroup(pid, signal);
      },
      async kill(timeoutMs) {
        if (pid === undefined) return;
        // The leader is our child, so its exit is reported at once; only then look for other
        // members of its group (which costs a scan of /proc while the group still exists).
        const deadline = clock.now() + timeoutMs;
        signalGroup(pid, 'SIGKILL');
        const stuck = (): ProcessGroupStuckError => new ProcessGroupStuckError(request.label, `The processes of ${request.label} (process group ${pid}) were still alive ${timeoutMs} ms after SIGKILL.`);
        await withDeadline(clock, exited, timeoutMs, stuck);
        if (!(await killGroupAndWait(pid, clock, Math.max(0, deadline - clock.now())))) throw stuck();
      },
    };
    this.live.add(launched);
    void exited.then(async () => {
      // The leader is gone; whatever it started in its group is an orphan of ours: end it too.
      if (pid !== undefined) {
        await killGroupAndWait(pid, clock, PROCESS_SETTINGS.orphanKillMs).catch(() => false);
        reaper.unregister(pid);
      }
      this.live.delete(launched);
    });
    return launched;
  }

  async close(): Promise<void> {
    this.closed = true;
    const live = [...this.live];
    const results = await Promise.allSettled(live.map((process) => process.kill(PROCESS_SETTINGS.orphanKillMs)));
    await this.reaper?.close();
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }
}
