import * as os from 'node:os';
import * as path from 'node:path';
import { diff } from 'jest-diff';
import type { RoleResult, SnapshotRecordData } from '../src/harness';
import { MultinodeError, serializeError, type SerializedError } from '../src/util';
import { inRoleOnlyCode } from './runOnScope';

/**
 * One snapshot a role took during a test: the name Jest keys it by (test name, hint, and `[role]` for
 * a snapshot taken inside runOn), its key, its value as Jest serialized it, and for
 * `toMatchInlineSnapshot` the snapshot written in the source, if any.
 */
export type SnapshotRecord = SnapshotRecordData;

/** The arguments jest-snapshot passes to `SnapshotState.match`. */
interface MatchArgs {
  testName: string;
  received: unknown;
  isInline?: boolean;
  inlineSnapshot?: string;
  [key: string]: unknown;
}
interface MatchResult {
  actual: string;
  expected?: string;
  key: string;
  count: number;
  pass: boolean;
}
interface SnapshotStateLike {
  match(args: MatchArgs): MatchResult;
  clear(testIdentity?: object): void;
  readonly snapshotFormat: unknown;
}
type SnapshotStateClass = new (snapshotPath: string, options: { updateSnapshot: 'none'; snapshotFormat: unknown; rootDir: string; prettierPath: null }) => SnapshotStateLike;
interface ExpectLike {
  getState(): { snapshotState?: SnapshotStateLike; currentTestName?: string };
  addSnapshotSerializer(plugin: { test(value: unknown): boolean; serialize(value: unknown): string }): void;
}

/** Marks a value the lead writes verbatim: a role's already serialized snapshot. */
const SERIALIZED = Symbol.for('jest-environment-multinode.serialized-snapshot');
const serializerAdded = new WeakSet<object>();

/**
 * Snapshots across roles. jest-snapshot's matchers are synchronous and write one file, so only the
 * lead keeps its real snapshot state; every role records what it matched (serialized by jest-snapshot
 * itself, in a scratch state with no file), and every role but the lead passes. At the end of each test
 * the lead compares each role's snapshots with its own, failing a role whose value differs, and
 * writes (or checks) the snapshots a role took inside `runOn`, keyed with that role's name.
 */
export class SnapshotExchange {
  private records: SnapshotRecord[] = [];
  /** Serializes each snapshot as jest-snapshot does; never saved. */
  private scratch: SnapshotStateLike | null = null;
  /** The lead's own snapshot state's `match`, before it was hooked. */
  private leadMatch: ((args: MatchArgs) => MatchResult) | null = null;

  constructor(
    private readonly role: string,
    private readonly roles: readonly string[],
    private readonly isLead: boolean,
    private readonly rootDir: string,
  ) {}

  /** Hooks the test's snapshot state; call at circus `run_start`, when jest-circus has created it. */
  install(expect: ExpectLike | undefined): void {
    const state = expect?.getState().snapshotState;
    if (expect === undefined || state === undefined) return;
    const original = state.match.bind(state);
    if (this.isLead) this.leadMatch = original;
    // A state with no file and no updates: every match "fails" and so returns the serialized value.
    const scratch = (this.scratch = new (state.constructor as SnapshotStateClass)(path.join(os.tmpdir(), `multinode-scratch-${process.pid}-${this.role}.snap`), {
      updateSnapshot: 'none',
      snapshotFormat: state.snapshotFormat,
      rootDir: this.rootDir,
      prettierPath: null,
    }));
    state.match = (args: MatchArgs): MatchResult => {
      const named = inRoleOnlyCode(this.roles) ? { ...args, testName: roleKeyed(args.testName, expect.getState().currentTestName, this.role) } : args;
      const serialized = scratch.match({ ...named, isInline: false, inlineSnapshot: undefined });
      this.records.push({ testName: named.testName, key: serialized.key, actual: serialized.actual, inline: args.isInline ? { snapshot: args.inlineSnapshot } : null });
      return this.isLead ? original(named) : { ...serialized, pass: true, expected: serialized.actual };
    };
    if (this.isLead && !serializerAdded.has(expect)) {
      serializerAdded.add(expect);
      expect.addSnapshotSerializer({
        test: (value) => typeof value === 'object' && value !== null && SERIALIZED in value,
        serialize: (value) => (value as Record<symbol, string>)[SERIALIZED]!,
      });
    }
  }

