import type { LogLevel } from '../src/node';
import type { RoleOutcome } from '../src/harness';

/**
 * The report of one test file: everything the renderer prints, computed from the file's trace by
 * pure functions (`buildFileReport`). Times are milliseconds; offsets are relative to a start time
 * named in the field's comment.
 */
export interface FileReport {
  /** The test file relative to `rootDir`, with `/` separators. */
  readonly relativePath: string;
  readonly roles: readonly string[];
  readonly seed: number;
  /** Where the roles ran: 'threads' or 'simulation'. */
  readonly mode: string;
  /** The multi-node tests (those inside `describe.multinode`), in the order the lead ran them. */
  readonly tests: readonly TestReport[];
  /** Failures of whole roles outside any test. */
  readonly roleErrors: readonly RoleErrorReport[];
  /** Node-to-node messages the environment left out of the trace because a cap was reached. */
  readonly messagesOmitted: number;
  /** Where the trace file is, when known, to point at from truncated timelines. */
  readonly tracePath: string | null;
}

/** The merged verdict of a test: passed only if it passed on every role. */
export type Verdict = 'passed' | 'failed' | 'skipped';

/** One multi-node test. */
export interface TestReport {
  /** Jest's full name (titles joined by spaces); what `-t` matches. */
  readonly fullName: string;
  /** The titles from the outermost describe to the test. */
  readonly titles: readonly string[];
  readonly verdict: Verdict;
  /** One outcome per role of the file, in roles order; a role without a result is `missing`. */
  readonly outcomes: readonly RoleOutcomeReport[];
  /**
   * For failed tests, the roles that did not pass: root causes first (in roles order), then the
   * consequences grouped under the root cause they report. Empty for passed and skipped tests.
   */
  readonly failures: readonly RoleFailure[];
  /** True when Jest reported the test failed although every role passed (the trace missed why). */
  readonly failedOnlyInJest: boolean;
  /**
   * For failed tests, the first anomalous event of the trace before the root cause failed (a drop, a
   * fault, a failed barrier, a crash, an error or warn log line); null when there was none, and for
   * passed and skipped tests.
   */
  readonly firstAnomaly: FirstAnomaly | null;
  /** The merged timeline, or null when the `logs` option does not show one for this test. */
  readonly timeline: Timeline | null;
  /** A shell command that reruns just this test with the same seed; null unless the test failed. */
  readonly rerunCommand: string | null;
  /** Where the test's HTML timeline is written, when the `html` option gives it one; else null. */
  readonly htmlPath: string | null;
}

/** One role's outcome of one test. */
export interface RoleOutcomeReport {
  readonly role: string;
  readonly status: RoleOutcome;
  readonly durationMs: number;
}

/**
 * Why a test failed on one role. `root-cause` roles failed on their own; `consequence` roles only
 * report another role's failure (every error they have is marked as a consequence).
 */
export interface RoleFailure {
  readonly role: string;
  readonly status: RoleOutcome;
  readonly cause: 'root-cause' | 'consequence';
  /** For a consequence, the role whose failure it reports, when its error names one; null otherwise. */
  readonly rootRole: string | null;
  /**
   * One entry per error, each the first lines of its message (a root cause's first few lines, a
   * consequence's first line); when the role recorded no error, one entry saying what its status means.
   */
  readonly messages: readonly (readonly string[])[];
  /** For a root cause, where its first error was thrown in the test's code, when the source could be read. */
  readonly codeFrame: CodeFrame | null;
}

/** Where an error was thrown, with the source lines around it. */
export interface CodeFrame {
  /** `path:line:column`, the path relative to `rootDir` as the trace's stack names it. */
  readonly location: string;
  /** The lines around the failing one, Jest-style: `> 18 |     expect(x).toBe(1);`, then a `^` under its column. */
  readonly lines: readonly string[];
}

/** A whole-role failure outside any test. */
export interface RoleErrorReport {
  readonly role: string;
  /** Milliseconds since the file started. */
  readonly offsetMs: number;
  /** The first lines of the error's message. */
  readonly message: readonly string[];
}

/** What a timeline line is about: a log level, or the kind of harness event. */
export type TimelineKind = LogLevel | 'test' | 'barrier' | 'fault' | 'node' | 'send' | 'receive' | 'messages';

/** One line of a test's merged timeline. */
export interface TimelineLine {
  /** Milliseconds since the test started on the lead (negative for events just before). */
  readonly offsetMs: number;
  /** The role that recorded the event (the sender, for messages); `*` for a summary of several roles. */
  readonly role: string;
  readonly kind: TimelineKind;
  readonly text: string;
  /**
   * Adjacent lines with the same number are concurrent: no role's own order and no message links
   * them, so the order they are listed in is only what the clocks read. Null on other lines.
   */
  readonly concurrentGroup: number | null;
}

/** The first anomalous event of a failed test, as a timeline line. */
export type FirstAnomaly = Pick<TimelineLine, 'offsetMs' | 'role' | 'kind' | 'text'>;

/** A test's merged timeline, cut to its last lines when long. */
export interface Timeline {
  readonly lines: readonly TimelineLine[];
  /** How many earlier lines were left out to keep the output short. */
  readonly omittedLines: number;
}
