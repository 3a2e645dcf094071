import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, PROJECT_ROOT, runJest, statuses, type JestRun } from './helpers/runJest';

/** The reporter on a real run: one line per multi-node test, failure detail, rerun line, trace files. */
const reportDir = path.join(FIXTURES, 'small', 'multinode-report');
let run: JestRun;

beforeAll(async () => {
  fs.rmSync(reportDir, { recursive: true, force: true });
  run = await runJest('small', ['--reporters', 'default', '--reporters', path.join(PROJECT_ROOT, 'dist', 'reporter', 'index.js')], { env: { MULTINODE_SEED: '777' } });
}, 200_000);

afterAll(() => fs.rmSync(reportDir, { recursive: true, force: true }));

it('prints one line per multi-node test with every role outcome', () => {
  expect(run.stderr).toMatch(/✓ one › selected by name {3}a ✓ [\d.]+ ms · b ✓ [\d.]+ ms/);
  expect(run.stderr).toMatch(/✕ one › fails on b {3}a ✓ [\d.]+ ms · b ✕ [\d.]+ ms/);
});

it('prints the root cause, the timeline and a rerun line for a failed test', () => {
  expect(run.stderr).toMatch(/root cause +b +expect\(received\)\.toBe\(expected\)/);
  // Between the time and the role, a mark of concurrent lines (┌ │ └) may stand.
  expect(run.stderr).toMatch(/\+ +[\d.]+ ms[ ┌│└]+b +test +end \(failed\)/);
  expect(run.stderr).toContain(`rerun: MULTINODE_SEED=777 npx jest --config ${path.join(FIXTURES, 'small', 'jest.config.js')} './one.test.ts$' -t '^one fails on b$'`);
});

it('writes one trace per test file under outputDir, and the HTML timeline of the failed test by file and name', () => {
  expect(fs.readdirSync(reportDir).sort()).toEqual(['one.test.ts', 'one.test.ts.mntrace', 'two.test.ts.mntrace']);
  expect(fs.readdirSync(path.join(reportDir, 'one.test.ts'))).toEqual(['one fails on b.html']);
  expect(run.stderr).toContain(`html timeline: ${path.join('multinode-report', 'one.test.ts', 'one fails on b.html')}\n`);
  const trace = JSON.parse(fs.readFileSync(path.join(reportDir, 'two.test.ts.mntrace'), 'utf8'));
  expect(trace.roles).toEqual(['a', 'b']);
  expect(trace.seed).toBe(777);
  expect(trace.tests[0].results.b.status).toBe('passed');
  const logs = trace.events.filter((e: { type: string }) => e.type === 'log').map((e: { role: string; message: string }) => `${e.role}: ${e.message}`);
  expect(logs).toEqual(expect.arrayContaining(['a: role a says hello', 'b: role b says hello']));
  const barriers = trace.events.filter((e: { type: string }) => e.type.startsWith('barrier'));
  expect(barriers).toHaveLength(4);
});

it('reruns exactly the failed test with the printed command', async () => {
  const rerun = await runJest('small', ['./one.test.ts$', '-t', '^one fails on b$'], { env: { MULTINODE_SEED: '777' } });
  expect(statuses(rerun)).toEqual(['one drops seeded messages: pending', 'one selected by name: pending', 'one fails on b: failed']);
}, 120_000);
