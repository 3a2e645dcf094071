import type { LogLevel } from '../node';
import type { SerializedError } from '../util';

/**
 * The JSON trace of one test file, written by the environment at teardown and read by the reporter
 * (and, later, the timeline view). Times are epoch milliseconds from the harness `Clock`; every event
 * also carries the Lamport clock of the role that recorded it.
 */
export interface FileTrace {
  readonly version: 2;
  /**
   * The test file's path relative to the project's `rootDir`, with `/` separators. No absolute path
   * of the machine is kept in a trace (see `serializeTrace`), so a simulated run's trace is the same
   * on every machine.
   */
  readonly testPath: string;
  readonly roles: readonly string[];
  readonly seed: number;
  /** Where the roles ran; `modeFromEnv` when `MULTINODE_MODE` chose it (a rerun needs it again). */
  readonly mode: RunMode;
  readonly modeFromEnv: boolean;
  readonly startedAt: number;
  readonly finishedAt: number;
  /** Tests in the order the lead ran them. */
  readonly tests: readonly TestTrace[];
  /** Every event of the file, sorted by time; `test` says which test was running (null between tests). */
  readonly events: readonly TraceEvent[];
  /** Failures of a whole role outside any test (top-level throw, worker crash, termination). */
  readonly roleErrors: readonly RoleError[];
  /** Node-to-node messages left out of `events` because a per-role cap was reached. */
  readonly messagesOmitted: number;
}

/** How roles run: every role in its own thread, or all in one thread on virtual time. */
export type RunMode = 'threads' | 'simulation' | 'processes';

/** The outcome of one test on one role. */
export type RoleOutcome = 'passed' | 'failed' | 'skipped' | 'terminated' | 'missing';

/** One role's result for one test. */
export interface RoleTestResult {
  readonly status: RoleOutcome;
  readonly durationMs: number;
  /** Root-cause errors first; errors with `consequence: true` were caused by another role's failure. */
  readonly errors: readonly TraceError[];
}

/** An error as recorded in the trace. */
export interface TraceError extends SerializedError {
  /** True when this error only reports another role's failure (for example a barrier it broke). */
  readonly consequence: boolean;
}

/** One test of the file. */
export interface TestTrace {
  /** Jest's full test name: describe titles and the test title joined by spaces. */
  readonly id: string;
  /** The titles from the outermost describe to the test. */
  readonly titles: readonly string[];
  /** True for tests inside `describe.multinode` (run on every role). */
  readonly multinode: boolean;
  readonly startedAt: number;
  readonly finishedAt: number;
  /** Per role; tests outside `describe.multinode` have only the lead. */
  readonly results: Readonly<Record<string, RoleTestResult>>;
}

/** A whole-role failure outside a test. */
export interface RoleError {
  readonly role: string;
  readonly time: number;
  readonly error: SerializedError;
}

/** Fields every trace event has. */
interface EventBase {
  readonly time: number;
  /** The role that recorded the event (the sender, for messages). */
  readonly role: string;
  readonly lamport: number;
  /** The running test's id, or null outside tests. */
  readonly test: string | null;
}

/** A fault as a command: what the harness was asked to do. */
export type FaultCommand =
  | { readonly kind: 'partition'; readonly sideA: readonly string[]; readonly sideB: readonly string[] }
  | { readonly kind: 'blackhole'; readonly from: string; readonly to: string }
  | { readonly kind: 'heal'; readonly sideA?: readonly string[]; readonly sideB?: readonly string[] }
  | { readonly kind: 'delay'; readonly from: string; readonly to: string; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'drop'; readonly from: string; readonly to: string; readonly probability: number }
  | { readonly kind: 'crash'; readonly role: string }
  | { readonly kind: 'restart'; readonly role: string }
  | { readonly kind: 'leave'; readonly role: string };

/** The `console` methods whose lines the trace records. */
export type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';

/** Where a log line written with `console.*` (by a role's test or node code) came from. */
export interface ConsoleCall {
  readonly method: ConsoleMethod;
  /** The call's stack, from the caller of the console method down, as Jest's consoles record it; empty on the lead. */
  readonly origin: string;
}

/** How much a gather carried: the number of values and their serialized size in bytes. */
export interface GatherSize {
  readonly values: number;
  readonly bytes: number;
}

/** Everything the trace records. */
export type TraceEvent =
  | (EventBase & {
      readonly type: 'log';
      readonly level: LogLevel;
      readonly message: string;
      readonly fields?: Record<string, unknown>;
      /** Set on lines written with `console.*`; absent on `ctx.log` lines. */
      readonly console?: ConsoleCall;
    })
  /**
   * A barrier or, with `gather`, a gather: the size of this role's value, never the value; `site` is
   * where the test called it (`path:line:column`), when known.
   */
  | (EventBase & { readonly type: 'barrier-enter'; readonly name: string; readonly gather?: GatherSize; readonly site?: string })
  /** Leaving a barrier or gather; a gather that passed has the size of every value it brought back. */
  | (EventBase & { readonly type: 'barrier-leave'; readonly name: string; readonly outcome: 'passed' | 'failed'; readonly gather?: GatherSize })
  | (EventBase & { readonly type: 'fault'; readonly fault: FaultCommand })
  | (EventBase & { readonly type: 'test-start' })
  | (EventBase & { readonly type: 'test-end'; readonly status: RoleOutcome })
  | (EventBase & { readonly type: 'node'; readonly event: 'started' | 'stopped' | 'crashed'; readonly incarnation: number })
  | (EventBase & {
      readonly type: 'message';
      readonly to: string;
      /** The message's per-sender sequence number. */
      readonly seq: number;
      readonly receivedAt: number | null;
      readonly receiveLamport: number | null;
      /** Why it was not delivered, when it was not. */
      readonly dropped: 'partition' | 'blackhole' | 'drop' | 'crashed' | null;
      readonly delayMs: number;
      /** A short preview of the message, for the timeline. */
      readonly preview: string;
    });
