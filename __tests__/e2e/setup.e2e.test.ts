import { fileResult, runJest, testResult, type JestRun } from './helpers/runJest';

/**
 * Real Jest on the `setup` fixture project (the embedded cluster): when a member is downed while the
 * cluster forms, the file fails at once with each role's own set-up error, naming the downing,
 * instead of every role showing the first role's error after the set-up deadline.
 */
let run: JestRun;

beforeAll(async () => {
  run = await runJest('setup');
}, 200_000);

it('fails the file with the downed role named as the one whose set-up failed, long before setupTimeoutMs', () => {
  const file = fileResult(run, 'downed.test.ts');
  expect(file.status).toBe('failed');
  expect(file.message).toMatch(/Set-up failed on role 'c'; each role's own error:\n\s*\[c\] The node of role 'c' \(incarnation 0\) failed to start: c#0 stopped before it became Up: another member downed and removed this node/);
  // a and b were fine: they are not listed with errors of their own.
  expect(file.message).not.toMatch(/^\s*\[[ab]\] /m);
  // setupTimeoutMs is 120 s in the fixture; a run that waited for it would have been killed by runJest first.
  expect(run.durationMs).toBeLessThan(120_000);
});

it('leaves a file whose cluster forms alone', () => {
  expect(testResult(run, 'a cluster that forms runs').status).toBe('passed');
});
