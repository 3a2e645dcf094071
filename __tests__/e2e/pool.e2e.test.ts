import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runJest, statuses, type JestRun } from './helpers/runJest';

/**
 * Real Jest, in band, on the `pool` fixture: four 3-role files in name order, each gathering the
 * thread id of every role. Role threads are kept between the files of a Jest worker, except one whose
 * file left something running; with `idleRoleThreads: 0` every file gets new threads.
 */
type Threads = Record<string, Record<'a' | 'b' | 'c', number>>;

async function runPool(env: Record<string, string>): Promise<{ run: JestRun; threads: Threads }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-pool-'));
  const out = path.join(dir, 'threads.txt');
  try {
    const run = await runJest('pool', ['--runInBand', '--detectOpenHandles'], { env: { ...env, POOL_OUT: out } });
    const lines = fs.existsSync(out) ? fs.readFileSync(out, 'utf8').trim().split('\n') : [];
    const threads = Object.fromEntries(lines.map((line) => [line.split(' ')[0]!.replace('.test.ts', ''), JSON.parse(line.split(' ')[1]!)])) as Threads;
    return { run, threads };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let pooled: { run: JestRun; threads: Threads };
let unpooled: { run: JestRun; threads: Threads };

beforeAll(async () => {
  [pooled, unpooled] = await Promise.all([runPool({}), runPool({ POOL_IDLE: '0' })]);
}, 200_000);

it('runs later files on the role threads of earlier ones, and Jest exits by itself with --detectOpenHandles quiet', () => {
  const { run, threads } = pooled;
  expect(statuses(run).filter((s) => s.endsWith(': passed'))).toHaveLength(4);
  expect(run.exitCode).toBe(0);
  expect(run.stderr).not.toMatch(/open handle|did not exit|force exited/i);
  expect(Object.keys(threads)).toEqual(['1-first', '2-second', '3-leaves-timer', '4-after-timer']);
  // The lead runs in Jest's own thread; b and c in role threads kept from the first file.
  expect(threads['1-first']!.a).toBe(0);
  // An idle thread takes whichever role comes next.
  const pair = (file: string): number[] => [threads[file]!.b, threads[file]!.c].sort((x, y) => x - y);
  expect(new Set(pair('1-first')).size).toBe(2);
  expect(pair('2-second')).toEqual(pair('1-first'));
  expect(pair('3-leaves-timer')).toEqual(pair('1-first'));
});

it("does not give a later file the thread of a role whose file left a timer running", () => {
  const { threads } = pooled;
  const after = [threads['4-after-timer']!.b, threads['4-after-timer']!.c];
  // The thread that ran b in the leaky file ended; the one that ran c was kept, for whichever role.
  expect(after).not.toContain(threads['3-leaves-timer']!.b);
  expect(after).toContain(threads['3-leaves-timer']!.c);
  expect(after.filter((id) => id !== threads['3-leaves-timer']!.c)[0]).toBeGreaterThan(Math.max(threads['1-first']!.b, threads['1-first']!.c));
});

it('starts new role threads for every file with idleRoleThreads: 0', () => {
  const { run, threads } = unpooled;
  expect(statuses(run).filter((s) => s.endsWith(': passed'))).toHaveLength(4);
  expect(run.exitCode).toBe(0);
  const ids = Object.values(threads).flatMap((t) => [t.b, t.c]);
  expect(ids).toHaveLength(8);
  expect(new Set(ids).size).toBe(8);
});
