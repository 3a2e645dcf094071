import { runJest, testResult, type JestRun } from './helpers/runJest';

/**
 * Real Jest on the `setup` fixture project (the embedded cluster): when a member is downed, waiting
 * for every member Up fails at once on every role, each with its own reason naming the downing,
 * instead of at its timeout. (How the start-up gate hands each role its own set-up error is covered by
 * the StartupGate unit tests; the embedded cluster's whyNotMembersUp by the cluster's.)
 */
let run: JestRun;

beforeAll(async () => {
  run = await runJest('setup');
}, 200_000);

it('fails awaitMembersUp at once on every role, each naming why, long before its timeout', () => {
  const result = testResult(run, 'a member downed after it joined fails waiting for all members Up at once, with each role saying why');
  expect(result.status).toBe('failed');
  const firstLines = result.failureMessages.map((m) => m.split('\n')[0]);
  expect(firstLines).toContain("NodeError: [c] Role 'c' can never see 3 members Up: c#0 is no longer a cluster member (it was downed, left or was stopped). Its membership view:");
  for (const role of ['a', 'b']) {
    const own = firstLines.find((line) => line.startsWith(`NodeError: [${role}] `));
    // A role that had not heard of the downing yet may still have seen three members Up; if it failed, it says why.
    if (own !== undefined) expect(own).toMatch(new RegExp(`^NodeError: \\[${role}\\] Role '${role}' can never see 3 members Up: only 2 members can still be Up in ${role}#0's view`));
  }
  // The wait's own timeout is 60 s: failing at its timeout would take far longer than the test did.
  expect(result.failureMessages.join('\n')).not.toMatch(/within 60000 ms/);
  expect((result as { duration?: number }).duration ?? 0).toBeLessThan(30_000);
});

it('leaves a file whose cluster forms alone', () => {
  expect(testResult(run, 'a cluster that forms runs').status).toBe('passed');
});
