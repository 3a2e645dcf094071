import type { Circus, Config } from '@jest/types';
import type { MultinodeDescribeOptions } from './describeMultinode';

/** Where `jest.setTimeout(ms)` leaves its value in the test's sandbox; circus reads it at run_start. */
const JEST_SET_TIMEOUT = Symbol.for('TEST_TIMEOUT_SYMBOL');

/** The sources of a multi-node test's (or hook's) timeout, in milliseconds. */
export interface TimeoutSources {
  /** The test's or hook's own timeout argument. */
  readonly ownMs: number | null | undefined;
  /** The `timeoutMs` of its `describe.multinode` block. */
  readonly blockMs: number | undefined;
  /** The user's explicit Jest timeout (see `explicitJestTimeoutMs`), or null. */
  readonly jestMs: number | null;
  /** The environment's `testTimeoutMs` option. */
  readonly optionMs: number;
}

/**
 * The one place that decides a multi-node test's timeout. Highest first: the test's own timeout
 * argument, `describe.multinode`'s `timeoutMs`, the user's explicit Jest timeout (`jest.setTimeout`,
 * `--testTimeout`, config `testTimeout`), then the `testTimeoutMs` option. Jest's built-in 5000 ms is
 * not a choice of the user and never applies: multi-node tests wait for other roles and start nodes.
 * A zero or missing value does not count, as in circus (`test.timeout || state.testTimeout`).
 */
export function multinodeTimeoutMs(sources: TimeoutSources): number {
  return sources.ownMs || sources.blockMs || sources.jestMs || sources.optionMs;
}

/**
 * The timeout the user chose for Jest itself, or null when they chose none: `jest.setTimeout(ms)`
 * (it sets a symbol on the test's global, read as circus reads it, at run_start), else
 * `--testTimeout` or config `testTimeout` (Jest leaves `globalConfig.testTimeout` unset by default).
 */
export function explicitJestTimeoutMs(sandbox: object, globalConfig: Config.GlobalConfig): number | null {
  const set = (sandbox as Record<symbol, unknown>)[JEST_SET_TIMEOUT];
  if (typeof set === 'number' && set > 0) return set;
  const configured = globalConfig.testTimeout as number | undefined;
  return configured !== undefined && configured > 0 ? configured : null;
}

/**
 * Gives every test and hook of the multi-node blocks its timeout (see `multinodeTimeoutMs`). Called
 * at circus's run_start, when the file has run its top level (so `jest.setTimeout` counts wherever
 * it stands there, as in plain Jest) and before any test or hook runs.
 */
export function applyMultinodeTimeouts(
  root: Circus.DescribeBlock,
  blockOptions: (block: Circus.DescribeBlock) => MultinodeDescribeOptions | null,
  jestMs: number | null,
  optionMs: number,
): void {
  const visit = (block: Circus.DescribeBlock): void => {
    const options = blockOptions(block);
    const resolve = (ownMs: number | null | undefined): number => multinodeTimeoutMs({ ownMs, blockMs: options?.timeoutMs, jestMs, optionMs });
    if (options !== null) for (const hook of block.hooks) hook.timeout = resolve(hook.timeout);
    for (const child of block.children) {
      if (child.type === 'describeBlock') visit(child);
      else if (options !== null) child.timeout = resolve(child.timeout);
    }
  };
  visit(root);
}
