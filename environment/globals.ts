/**
 * Typed named exports of the multi-node globals, for tests that import instead of using globals:
 * `import { barrier, gather, fault, multinode, runOn, eventually } from 'jest-environment-multinode/globals'`.
 * Each export reads the global of the test's own sandbox at call time, so it always acts for the
 * role whose copy of the file is running.
 */
import type { BarrierOptions, EventuallyOptions, FaultApi, MultinodeGlobals, MultinodeInfo } from './globalsApi';
import { HarnessUsageError } from './globalsApi';

function globals(): MultinodeGlobals {
  const scope = globalThis as unknown as Partial<MultinodeGlobals>;
  if (scope.multinode === undefined || scope.barrier === undefined) {
    throw new HarnessUsageError(
      "jest-environment-multinode/globals was used outside the multi-node environment; set testEnvironment: 'jest-environment-multinode' in the Jest config or the file's @jest-environment docblock.",
    );
  }
  return scope as MultinodeGlobals;
}

/** This role: its name, the roles, its node (`system`) and cluster readiness. */
export const multinode: MultinodeInfo<any> = new Proxy({} as MultinodeInfo<any>, {
  get: (_target, key) => {
    const info = globals().multinode as unknown as Record<PropertyKey, unknown>;
    const value = info[key];
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(info) : value;
  },
  has: (_target, key) => key in globals().multinode,
  ownKeys: () => Reflect.ownKeys(globals().multinode),
  getOwnPropertyDescriptor: (_target, key) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(globals().multinode, key);
    return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
  },
});

/** Runs `fn` only when this role is one of `roles`; resolves undefined elsewhere. */
export function runOn<T>(roles: string | readonly string[], fn: () => T | Promise<T>): Promise<T | undefined> {
  return globals().runOn(roles, fn);
}

/** Resolves when every participating role has entered `name` (names are scoped to the test). */
export function barrier(name: string, opts?: BarrierOptions): Promise<void> {
  return globals().barrier(name, opts);
}

/**
 * A barrier that also exchanges one structured-cloneable value per participant: resolves on every
 * participant with `{ role: value }` of all of them (terminated roles left out). Same rules as
 * `barrier`; a value that cannot be cloned rejects at once, naming the field. Barriers and gathers
 * share one name space per test.
 */
export function gather<T>(name: string, value: T, opts?: BarrierOptions): Promise<Record<string, T>> {
  return globals().gather(name, value, opts);
}

/** Retries `fn` until it stops throwing; on timeout rethrows the last error with how long and how often it tried. */
export function eventually<T>(fn: () => T | Promise<T>, opts?: EventuallyOptions): Promise<T> {
  return globals().eventually(fn, opts);
}

/** Breaks and mends the network and the nodes, on every role. */
export const fault: FaultApi = {
  partition: (a, b) => globals().fault.partition(a, b),
  isolate: (role) => globals().fault.isolate(role),
  blackhole: (from, to) => globals().fault.blackhole(from, to),
  heal: (a, b) => globals().fault.heal(a, b),
  delay: (from, to, ms) => globals().fault.delay(from, to, ms),
  drop: (from, to, probability) => globals().fault.drop(from, to, probability),
  crash: (role) => globals().fault.crash(role),
  restart: (role) => globals().fault.restart(role),
  leave: (role) => globals().fault.leave(role),
};

export type { BarrierOptions, EventuallyOptions, FaultApi, MultinodeInfo };
