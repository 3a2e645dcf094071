import { fileResult, runJestWithReporter, type JestRun } from './helpers/runJest';

/**
 * Real Jest, with the reporter, on the `outside` fixture project: errors that roles other than the
 * lead meet outside any test (an afterAll hook, a timer left behind, a node's timer during start-up, a
 * node whose stop() never resolves) fail the file, each naming its role and when it happened, and so
 * does the lead's node throwing while another role still stops (which used to kill Jest); the
 * reporter agrees with Jest's verdict file by file.
 */
let run: JestRun;

beforeAll(async () => {
  run = await runJestWithReporter('outside');
}, 200_000);

const TIME = String.raw`\(at \d\d:\d\d:\d\d\.\d{3} UTC, outside any test\)`;

/** The reporter's block for one file: from its `multinode <file>` header to the next blank line. */
function reportOf(file: string): string {
  const start = run.stderr.indexOf(`multinode ${file} `);
  if (start < 0) throw new Error(`The reporter printed nothing for ${file}. stderr:\n${run.stderr.slice(-3000)}`);
  const end = run.stderr.indexOf('\n\n', start);
  return run.stderr.slice(start, end < 0 ? undefined : end);
}

describe.each([
  ['afterall.test.ts', 'afterAll passes on every role before the hook breaks', [String.raw`\[b\] afterAll broke on b ${TIME}`]],
  ['late-timer.test.ts', 'late timer leaves a timer behind that throws after the last test', [String.raw`\[b\] late timer on b ${TIME}`]],
  ['lead-late.test.ts', 'lead late passes before the nodes stop', [String.raw`\[a\] the lead's node threw after stop\(\) while b was still stopping ${TIME}`]],
  ['node-timer.test.ts', 'node timer runs after a node threw outside any test', [String.raw`\[b\] node timer on b threw during start-up ${TIME}`]],
  [
    'stuck-stop.test.ts',
    'stuck stop passes before the nodes fail to stop',
    ['a', 'b', 'c'].map((role) => String.raw`\[${role}\] stop\(\) of role '${role}' did not finish within 500 ms; raise the nodeTimeoutMs option if it needs longer\. ${TIME}`),
  ],
])('%s', (file, testName, patterns) => {
  it('keeps the test passed and fails the file with each role error', () => {
    const result = fileResult(run, file);
    expect(result.assertionResults.map((a) => `${a.fullName}: ${a.status}`)).toEqual([`${testName}: passed`]);
    expect(result.status).toBe('failed');
    for (const pattern of patterns) expect(result.message).toMatch(new RegExp(pattern));
  });

  it('shows each error once in the reporter, under its role', () => {
    const lines = reportOf(file).split('\n');
    const header = lines.indexOf('  Role errors outside tests (ms since the file started)');
    expect(header).toBeGreaterThan(0);
    const errors = lines.slice(header + 1).map((line) => line.trim().replace(/\+ *[\d.]+ ms/, '+T'));
    expect(errors).toHaveLength(patterns.length);
    for (const line of errors) expect(line).toMatch(/^[abc] {2}\+T {2}\S/);
    expect(errors.join('\n')).not.toMatch(/\(empty message\)|outside any test\)/);
  });
});

it('leaves a clean file alone in Jest and in the reporter', () => {
  expect(fileResult(run, 'clean.test.ts').status).toBe('passed');
  expect(reportOf('clean.test.ts')).not.toMatch(/Role errors/);
});

it('agrees with the reporter on the run: five failed files, exit code 1', () => {
  expect(run.json.success).toBe(false);
  expect(run.exitCode).toBe(1);
  expect(run.stderr).toMatch(/multinode: multi-node tests failed in 5 files/);
  expect(run.stderr).not.toMatch(/did not exit one second after the test run has completed/);
});
