import type { SerializedError } from '../util';
import type { RoleResult } from './TestLockstep';

/**
 * Errors a role's node met during one of its tests that the role's own test code cannot see: in
 * processes mode the node runs in a process the lead holds, and when it exits by itself the test
 * that role was running fails with it. Kept per role and test until that role's result arrives.
 */
export class NodeTestErrors {
  private readonly errors = new Map<string, SerializedError[]>();

  /** Remembers `error` for `role`'s result of `testId`. */
  add(role: string, testId: string, error: SerializedError): void {
    const key = keyOf(role, testId);
    this.errors.set(key, [...(this.errors.get(key) ?? []), error]);
  }

  /**
   * `role`'s result of `testId` with the node errors added after its own (the lead's own errors
   * keep their positions, which match its Jest test's errors), failed if there were any.
   */
  addTo(role: string, testId: string, result: RoleResult): RoleResult {
    const key = keyOf(role, testId);
    const added = this.errors.get(key);
    if (added === undefined) return result;
    this.errors.delete(key);
    return { ...result, status: 'failed', errors: [...result.errors, ...added] };
  }
}

function keyOf(role: string, testId: string): string {
  return `${role}\u0000${testId}`;
}
