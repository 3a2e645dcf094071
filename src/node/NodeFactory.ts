import type { Transport } from '../transport';

/** Log levels accepted by `ctx.log` and shown by the reporter. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Writes one line into the merged, per-test, role-tagged log of the harness. */
export type NodeLogger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/** A timer set on a node's clock. */
export interface NodeTimer {
  /** Cancels the timer; a no-op once it ran or was cancelled. */
  cancel(): void;
}

/**
 * A node's time. Real in threads mode, virtual in simulation mode. Its timers are the harness's own,
 * so they keep real time when the test calls `jest.useFakeTimers()`.
 */
export interface NodeClock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds (clamped to >= 0). */
  setTimeout(fn: () => void, ms: number): NodeTimer;
  /** Runs `fn` once the work already queued is done, like Node's `setImmediate`. */
  setImmediate(fn: () => void): NodeTimer;
}

/** What the harness gives a `NodeFactory` when it starts a node for a role. */
export interface NodeContext {
  /** This node's role, e.g. `'b'`. */
  readonly role: string;
  /** Every role of the test file, lead first. */
  readonly roles: readonly string[];
  /** The run's seed: derive all randomness from it. */
  readonly seed: number;
  /** 0 for the first start of this role, then 1, 2, ... after each `fault.restart`. */
  readonly incarnation: number;
  /** `testEnvironmentOptions.multinode.nodeOptions`, passed through untouched. */
  readonly options: Readonly<Record<string, unknown>>;
  /** This node's clock: take time and timers from it, not from `Date` or the global `setTimeout`. */
  readonly clock: NodeClock;
  /**
   * A number in [0, 1) from this node's own stream, seeded from (seed, role, incarnation): take every
   * random choice from it, not from `Math.random`, and a seed replays them (a restart draws anew).
   */
  readonly random: () => number;
  /** The node-to-node link of this role; faults apply here and every message is traced. */
  readonly transport: Transport;
  /** Logs into the harness log, tagged with role, test and time. */
  readonly log: NodeLogger;
}

/** A running node, as returned by a `NodeFactory`. */
export interface NodeHandle<S = unknown> {
  /** Becomes `multinode.system` on this role. */
  readonly system: S;
  /** Graceful stop (used by `fault.leave` and at teardown). */
  stop(): void | Promise<void>;
  /** Optional abrupt stop: cancel timers and work at once. The harness cuts the links anyway. */
  crash?(): void | Promise<void>;
  /** Optional: how many members this node sees Up and reachable; enables `multinode.awaitMembersUp`. */
  membersUp?(): number;
  /** Optional: a human-readable view of this node's membership, shown when `awaitMembersUp` times out. */
  describeMembership?(): string;
  /**
   * Optional: why this node can never see `count` members Up (it was downed, members were removed),
   * or null while it still can. With it, `awaitMembersUp` and the start-up wait fail at once, naming
   * the reason, instead of at their timeout.
   */
  whyNotMembersUp?(count: number): string | null;
  /**
   * Optional: answers `multinode.inspect(query)` in every mode, so a test can ask a node about its
   * state even when it runs in another process (where `system` is out of reach). `query` is whatever
   * the test passed (structured-cloned); the answer must be structured-cloneable too (plain data,
   * Map, Set, Date, typed arrays), or the call rejects naming the field that is not.
   */
  inspect?(query: unknown): unknown | Promise<unknown>;
}

/**
 * Starts one node for one role. The module named by the `node` option default-exports one of these.
 * It is called again, with a higher `ctx.incarnation`, for every `fault.restart`.
 */
export type NodeFactory<S = unknown> = (ctx: NodeContext) => Promise<NodeHandle<S>> | NodeHandle<S>;
