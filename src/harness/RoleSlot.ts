import { assertNever, deferred, type Deferred, serializeError } from '../util';
import { NodeError, RoleTerminatedError, withoutFrames } from './errors';
import type { RoleErrorEntry } from './RoleErrorLog';
import type { RoleChannel } from './RoleRunner';
import type { RoleResult } from './TestLockstep';

/** Where a role is in the file: running it, done with it, failed outside any test, or ended by the harness. */
export type RoleStatus = 'running' | 'finished' | 'file-failed' | 'terminated';

/** The conductor's record of one role: its control channel and where it is. */
export interface RoleSlot {
  readonly role: string;
  readonly index: number;
  status: RoleStatus;
  readonly channel: RoleChannel | null;
  nodeReady: Deferred<void>;
  /** Resolved when the role's tests and hooks are done (or its file ended without running them). */
  runFinished: Deferred<void>;
  fileDone: Deferred<void>;
  closed: Promise<void>;
  /** Why the role's file failed or its thread ended; marked reported once a test result carries it. */
  failure: RoleErrorEntry | null;
  nodeStarted: boolean;
  currentTest: string | null;
  /** The coverage the role's run of the file collected, once its file is done. */
  coverage: unknown;
}

/** The record of a role whose runner has not attached it yet. */
export function createSlot(role: string, index: number): RoleSlot {
  return {
    role,
    index,
    status: 'running',
    channel: null,
    nodeReady: deferred<void>(),
    runFinished: deferred<void>(),
    fileDone: deferred<void>(),
    closed: Promise.resolve(),
    failure: null,
    nodeStarted: false,
    currentTest: null,
    coverage: null,
  };
}

/**
 * The result a role that cannot run `testId` gets (its file finished early or failed, or it was
 * terminated); null while it is running. Using its failure marks that failure as reported to Jest.
 */
export function absentResult(slot: RoleSlot, testId: string): RoleResult | null {
const role = slot.role;
  switch (slot.status) {
    case 'running':
      return null;
    case 'finished':
      return { status: 'missing', durationMs: 0, errors: [serializeError(new Error(`Role '${role}' finished its test file without running "${testId}".`))] };
    case 'file-failed':
      if (slot.failure !== null) slot.failure.reported = true;
      return {
        status: 'failed',
        durationMs: 0,
        errors: [serializeError(withoutFrames(new RoleTerminatedError(`The test file failed on role '${role}' outside any test, so "${testId}" did not run there: ${slot.failure?.error.message ?? 'unknown error'}`)))],
      };
    case 'terminated':
      if (slot.failure !== null) slot.failure.reported = true;
      return {
        status: 'terminated',
        durationMs: 0,
        errors: [slot.failure?.error ?? serializeError(withoutFrames(new RoleTerminatedError(`Role '${role}' was terminated.`)))],
      };
    default:
      return assertNever(slot.status, 'role status');
  }
}

/** A role the conductor has no slot for: a harness bug, never a user's mistake (roles are validated). */
export function unknownSlot(role: string): never {
  throw new NodeError(`The conductor has no role '${role}'; this is a bug in the harness, please report it.`);
}

/**
 * A role is done with its tests and hooks; `failure` is its file's error outside them, if any.
 * Returns whether the role just stopped running (its barriers and lockstep must let it go).
 */
export function finishRun(slot: RoleSlot, failure: RoleErrorEntry | null): boolean {
  slot.runFinished.resolve();
  if (failure !== null) slot.failure ??= failure;
  if (slot.status !== 'running') return false;
  slot.status = failure === null ? 'finished' : 'file-failed';
  return true;
}
