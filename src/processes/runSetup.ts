import { systemClock, type Clock } from '../util';
import { SetupFailedError } from './errors';
import type { Launcher } from './Launcher';
import { describeStatus } from './NodeProcess';
import { formatLastLines, ProcessOutput, type OutputLine } from './ProcessOutput';

/** Options of `runSetup`. */
export interface SetupOptions {
  /** The spec's `setup` command, `'node'` already resolved. */
  readonly command: readonly string[];
  readonly cwd: string;
  /** Its complete environment (Jest's, the spec's `env`, `MULTINODE_SEED`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs: number;
  readonly launcher: Launcher;
  readonly clock?: Clock;
  /** Its output lines, for the merged log. */
  readonly onOutput?: (line: OutputLine) => void;
}

/**
 * Runs the process spec's `setup` command to its end, before any node starts. Resolves when it
 * exits with code 0; otherwise rejects with `SetupFailedError` quoting its exit code or signal and
 * its last output lines. Past `timeoutMs` its process group is killed and that is a failure too.
 */
export async function runSetup(options: SetupOptions): Promise<void> {
  const clock = options.clock ?? systemClock;
  const label = 'the setup command';
  const child = options.launcher.launch({ command: options.command, cwd: options.cwd, env: options.env, label });
  const output = new ProcessOutput({ clock, label, onLine: (line) => options.onOutput?.(line) }, child.stdout, child.stderr);
  let timer: { cancel(): void } | null = null;
  const finished = await Promise.race([child.exited.then(() => true), new Promise<false>((resolve) => (timer = clock.schedule(options.timeoutMs, () => resolve(false))))]);
  (timer as { cancel(): void } | null)?.cancel();
  const shown = `${JSON.stringify(options.command)} (cwd ${options.cwd})`;
  if (!finished) {
    await child.kill(options.timeoutMs);
    throw new SetupFailedError(`The setup command ${shown} did not finish within ${options.timeoutMs} ms and was killed. ${formatLastLines(output.lastLines())}`);
  }
  const status = await child.exited;
  output.finish();
  if (status.code === 0) return;
  throw new SetupFailedError(`The setup command ${shown} ${describeStatus(status)}, so no node was started. ${formatLastLines(output.lastLines())}`);
}
