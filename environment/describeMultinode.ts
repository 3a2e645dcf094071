import type { Circus } from '@jest/types';
import { MultinodeError, describeValue } from '../src/util';

/** Options of `describe.multinode`. */
export interface MultinodeDescribeOptions {
  /** Default timeout of the block's tests and hooks (a test's own timeout argument still wins). */
  timeoutMs?: number;
}

/** Bad arguments to `describe.multinode` (or its `.only`, `.skip`, `.each` forms), or a test it cannot run. */
export class MultinodeDescribeError extends MultinodeError {
  constructor(message: string) {
    super('MULTINODE_DESCRIBE', message);
  }
}

type BlockFn = (...args: unknown[]) => void;
type DescribeFn = ((name: unknown, fn: BlockFn) => void) & { each(...table: unknown[]): (name: unknown, fn: BlockFn) => void };
/** `describe` as circus's `setup` event gives it (`runtimeGlobals.describe`): with `.only`, `.skip` and `.each`. */
export type RuntimeDescribe = DescribeFn & { only: DescribeFn; skip: DescribeFn; multinode?: unknown };

const KNOWN_OPTIONS = ['timeoutMs'];

/**
 * Which describe blocks are multi-node blocks, and `describe.multinode` itself. A call marks every
 * block it defines directly (`.each` defines one per row) with its options; blocks nested in them
 * are multi-node through their parent.
 */
export class MultinodeBlocks {
  private readonly options = new WeakMap<Circus.DescribeBlock, MultinodeDescribeOptions>();
  /** The `describe.multinode` call being defined: its options, the block it was called in, the concurrent tests found. */
  private pending: { options: MultinodeDescribeOptions; parent: Circus.DescribeBlock; concurrent: string[] } | null = null;
  private state: Circus.State | null = null;

  /** circus's `setup` event: installs `describe.multinode` with `.only`, `.skip` and their `.each` forms. */
  install(describe: RuntimeDescribe, state: Circus.State): void {
    this.state = state;
    const variant = (label: string, base: DescribeFn) => {
      const define = (name: unknown, optionsOrFn: unknown, maybeFn?: unknown): void => {
        const { options, fn } = parseArguments(label, name, optionsOrFn, maybeFn);
        this.within(label, options, () => base(name, fn));
      };
      const each =
        (...table: unknown[]) =>
        (name: unknown, optionsOrFn: unknown, maybeFn?: unknown): void => {
          const { options, fn } = parseArguments(`${label}.each(...)`, name, optionsOrFn, maybeFn);
          this.within(`${label}.each(...)`, options, () => base.each(...table)(name, fn));
        };
      return Object.assign(define, { each });
    };
    describe.multinode = Object.assign(variant('describe.multinode', describe), {
      only: variant('describe.multinode.only', describe.only),
      skip: variant('describe.multinode.skip', describe.skip),
    });
  }

  /** circus's `start_describe_definition`: marks the block when a `describe.multinode` call defines it. */
  blockStarted(block: Circus.DescribeBlock): void {
    if (this.pending !== null && block.parent === this.pending.parent) this.options.set(block, this.pending.options);
  }

  /** circus's `add_test`: notes a concurrent test inside a multi-node block (see `within`). */
  testAdded(test: Circus.TestEntry): void {
    if (test.concurrent && this.pending !== null && this.optionsOf(test.parent) !== null) this.pending.concurrent.push(test.name);
  }

  /** The options of the multi-node block that `block` is or is inside of; null outside any. */
  optionsOf(block: Circus.DescribeBlock | undefined): MultinodeDescribeOptions | null {
    for (let b = block; b !== undefined; b = b.parent) {
      const options = this.options.get(b);
      if (options !== undefined) return options;
    }
    return null;
  }

  /**
   * Runs a `describe.multinode` call with its blocks marked. Concurrent tests are refused: the tests
   * of a multi-node block share one cluster, its faults and its barrier names, and every role starts
   * each test together, so they run one at a time.
   */
  private within(label: string, options: MultinodeDescribeOptions, define: () => void): void {
    const outer = this.pending;
    const parent = this.state?.currentDescribeBlock;
    if (parent === undefined) throw new MultinodeDescribeError(`${label} was called before Jest set up the test file.`);
    const current = { options, parent, concurrent: [] as string[] };
    this.pending = current;
    try {
      define();
    } finally {
      this.pending = outer;
    }
    if (current.concurrent.length > 0) {
      throw new MultinodeDescribeError(
        `test.concurrent is not supported inside ${label}: ${current.concurrent.map((n) => `"${n}"`).join(', ')}. The tests of a multi-node block share one cluster, its faults and its barriers, and every role starts each test together, so they run one at a time; use test (or it) instead.`,
      );
    }
  }
}

/** Validates the arguments of a `describe.multinode` form: `(name, fn)` or `(name, options, fn)`. */
function parseArguments(label: string, name: unknown, optionsOrFn: unknown, maybeFn: unknown): { options: MultinodeDescribeOptions; fn: BlockFn } {
  const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
  const options = typeof optionsOrFn === 'function' ? {} : optionsOrFn;
  if (typeof fn !== 'function') {
    throw new MultinodeDescribeError(`${label}(${describeValue(name)}, ...) needs a function that defines the tests; it was given ${describeValue(fn)}.`);
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new MultinodeDescribeError(`${label} options must be an object like { timeoutMs: 60000 }; it was given ${describeValue(options)}.`);
  }
  const unknown = Object.keys(options).filter((key) => !KNOWN_OPTIONS.includes(key));
  if (unknown.length > 0) {
    throw new MultinodeDescribeError(`${label} options have no ${unknown.map((k) => `'${k}'`).join(', ')}; the only option is timeoutMs.`);
  }
  const timeoutMs = (options as MultinodeDescribeOptions).timeoutMs;
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0)) {
    throw new MultinodeDescribeError(`${label} timeoutMs must be a positive number of milliseconds; it was ${describeValue(timeoutMs)}.`);
  }
  return { options: { timeoutMs }, fn: fn as BlockFn };
}
