import type { CodeFrame } from '../model';
import type { LogLevel } from '../../src/node';
import type { RoleOutcome } from '../../src/harness';
import type { Verdict } from '../model';

/**
 * The data of one test's HTML timeline: everything the page draws, computed from the file's trace by
 * pure functions (`buildTimelinePage`) and embedded in the page as one JSON blob. Every time is in
 * milliseconds since the test started on the lead, after causal adjustment (see `causalTimes`): a
 * receive is never placed before its send, and a role's events keep their Lamport order.
 */
export interface TimelinePage {
  /** The test file relative to `rootDir`, with `/` separators. */
  readonly file: string;
  /** Jest's full test name. */
  readonly test: string;
  /** The titles from the outermost describe to the test. */
  readonly titles: readonly string[];
  readonly verdict: Verdict;
  readonly seed: number;
  readonly mode: string;
  /** The command that reruns the test with the same seed; null unless it failed. */
  readonly rerun: string | null;
  /** When the test started on the lead, epoch milliseconds (virtual in simulation mode). */
  readonly startedAt: number;
  /** The end of the drawn range: the test's end or its last event, whichever is later. */
  readonly endMs: number;
  /** One lane per role, in roles order. */
  readonly roles: readonly PageRole[];
  /** The test cut by the lead's barrier releases; one phase when it used no barrier. */
  readonly phases: readonly PagePhase[];
  readonly messages: readonly PageMessage[];
  readonly messageSummary: MessageSummary;
  /** Every message type with its count, most frequent first (the type filter's choices). */
  readonly messageTypes: readonly { readonly type: string; readonly count: number }[];
  readonly faults: readonly PageFault[];
  readonly barriers: readonly PageBarrier[];
  readonly logs: readonly PageLog[];
  readonly failures: readonly PageFailure[];
  /** For a failed test, its first anomaly; null when there was none or the test did not fail. */
  readonly firstAnomaly: PageAnomaly | null;
}

/** A role's lane and its verdict. */
export interface PageRole {
  readonly role: string;
  readonly status: RoleOutcome;
  readonly durationMs: number;
  /** Why it failed, when it did: on its own (`root-cause`) or because another role failed. */
  readonly cause: 'root-cause' | 'consequence' | null;
}

/** A stretch of the test between two barrier releases on the lead. */
export interface PagePhase {
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * A node-to-node message, or a bundle of `count` messages of one type on one link sent close
 * together (when the test has more messages than the page draws one by one).
 */
export interface PageMessage {
  readonly from: string;
  readonly to: string;
  readonly type: string;
  readonly count: number;
  /** The sender's sequence number; for a bundle, its first message's. */
  readonly seq: number;
  readonly sendMs: number;
  /** Null when it never arrived (dropped, or still in flight when the trace ended). */
  readonly receiveMs: number | null;
  /** Why it was not delivered; for a bundle, set when every message of it was dropped for that reason. */
  readonly dropped: 'partition' | 'blackhole' | 'drop' | 'crashed' | null;
  readonly delayMs: number;
}

/** How the page drew the test's messages. */
export interface MessageSummary {
  /** Messages of the test in the trace. */
  readonly total: number;
  /** Arrows on the page (bundles count once). */
  readonly arrows: number;
  /** True when messages were bundled because there were more than `threshold`. */
  readonly bundled: boolean;
  /** When bundled: the slot of time within which messages of one type on one link share an arrow. */
  readonly bundleSlotMs: number | null;
  readonly threshold: number;
  /** Messages of the whole file the environment left out of the trace (its per-role cap). */
  readonly omittedFromTrace: number;
}

/** A fault in force from `startMs` to `endMs` on the lanes of `roles`. */
export interface PageFault {
  readonly kind: 'partition' | 'blackhole' | 'delay' | 'drop' | 'crash' | 'leave';
  /** The command as the terminal timeline writes it, e.g. `partition a | c`. */
  readonly label: string;
  readonly roles: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
  /** True when nothing lifted the fault before the test ended (it is drawn to the end). */
  readonly open: boolean;
}

/** One role's stay in a barrier or gather, from entering to its release. */
export interface PageBarrier {
  readonly role: string;
  readonly name: string;
  readonly gather: boolean;
  readonly startMs: number;
  readonly endMs: number;
  /** `open` when the role never left it before the test ended. */
  readonly outcome: 'passed' | 'failed' | 'open';
}

/** A log line, or a node event (started, crashed...) drawn the same way. */
export interface PageLog {
  readonly role: string;
  readonly ms: number;
  readonly level: LogLevel | 'node';
  readonly text: string;
}

/** A role's failure of the test, marked on its lane. */
export interface PageFailure {
  readonly role: string;
  readonly ms: number;
  readonly cause: 'root-cause' | 'consequence';
  /** For a consequence, the root-cause role it names, when it names one; its entry is listed under that role's. */
  readonly rootRole: string | null;
  /** The first lines of each of its errors. */
  readonly messages: readonly string[];
  /** For a root cause, the code frame of its first error in the test file, when the source could be read. */
  readonly codeFrame: CodeFrame | null;
}

/** The earliest event of the test that looks wrong before the root cause failed (see the reporter's first screen). */
export interface PageAnomaly {
  readonly role: string;
  readonly ms: number;
  readonly kind: string;
  readonly text: string;
}
