import * as fs from 'node:fs';
import * as path from 'node:path';
import { runJestWithReporter, statuses, testResult, type JestRun } from './helpers/runJest';

/**
 * A deliberately broken scenario: role c's node ignores `delete` messages, so the delete test fails
 * on c, and on a and b only as a consequence. The reporter's first screen of that test must name c,
 * its assertion and code frame, then what went wrong first in the trace, before the consequences.
 */
let run: JestRun;
const PAGE = path.join('multinode-report', 'kv.test.ts', 'kv replicates a delete.html');
/** The HTML timeline the run wrote for the failed test, or null. */
let page: string | null = null;

beforeAll(async () => {
  run = await runJestWithReporter('broken', [], {
    readReport: (reportDir) => {
      const file = path.join(reportDir, '..', PAGE);
      page = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    },
  });
}, 200_000);

/** The reporter's lines for the failed test, from its headline to its timeline. */
function firstScreen(): string[] {
  const lines = run.stderr.split('\n');
  const start = lines.findIndex((line) => /✕ kv › replicates a delete {3}a ✕/.test(line));
  if (start === -1) throw new Error(`The reporter printed no line for the failed test. stderr:\n${run.stderr.slice(-4000)}`);
  const end = lines.findIndex((line, index) => index > start && line.trim().startsWith('timeline ('));
  return lines.slice(start, end === -1 ? undefined : end).map((line) => line.trimEnd());
}

it('fails the delete test on every role, on c as its root cause', () => {
  expect(statuses(run)).toEqual(['kv replicates a put: passed', 'kv replicates a delete: failed', 'barriers time out waiting for a role blocked elsewhere: failed']);
});

it("starts with the root-cause role c, its assertion and its code frame", () => {
  const screen = firstScreen();
  expect(screen[1]).toMatch(/^ +root cause +c +expect\(received\)\.toBe\(expected\)/);
  const frame = screen.findIndex((line) => line.trim() === 'at kv.test.ts:15:63');
  expect(frame).toBeGreaterThan(1);
  expect(screen[frame + 3].trim()).toBe("> 15 |     expect((multinode.system as DeafKvSystem).store.has('k')).toBe(false);");
  expect(screen[frame + 4].trim()).toMatch(/^\| +\^$/);
});

it('names the first anomalous event of the trace next, before the consequences', () => {
  const screen = firstScreen();
  const anomaly = screen.findIndex((line) => line.trim().startsWith('first anomaly'));
  expect(screen[anomaly]).toMatch(/first anomaly +\+ *[\d.]+ ms +a +warn +no ack from c for delete 'k' within 300 ms +\(before c failed\)$/);
  const consequences = screen.map((line, index) => (/^ +consequence +[ab] +Barrier 'checked' was abandoned because role 'c' failed/.test(line) ? index : -1)).filter((index) => index >= 0);
  expect(consequences).toHaveLength(2);
  expect(Math.min(...consequences)).toBeGreaterThan(anomaly);
  expect(screen.findIndex((line) => line.includes('root cause'))).toBeLessThan(anomaly);
});

it('links the HTML timeline of the test right after the first anomaly, and that page exists', () => {
  const screen = firstScreen();
  const anomaly = screen.findIndex((line) => line.trim().startsWith('first anomaly'));
  expect(screen[anomaly + 1].trim()).toBe(`html timeline: ${PAGE}`);
  expect(page).toMatch(/^<!DOCTYPE html>[\s\S]*"test":"kv replicates a delete"/);
});

it('says in a barrier timeout where the missing role is blocked, with the line that called that barrier', () => {
  const [atA] = testResult(run, 'barriers time out waiting for a role blocked elsewhere').failureMessages;
  expect(atA).toMatch(
    /\[a\] Role 'a' waited \d+ ms \(timeout 300 ms\) at barrier 'meet', but 'c' did not arrive:\n  role 'c' was running "barriers time out waiting for a role blocked elsewhere", was waiting at barrier 'elsewhere' \((\/.*\/)?kv\.test\.ts:24:39\) for \d\.\d s, last did something \d\.\d s ago \(entered barrier 'elsewhere'\), has logged nothing\./,
  );
});
