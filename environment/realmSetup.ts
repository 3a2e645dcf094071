/**
 * Loaded by Jest's runtime as the last of the project's `setupFilesAfterEnv`, inside the test's own
 * sandbox: it hands the multi-node environment a `require` bound to the test's module registry, so
 * that the role's node is loaded there, next to the role's copy of the test file. A no-op in a
 * sandbox that no multi-node environment created.
 */
/** The sandbox global through which the environment receives the test registry's `require`. */
export const REALM_HOOK = Symbol.for('jest-environment-multinode.realm-require');

const hook = (globalThis as Record<symbol, unknown>)[REALM_HOOK];
if (typeof hook === 'function') (hook as (load: NodeJS.Require) => void)(require);
