import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Clock } from '../util';
import { runOutcome, type JestJsonResult, type RunOutcome } from './runOutcome';

/** One child Jest run of one seed in simulation mode. */
export interface JestRunOptions {
  /** Jest's command line script, `jest/bin/jest.js` of the project. */
  readonly jestBin: string;
  /** Where Jest runs: the folder explore was started in. */
  readonly cwd: string;
  readonly seed: number;
  /** The arguments after `--`, as the user gave them. */
  readonly jestArgs: readonly string[];
  /** Aborting it stops the run: SIGTERM to its process group, SIGKILL `killGraceMs` later. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** How long a stopped run has to exit before it is killed. */
  readonly killGraceMs: number;
}

/** A finished run; its folder (the trace files) stays until `remove()`. */
export interface JestRunResult {
  readonly outcome: RunOutcome;
  /** The run's own `MULTINODE_REPORT_DIR`, where its trace files are. */
  readonly reportDir: string;
  /** Deletes the run's temporary folder (its result and traces). */
  remove(): void;
}

/** Keep this much of a run's output, for runs that end without a result. */
const OUTPUT_TAIL_CHARS = 4000;

/** Jest options that choose how many workers a run has; given after `--`, explore leaves the choice to them. */
const WORKER_OPTIONS = /^(-w|--maxWorkers|--max-workers|-i|--runInBand|--run-in-band)(=|$|\d)/;

/**
 * Runs Jest once for `seed` with `MULTINODE_MODE=simulation`, `MULTINODE_SEED=<seed>` and a report
 * folder of its own, with `--json --outputFile` into that folder, so that concurrent runs never mix
 * results or traces. The configured reporters are replaced by Jest's summary reporter: their output
 * is not read, and the multinode reporter would point every run at one report folder. Unless the
 * arguments choose otherwise, a run has one Jest worker, since explore runs several Jests at once.
 * The child leads its own process group, so that stopping it also stops its Jest workers.
 */
export function runJestForSeed(options: JestRunOptions): Promise<JestRunResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jest-multinode-explore-${options.seed}-`));
  const reportDir = path.join(dir, 'report');
  const outputFile = path.join(dir, 'result.json');
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  const args = [
    options.jestBin,
    ...options.jestArgs,
    ...(options.jestArgs.some((arg) => WORKER_OPTIONS.test(arg)) ? [] : ['--maxWorkers=1']),
    '--reporters=summary',
    '--json',
    '--outputFile',
    outputFile,
  ];
  const groups = process.platform !== 'win32';
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: { ...process.env, FORCE_COLOR: '0', MULTINODE_MODE: 'simulation', MULTINODE_SEED: String(options.seed), MULTINODE_REPORT_DIR: reportDir },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: groups,
    });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const kill = (signal: NodeJS.Signals): void => {
      try {
        if (groups && child.pid !== undefined) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    };
    let forceKill: { cancel(): void } | undefined;
    const stop = (): void => {
      kill('SIGTERM');
      forceKill = options.clock.schedule(options.killGraceMs, () => kill('SIGKILL'));
    };
    options.signal.addEventListener('abort', stop, { once: true });
    if (options.signal.aborted) stop();
    let settled = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, extra = ''): void => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', stop);
      forceKill?.cancel();
      const outcome = runOutcome({ json: readResult(outputFile), exitCode, signal, outputTail: output + extra, cwd: options.cwd });
      resolve({ outcome, reportDir, remove });
    };
    child.on('error', (error) => finish(null, null, `\n${error.message}`));
    // Whatever is left in the run's group when Jest has exited (its workers after a killed Jest, a
    // process a test started and left behind) must not outlive the run, nor hold its output open.
    child.on('exit', () => kill('SIGKILL'));
    child.on('close', (exitCode, signal) => finish(exitCode, signal));
  });
}

function readResult(outputFile: string): JestJsonResult | null {
  try {
    return JSON.parse(fs.readFileSync(outputFile, 'utf8')) as JestJsonResult;
  } catch {
    return null;
  }
}
