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
import type { MultinodeDescribeOptions } from './describeMultinode';

type BlockName = string | number | Function;

/** `describe.multinode(name, fn)` / `describe.multinode(name, options, fn)`, with `.only`, `.skip` and `.each`. */
export interface MultinodeDescribe extends MultinodeDescribeBase {
  /** Like `describe.only`, for a multi-node block. */
  only: MultinodeDescribeBase;
  /** Like `describe.skip`, for a multi-node block. */
  skip: MultinodeDescribeBase;
}

/** The call signatures of `describe.multinode` (and of its `.only` and `.skip`). */
export interface MultinodeDescribeBase {
  (name: BlockName, fn: () => void): void;
  (name: BlockName, options: MultinodeDescribeOptions, fn: () => void): void;
  /**
   * Like `describe.each`: one multi-node block per row of a table or tagged template, named with
   * Jest's `%s`/`$variable` formatting; every role defines every row. Options go after the name.
   */
  each: MultinodeEach;
}

/** What `describe.multinode.each(table)` returns: `(name, fn)` or `(name, options, fn)`, `fn` taking a row. */
export interface MultinodeEachBlock<Args extends readonly unknown[]> {
  (name: BlockName, fn: (...args: Args) => void): void;
  (name: BlockName, options: MultinodeDescribeOptions, fn: (...args: Args) => void): void;
}

/** `describe.multinode.each`, typed as `describe.each` is by @jest/types. */
export interface MultinodeEach {
  <T extends Record<string, unknown>>(table: ReadonlyArray<T>): MultinodeEachBlock<[T]>;
  <T extends readonly [unknown, ...Array<unknown>]>(table: ReadonlyArray<T>): MultinodeEachBlock<[...T]>;
  <T extends ReadonlyArray<unknown>>(table: ReadonlyArray<T>): MultinodeEachBlock<T>;
  <T>(table: ReadonlyArray<T>): MultinodeEachBlock<[T]>;
  <T extends Array<unknown>>(strings: TemplateStringsArray, ...expressions: T): MultinodeEachBlock<[Record<string, T[number]>]>;
  <T extends Record<string, unknown>>(strings: TemplateStringsArray, ...expressions: Array<unknown>): MultinodeEachBlock<[T]>;
}

declare global {
  /** This role: its name, the roles, its node (`system`) and cluster readiness. */
  // eslint-disable-next-line no-var
  var multinode: MultinodeInfo<any>;
  /** Runs `fn` only when this role is one of `roles`; resolves undefined elsewhere. */
  function runOn<T>(roles: string | readonly string[], fn: () => T | Promise<T>): Promise<T | undefined>;
  /** Resolves when every participating role has entered `name` (names are scoped to the test). */
  function barrier(name: string, opts?: BarrierOptions): Promise<void>;
  /**
   * A barrier that also exchanges one structured-cloneable value per participant: resolves on every
   * participant with `{ role: value }` of all of them (terminated roles left out). Same rules as
   * `barrier`; a value that cannot be cloned rejects at once, naming the field.
   */
  function gather<T>(name: string, value: T, opts?: BarrierOptions): Promise<Record<string, T>>;
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
