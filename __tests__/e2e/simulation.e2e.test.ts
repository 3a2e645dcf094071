import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES, fileResult, runJest, runJestWithReporter, testResult, type JestRun } from './helpers/runJest';

/**
 * Real Jest on the `simulation` fixture project (three roles in simulation mode, the kv fixture
 * node): the seed replays a run byte for byte, another seed gives another run, virtual time, and a
 * real wake-up is caught and named.
 */
const traces = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-sim-'));
// The same fixture project in another folder, as on another machine: every absolute path differs.
const moved = fs.mkdtempSync(path.join(FIXTURES, 'simulation-moved-'));
fs.cpSync(path.join(FIXTURES, 'simulation'), moved, { recursive: true });
const run = (name: string, seed: number, ...files: string[]): Promise<JestRun> => runIn('simulation', name, seed, ...files);
const runIn = (project: string, name: string, seed: number, ...files: string[]): Promise<JestRun> =>
  runJest(project, files, { env: { MULTINODE_SEED: String(seed), MULTINODE_REPORT_DIR: path.join(traces, name) } });
const trace = (name: string, file: string): Buffer => fs.readFileSync(path.join(traces, name, `${file}.mntrace`));

let first: JestRun;
let again: JestRun;
let other: JestRun;
let elsewhere: JestRun;
let stuck: JestRun;

beforeAll(async () => {
  [first, again, other, elsewhere, stuck] = await Promise.all([
    run('first', 5, 'replay.test.ts', 'wakeup.test.ts'),
    run('again', 5, 'replay.test.ts', 'wakeup.test.ts'),
    run('other', 6, 'replay.test.ts'),
    runIn(path.basename(moved), 'elsewhere', 5, 'replay.test.ts'),
    // Two Jest workers, so that the other file goes on when one worker is ended.
    runJestWithReporter('simulation', ['-w', '2', 'stuck.test.ts', 'replay.test.ts']),
  ]);
}, 300_000);

afterAll(() => {
  fs.rmSync(traces, { recursive: true, force: true });
  fs.rmSync(moved, { recursive: true, force: true });
});

it('passes the simulated tests: virtual start, seeded randomness, virtual waits, fake timers', () => {
  for (const name of [
    'a simulated run starts at the same virtual instant on every run, with seeded randomness',
    'a simulated run waits 20 s of virtual time in much less real time',
    'a simulated run delivers messages in a seeded order, faults included',
    "a simulated run runs Jest's fake timers from virtual now",
  ]) {
    expect([name, testResult(first, name).status]).toEqual([name, 'passed']);
  }
  // 20 s of virtual waiting took a fraction of that in real time.
  expect(testResult(first, 'a simulated run waits 20 s of virtual time in much less real time').duration ?? 0).toBeLessThan(10_000);
});

it('writes a byte-identical trace for the same seed, and another for another seed', () => {
  expect(trace('again', 'replay.test.ts').equals(trace('first', 'replay.test.ts'))).toBe(true);
  // From another folder too: no absolute path of the machine is in a trace.
  expect(testResult(elsewhere, 'a simulated run delivers messages in a seeded order, faults included').status).toBe('passed');
  expect(trace('elsewhere', 'replay.test.ts').equals(trace('first', 'replay.test.ts'))).toBe(true);
  expect(trace('other', 'replay.test.ts').equals(trace('first', 'replay.test.ts'))).toBe(false);
  expect(JSON.parse(trace('first', 'replay.test.ts').toString())).toMatchObject({ mode: 'simulation', seed: 5, startedAt: Date.UTC(2026, 0, 1) });
  expect(testResult(other, 'a simulated run delivers messages in a seeded order, faults included').status).toBe('passed');
});

it('fails the test on the role that real I/O woke, naming what woke it and where it was created', () => {
  const result = testResult(first, 'a wake-up from outside the simulation fails the role whose real file I/O woke it');
  expect(result.status).toBe('failed');
  expect(result.failureMessages[0]).toMatch(/\[b\] Role 'b' was woken from outside the simulation by real file I\/O \(fs\.promises\.readFile\) created at wakeup\.test\.ts:6:/);
  expect(result.failureMessages[0]).toMatch(/Set multinode\.simulation\.strict to false/);
  const slow = testResult(first, 'a wake-up from outside the simulation fails the role woken by slow real work, before any virtual timeout');
  expect(slow.status).toBe('failed');
  expect(slow.failureMessages[0]).toMatch(/\[b\] Role 'b' was woken from outside the simulation by a real pipe or Unix socket \(child_process\.execFile\) created at wakeup\.test\.ts:12:/);
  expect(first.json.success).toBe(false);
});

it('ends the Jest worker of a role stuck in a synchronous loop within the test timeout, names the role, and goes on with the other file', () => {
  const message = /Role 'b' ran for \d+ ms of real time without a pause \(the limit is the test timeout, 2000 ms\): is it stuck in a synchronous loop\?/;
  expect(stuck.stderr).toMatch(message);
  expect(stuck.stderr).toMatch(/this Jest worker process is ended and stuck\.test\.ts fails; Jest goes on with the other files/);
  expect(fileResult(stuck, 'stuck.test.ts').status).toBe('failed');
  expect(fileResult(stuck, 'stuck.test.ts').message).toMatch(/A jest worker process \(pid=\d+\) was terminated/);
  // The reporter reads the file's trace, which the watchdog wrote: the role error is named there too.
  expect(stuck.stderr).toMatch(/multinode stuck\.test\.ts[^\n]*\n(.*\n)*.*\bb\b.*Role 'b' ran for/);
  expect(testResult(stuck, 'a simulated run delivers messages in a seeded order, faults included').status).toBe('passed');
  expect(stuck.exitCode).toBe(1);
});

