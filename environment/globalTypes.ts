/// <reference types="jest" preserve="true" />
/**
 * Global typings of the multi-node test API. Adding "jest-environment-multinode" to
 * `compilerOptions.types` brings these in: the globals, and `describe.multinode` on the global
 * `describe` and on `describe` from `@jest/globals`.
 *
 * Jest's own globals (`describe`, `it`, `expect`, `jest`, ...) are typed by @types/jest, a
 * dependency of this package, through the reference above: a project with its own @types/jest (or
 * `types: ["jest", ...]`) gets the same single declaration instead of a second, conflicting one,
 * and a project without it still has its globals typed.
 */
import type { BarrierOptions, EventuallyOptions, FaultApi, MultinodeInfo } from './globalsApi';
import type { MultinodeDescribeOptions } from './CircusBridge';

/** `describe.multinode(name, fn)` / `describe.multinode(name, options, fn)`, with `.only` and `.skip`. */
export interface MultinodeDescribe {
  (name: string | number | Function, fn: () => void): void;
  (name: string | number | Function, options: MultinodeDescribeOptions, fn: () => void): void;
  /** Like `describe.only`, for a multi-node block. */
  only: MultinodeDescribeBase;
  /** Like `describe.skip`, for a multi-node block. */
  skip: MultinodeDescribeBase;
}

/** The call signatures of `describe.multinode`. */
export interface MultinodeDescribeBase {
  (name: string | number | Function, fn: () => void): void;
  (name: string | number | Function, options: MultinodeDescribeOptions, fn: () => void): void;
}

declare global {
  /** This role: its name, the roles, its node (`system`) and cluster readiness. */
  // eslint-disable-next-line no-var
  var multinode: MultinodeInfo<any>;
  /** Runs `fn` only when this role is one of `roles`; resolves undefined elsewhere. */
  function runOn<T>(roles: string | readonly string[], fn: () => T | Promise<T>): Promise<T | undefined>;
  /** Resolves when every participating role has entered `name` (names are scoped to the test). */
  function barrier(name: string, opts?: BarrierOptions): Promise<void>;
  /** Retries `fn` until it stops throwing; on timeout rethrows the last error. */
  function eventually<T>(fn: () => T | Promise<T>, opts?: EventuallyOptions): Promise<T>;
  /** Breaks and mends the network and the nodes, on every role. */
  // eslint-disable-next-line no-var
  var fault: FaultApi;

  namespace jest {
    interface Describe {
      /** Every test in the block runs on every role, in lockstep. */
      multinode: MultinodeDescribe;
    }
  }
}

declare module '@jest/types' {
  namespace Global {
    interface DescribeBase {
      /** Every test in the block runs on every role, in lockstep. */
      multinode: MultinodeDescribe;
    }
  }
}
