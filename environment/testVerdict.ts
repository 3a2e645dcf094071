import type { Circus } from '@jest/types';
import type { RoleResult } from '../src/harness';

/*
 * A multi-node test has one verdict, decided by the lead from every role's result, and every role
 * acts on that verdict as if it were its own: `.failing` inverts it (not each role's result), and
 * `jest.retryTimes` retries a test on every role, in lockstep, when it failed anywhere.
 */

// circus's own message for a `.failing` test whose function did not throw, as a role reports it (tagged or not).
const FAILING_TEST_PASSED = /^(\[[^\]]+\] )?Failing test passed even though it was supposed to fail/;

/** Whether a circus failure is its marker that a `.failing` test's function did not throw on this role. */
export function isFailingTestPassed(test: Circus.TestEntry, error: unknown): boolean {
  return test.failing && error === test.asyncError;
}

/**
 * The verdict of a `.failing` multi-node test, from the merged errors of every role (where circus
 * has already inverted each role's own result: a role whose function threw reports no error, one
 * whose function passed reports circus's marker). The test passes when its function threw on at
 * least one role, as the merged verdict of the plain test would have failed; it fails with one error
 * when the function passed on every role. Other errors (hooks, terminated roles) fail it as they are.
 */
export function failingTestErrors(test: Circus.TestEntry, merged: readonly Error[], results: ReadonlyMap<string, RoleResult>): Error[] {
  const others = merged.filter((error) => !FAILING_TEST_PASSED.test(String(error.message)));
  if (others.length > 0) return others;
  if ([...results.values()].some((result) => result.status === 'passed')) return [];
  const error = test.asyncError as Error;
  const roles = [...results.keys()].join(', ');
  error.message = `Failing test passed on every role (${roles}) even though it was supposed to fail. Remove \`.failing\` to remove error.`;
  error.stack = `Error: ${error.message}\n${String(error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).join('\n')}`;
  return [error];
}

/**
 * Makes a non-lead role's own errors follow the lead's verdict (null: the lead ended the file before
 * deciding one; the role keeps its own), so that circus retries the test on this role exactly when
 * it retries it on the lead. The role's own Jest result is not reported anywhere: the lead's is.
 */
export function followVerdict(errors: Circus.TestError[], failed: boolean | null, role: string): void {
  if (failed === null) return;
  if (!failed) errors.splice(0, errors.length);
  else if (errors.length === 0) errors.push(new Error(`[${role}] The test passed on this role but failed on another one, so it fails here too.`));
}
