import type { SerializedError } from '../util';
import type { TraceCollector } from './TraceCollector';
import type { RoleError } from './traceTypes';

/** One recorded error, and whether Jest already knows it (through a test result or its own run). */
export interface RoleErrorEntry extends RoleError {
  reported: boolean;
}

/**
 * Every error a role met outside its tests' results: a hook, its node, a timer between tests, its
 * thread ending, a `stop()` past its deadline. Each goes into the file's trace at once (with the time
 * it happened); the ones that no test result carried are handed to Jest at the end of the file, so
 * that none is lost and the reporter and Jest's exit code agree.
 */
export class RoleErrorLog {
  private readonly entries: RoleErrorEntry[] = [];

  constructor(private readonly trace: TraceCollector) {}

  /**
   * Records an error of `role` at `time`. `reported` is true when Jest knows it already (an error of
   * the lead's own run, which jest-circus fails the file with).
   */
  record(role: string, time: number, error: SerializedError, reported = false): RoleErrorEntry {
    const entry: RoleErrorEntry = { role, time, error, reported };
    this.entries.push(entry);
    this.trace.addRoleError({ role, time, error });
    return entry;
  }

  /** The errors no test result and no run of Jest has reported yet, in time order; marks them reported. */
  takeUnreported(): RoleError[] {
    const open = this.entries.filter((e) => !e.reported).sort((a, b) => a.time - b.time);
    for (const entry of open) entry.reported = true;
    return open.map(({ role, time, error }) => ({ role, time, error }));
  }
}