  /** A test is retried: its earlier attempt's snapshots are forgotten, as jest-circus does with the real state. */
  retry(test: object): void {
    this.records.length = 0;
    this.scratch?.clear(test);
  }

  /** This role's snapshots of the test that just ended; the next test starts with none. */
  take(): SnapshotRecord[] {
    return this.records.splice(0);
  }

  /**
   * On the lead, after a test: checks every other role's snapshots against the lead's own (taken by
   * `take()` first) and writes the ones taken inside runOn. Failures join the role's result.
   */
  check(lead: readonly SnapshotRecord[], results: Map<string, RoleResult>, test: object & { failing?: boolean }): void {
    const leadByKey = new Map(lead.map((record) => [record.key, record]));
    for (const [role, result] of results) {
      if (role === this.role || result.snapshots === undefined) continue;
      const errors = result.snapshots.map((record) => this.checkOne(role, record, leadByKey.get(record.key), test)).filter((e): e is SerializedError => e !== null);
      if (errors.length > 0) results.set(role, { ...result, status: 'failed', errors: [...result.errors, ...errors] });
    }
  }

  private checkOne(role: string, record: SnapshotRecord, lead: SnapshotRecord | undefined, test: object & { failing?: boolean }): SerializedError | null {
    if (lead !== undefined) {
      if (lead.actual === record.actual) return null;
      return failure(`Snapshot \`${record.key}\` on role '${role}' differs from the lead's ('${this.role}'), which Jest compares with the snapshot file:\n\n${differences(lead.actual, record.actual, role, this.role)}`);
    }
    if (record.inline !== null) {
      const written = record.inline.snapshot;
      if (written !== undefined && written === withExtraLineBreaks(record.actual)) return null;
      return failure(
        written === undefined
          ? `Inline snapshot \`${record.key}\` was taken on role '${role}' but not on the lead; only the lead writes inline snapshots. Take it on every role, or use toMatchSnapshot for a role's own value.`
          : `Inline snapshot \`${record.key}\` on role '${role}' does not match the one in the source:\n\n${differences(written.replace(/^\n|\n$/g, ''), record.actual, role, 'source')}`,
      );
    }
    if (this.leadMatch === null) return null;
    // The test entry is jest-snapshot's identity of the attempt: a retry rolls back what this wrote.
    const result = this.leadMatch({ testName: record.testName, received: { [SERIALIZED]: record.actual }, isInline: false, testIdentity: test, testFailing: test.failing === true });
    if (result.pass) return null;
    if (result.expected === undefined) {
      return failure(`New snapshot \`${record.key}\` of role '${role}' was not written: the update flag must be passed explicitly to write a new snapshot (--ci is on).`);
    }
    return failure(`Snapshot \`${record.key}\` of role '${role}' does not match the snapshot file:\n\n${differences(result.expected, record.actual, role, 'snapshot')}`);
  }
}

/** `test name: hint` becomes `test name [role]: hint`. */
function roleKeyed(testName: string, currentTestName: string | undefined, role: string): string {
  if (currentTestName !== undefined && testName.startsWith(currentTestName)) return `${currentTestName} [${role}]${testName.slice(currentTestName.length)}`;
  return `${testName} [${role}]`;
}

function withExtraLineBreaks(text: string): string {
  return text.includes('\n') ? `\n${text}\n` : text;
}

function differences(expected: string, received: string, role: string, against: string): string {
  return diff(expected, received, { aAnnotation: against === 'snapshot' || against === 'source' ? `Snapshot (${against})` : `Lead '${against}'`, bAnnotation: `Role '${role}'`, expand: false }) ?? '';
}

/** A role's snapshot that differs from the lead's, from the snapshot file or from its inline snapshot. */
export class SnapshotMismatchError extends MultinodeError {
  constructor(message: string) {
    super('SNAPSHOT_MISMATCH', message);
    // No frames of its own: the harness found it, not a line of the test.
    this.stack = `${this.name}: ${message}`;
  }
}

function failure(message: string): SerializedError {
  return serializeError(new SnapshotMismatchError(message));
}
