import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runJest, statuses, testResult } from './helpers/runJest';

/** Jest's own flags and run modes on the `small` fixture (two roles, two files). */
const verdicts = (run: Awaited<ReturnType<typeof runJest>>): Record<string, string> =>
  Object.fromEntries(statuses(run).map((line) => [line.slice(0, line.lastIndexOf(': ')), line.slice(line.lastIndexOf(': ') + 2)]));

const expected = { 'one drops seeded messages': 'passed', 'one selected by name': 'passed', 'one fails on b': 'failed', 'two passes': 'passed' };

it.each([[['--runInBand']], [['-w', '2']], [['--workerThreads', '-w', '2']]])('gives the same verdicts and exits on its own with %j', async (args) => {
  const run = await runJest('small', args);
  expect(verdicts(run)).toEqual(expected);
  expect(run.exitCode).toBe(1);
  expect(testResult(run, 'one fails on b').failureMessages[0]).toMatch(/^Error: \[b\] expect\(received\)\.toBe\(expected\)/);
}, 120_000);

it('selects the same tests on every role with -t', async () => {
  const run = await runJest('small', ['-t', 'selected by name']);
  expect(verdicts(run)).toEqual({ 'one drops seeded messages': 'pending', 'one selected by name': 'passed', 'one fails on b': 'pending', 'two passes': 'pending' });
  expect(run.exitCode).toBe(0);
}, 120_000);

it('reports locations of the lead copy with --testLocationInResults', async () => {
  const run = await runJest('small', ['--testLocationInResults', 'one.test.ts']);
  expect(testResult(run, 'one fails on b').location).toEqual({ line: 17, column: 3 });
}, 120_000);

it('stays quiet under --detectOpenHandles', async () => {
  const run = await runJest('small', ['--detectOpenHandles', '--runInBand']);
  expect(verdicts(run)).toEqual(expected);
  expect(run.stderr).not.toMatch(/open handle/i);
  expect(run.stderr).not.toMatch(/MESSAGEPORT|WORKER/);
}, 120_000);

it('starts no role threads under --collectTests', async () => {
  const run = await runJest('small', ['--collectTests']);
  expect(run.exitCode).toBe(0);
  expect(run.json.numTotalTests).toBe(4);
  expect(run.stderr).not.toMatch(/kv node b started/);
}, 120_000);

it('replays the same seeded drops with the same MULTINODE_SEED, and writes a trace per file', async () => {
  const dropped = async (): Promise<number[]> => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-trace-'));
    try {
      await runJest('small', ['one.test.ts', '-t', 'drops seeded'], { env: { MULTINODE_SEED: '4242', MULTINODE_REPORT_DIR: dir } });
      const files = fs.readdirSync(dir);
      expect(files).toEqual(['one.test.ts.mntrace']);
      const trace = JSON.parse(fs.readFileSync(path.join(dir, files[0]!), 'utf8')) as { seed: number; events: Array<{ type: string; dropped: string | null; seq: number; role: string; to: string }> };
      expect(trace.seed).toBe(4242);
      return trace.events.filter((e) => e.type === 'message' && e.role === 'a' && e.to === 'b' && e.dropped === 'drop').map((e) => e.seq);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const first = await dropped();
  const second = await dropped();
  expect(first.length).toBeGreaterThan(5);
  expect(first.length).toBeLessThan(45);
  expect(second).toEqual(first);
}, 120_000);
