import type { RoleOutcome, RoleTestResult, TestTrace, TraceError } from '../src/harness';
import { codeFrame, type SourceReader } from './codeFrame';
import { excerpt } from './format';
import type { RoleFailure, RoleOutcomeReport, Verdict } from './model';

/** How many lines of a root cause's message the report shows (Jest's own output has the rest). */
const ROOT_CAUSE_LINES = 4;

/** The result of a role that recorded nothing for a test. */
const MISSING: RoleTestResult = { status: 'missing', durationMs: 0, errors: [] };

/** Every role's outcome of `test`, in `roles` order; a role without a result is `missing`. */
export function roleOutcomes(test: TestTrace, roles: readonly string[]): RoleOutcomeReport[] {
  return roles.map((role) => {
    const result = resultOf(test, role);
    return { role, status: result.status, durationMs: result.durationMs };
  });
}

/**
 * The merged verdict: `passed` only if the test passed on every role, `skipped` if every role skipped
 * it, `failed` otherwise (a role that failed, was terminated or has no result, or roles that disagree
 * on whether to run it).
 */
export function mergeVerdict(outcomes: readonly Pick<RoleOutcomeReport, 'status'>[]): Verdict {
  if (outcomes.length > 0 && outcomes.every((outcome) => outcome.status === 'passed')) return 'passed';
  if (outcomes.length > 0 && outcomes.every((outcome) => outcome.status === 'skipped')) return 'skipped';
  return 'failed';
}

/**
 * The roles that did not pass `test`, root causes first. A role is a consequence when it has errors
 * and every one of them is marked `consequence` (it only reports another role's failure). When no
 * role is a root cause, nobody can tell which failure came first, so every failing role counts as
 * one. Root causes come in roles order, then the consequences grouped under the root cause each one
 * names (in the root causes' order; those naming none last), each group in roles order. With
 * `readSource`, each root cause carries the code frame of its first error.
 */
export function orderFailures(test: TestTrace, roles: readonly string[], readSource?: SourceReader): RoleFailure[] {
  const failing = roles
    .map((role) => ({ role, result: resultOf(test, role) }))
    .filter(({ result }) => result.status !== 'passed');
  const isConsequence = ({ result }: { result: RoleTestResult }): boolean =>
    result.errors.length > 0 && result.errors.every((error) => error.consequence);
  const anyRootCause = failing.some((entry) => !isConsequence(entry));

  const failures = failing.map((entry): RoleFailure => {
    const consequence = anyRootCause && isConsequence(entry);
    const { status, errors } = entry.result;
    const messages =
      errors.length === 0
        ? [[describeStatusWithoutError(status)]]
        : errors.map((error) => excerpt(error.message, consequence ? 1 : ROOT_CAUSE_LINES));
    const frame = consequence || errors.length === 0 || readSource === undefined ? null : codeFrame(errors[0].stack, readSource);
    return {
      role: entry.role,
      status,
      cause: consequence ? 'consequence' : 'root-cause',
      rootRole: consequence ? rootRoleOf(errors, roles) : null,
      messages,
      codeFrame: frame,
    };
  });
  const rootCauses = failures.filter((failure) => failure.cause === 'root-cause');
  // Consequences grouped by the root cause they report, in the root causes' order; unknown roots last.
  const rank = (failure: RoleFailure): number => {
    const at = rootCauses.findIndex((root) => root.role === failure.rootRole);
    return at === -1 ? rootCauses.length : at;
  };
  const consequences = failures.filter((failure) => failure.cause === 'consequence').sort((x, y) => rank(x) - rank(y));
  return [...rootCauses, ...consequences];
}

/** The role a consequence's first error names as its root cause, when it names one of `roles`. */
function rootRoleOf(errors: readonly TraceError[], roles: readonly string[]): string | null {
  const named = errors[0]?.fields?.rootRole;
  return typeof named === 'string' && roles.includes(named) ? named : null;
}

function resultOf(test: TestTrace, role: string): RoleTestResult {
  return Object.prototype.hasOwnProperty.call(test.results, role) ? test.results[role] : MISSING;
}

function describeStatusWithoutError(status: RoleOutcome): string {
  switch (status) {
    case 'terminated':
      return 'The role was terminated (its thread was ended) before it finished this test.';
    case 'missing':
      return 'The role reported no result for this test (did it define the test under the same name?).';
    case 'skipped':
      return 'The role skipped this test while other roles ran it.';
    case 'failed':
      return 'The role failed this test without recording an error.';
    case 'passed':
      return 'The role passed this test.';
  }
}
