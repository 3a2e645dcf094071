import { execFile } from 'node:child_process';
import * as path from 'node:path';

/**
 * `examples/worker-mesh` on the built package, as a user runs it: four worker threads on
 * MessageChannelTransport form a cluster, spread the sharded counters over all four, survive the
 * crash of one, and the process exits on its own (a worker thread left running would keep it alive
 * past the deadline).
 */
const ROOT = path.resolve(__dirname, '..', '..');
const DEADLINE_MS = 60_000;
// The default cluster settings: unreachable after 1 s, downed once that has been stable for 1 s.
const RECOVERY_AFTER_DOWNING_MS = 5000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runExample(): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join('examples', 'worker-mesh', 'main.js')], { cwd: ROOT, timeout: DEADLINE_MS, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const failure = error as (Error & { code?: number; signal?: NodeJS.Signals }) | null;
      resolve({ code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0, signal: failure?.signal ?? null, stdout, stderr });
    });
  });
}

let run: Run;

beforeAll(async () => {
  run = await runExample();
}, DEADLINE_MS + 10_000);

it('exits on its own with code 0 and prints no error', () => {
  expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
});

it('spreads the counters over all four workers', () => {
  const spread = /spread: alpha (\d+) \(\d+ shards\), beta (\d+) \(\d+ shards\), gamma (\d+) \(\d+ shards\), delta (\d+) \(\d+ shards\)/.exec(run.stdout);
  expect(spread).not.toBeNull();
  const counts = spread!.slice(1).map(Number);
  for (const count of counts) expect(count).toBeGreaterThan(0);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(32);
});

it("survives one worker's crash: every counter answers again from the survivors within the downing time + 5 s", () => {
  const survived = /survived the crash of (\w+): downed by the survivors after (\d+) ms, every counter answered again from the survivors after (\d+) ms/.exec(run.stdout);
  expect(survived).not.toBeNull();
  const [, crashed, downedMs, answeredMs] = survived!;
  expect(Number(answeredMs)).toBeLessThan(Number(downedMs) + RECOVERY_AFTER_DOWNING_MS);
  const after = /spread now: (.*)/.exec(run.stdout)![1]!;
  expect(after).not.toContain(crashed);
  expect(after.split(', ').reduce((sum, entry) => sum + Number(entry.split(' ')[1]), 0)).toBe(32);
});

it('stops the three surviving threads', () => {
  expect(run.stdout).toContain('all nodes stopped (exit codes 0, 0, 0)');
});
