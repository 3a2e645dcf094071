import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES, runJest, statuses, type JestRun } from './helpers/runJest';

/**
 * The console lines of roles other than the lead reach Jest's own console of the file, tagged with
 * their role: without this package's reporter, as IDEs and jest-junit read them.
 */
interface ConsoleEntry {
  readonly type: string;
  readonly message: string;
  readonly origin: string;
}

/** Runs the console fixture with Jest's default reporter and one that keeps each file's console buffer. */
async function runWithConsole(args: readonly string[]): Promise<{ run: JestRun; consoles: Record<string, ConsoleEntry[] | null> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-console-'));
  const report = path.join(dir, 'console.json');
  try {
    const reporter = path.join(FIXTURES, 'console', 'consoleReporter.js');
    const run = await runJest('console', ['--reporters', 'default', '--reporters', reporter, ...args], { env: { CONSOLE_REPORT: report } });
    return { run, consoles: JSON.parse(fs.readFileSync(report, 'utf8')) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

it("puts every role's console lines into Jest's console of the file, with their level and the role's call site", async () => {
  const { run, consoles } = await runWithConsole([]);
  // The two files run in two Jest workers: their results come in the order they finish.
  expect(statuses(run).sort()).toEqual(['console writes at every level on every role: passed', 'quiet writes nothing: passed']);
  const entries = consoles['console.test.ts'] ?? [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'];
  for (const role of ['a', 'b', 'c']) {
    const tag = role === 'a' ? '' : `[${role}] `;
    const mine = entries.filter((e) => e.message.endsWith(` from ${role}`));
    expect(mine.map((e) => [e.type, e.message])).toEqual(methods.map((m) => [m, `${tag}${m} from ${role}`]));
    // Each line points at the role's own copy of the test file, as a lead line points at the lead's.
    for (const entry of mine) expect(entry.origin.split('\n')[0]).toMatch(/console\.test\.ts:\d+:\d+\)$/);
  }
  // The node's ctx.log lines go to the harness log only, as on the lead.
  expect(entries.some((e) => e.message.includes('kv node'))).toBe(false);
  expect(consoles['quiet.test.ts']).toBeNull();
  // Jest's default reporter prints them with the file's other console output.
  expect(run.stdout + run.stderr).toContain('[b] warn from b');
  expect(run.stdout + run.stderr).toContain('[c] log from c');
}, 200_000);

it('hides them, and the lead lines too, under --silent', async () => {
  const { run, consoles } = await runWithConsole(['--silent', 'console.test.ts']);
  expect(statuses(run)).toEqual(['console writes at every level on every role: passed']);
  expect(run.stdout + run.stderr).not.toMatch(/from [abc]/);
  expect(consoles['console.test.ts']).toBeNull();
}, 200_000);

it('prints them at once in a verbose run', async () => {
  const { run } = await runWithConsole(['--verbose', 'console.test.ts']);
  expect(statuses(run)).toEqual(['console writes at every level on every role: passed']);
  expect(run.stdout + run.stderr).toMatch(/console\.error\n\s+\[c\] error from c\n/);
}, 200_000);
