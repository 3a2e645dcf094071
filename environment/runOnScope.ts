import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<readonly string[]>();

/**
 * Runs `fn` as code that only some roles run (inside `runOn`): what it does asynchronously stays in
 * that scope, so a snapshot taken there is known to be one role's own (see snapshots.ts).
 */
export function inRoleScope<T>(roles: readonly string[], fn: () => T): T {
  return scope.run(roles, fn);
}

/** Whether the code running now is inside `runOn` for a subset of the file's roles. */
export function inRoleOnlyCode(allRoles: readonly string[]): boolean {
  const roles = scope.getStore();
  return roles !== undefined && allRoles.some((role) => !roles.includes(role));
}
