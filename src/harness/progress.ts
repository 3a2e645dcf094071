import * as fs from 'node:fs';
import { LINK_BLACKHOLED, LINK_PARTITIONED, type FaultTable } from './FaultTable';

/**
 * The side channel of live progress, from a file's lead (in whichever thread or Jest worker it runs)
 * to the reporter in Jest's main process. The reporter sets this variable to a file only when it
 * shows progress (an interactive terminal, not CI, not `--json`); the lead then appends one JSON
 * line per change of its state. Without the variable nothing is written.
 */
export const PROGRESS_FILE_ENV = 'MULTINODE_PROGRESS_FILE';

/** A barrier or gather that some role is waiting at. */
export interface ProgressWait {
  readonly kind: 'barrier' | 'gather';
  readonly name: string;
  /** Roles that entered it, in role order. */
  readonly arrived: readonly string[];
  /** Participants that have not entered it yet, in role order. */
  readonly missing: readonly string[];
}

/** One line of the progress file: the state of one test file's run after a change. */
export interface ProgressSnapshot {
  /** The test file's absolute path, as Jest gives it to reporters. */
  readonly testPath: string;
  /** The full name of the multi-node test that runs, or null between tests. */
  readonly test: string | null;
  readonly waits: readonly ProgressWait[];
  /** The faults in force, one phrase each (`a ⇹ c partitioned`, `c crashed`). */
  readonly faults: readonly string[];
}

/** What a file's progress is made of, read afresh at every change. */
export interface ProgressSource {
  readonly test: () => string | null;
  readonly waits: () => readonly ProgressWait[];
  readonly faults: () => readonly string[];
}

/**
 * Appends a snapshot of a file's run to the progress file each time `changed()` finds it different
 * from the last one. Writing is synchronous and small (one line), so lines from several Jest workers
 * appending to one file never interleave; a failed write turns the feed off, it never fails a test.
 */
export class ProgressFeed {
  private last = '';
  private file: string | null;

  constructor(
    file: string | undefined,
    private readonly testPath: string,
    private readonly source: ProgressSource,
  ) {
    this.file = file === undefined || file === '' ? null : file;
  }

  /** Something the snapshot is made of may have changed. */
  changed(): void {
    if (this.file === null) return;
    const snapshot: ProgressSnapshot = { testPath: this.testPath, test: this.source.test(), waits: this.source.waits(), faults: this.source.faults() };
    const line = JSON.stringify(snapshot);
    if (line === this.last) return;
    this.last = line;
    try {
      fs.appendFileSync(this.file, `${line}\n`);
    } catch {
      this.file = null; // The reporter removed it (its run ended): progress is only ever a courtesy.
    }
  }
}

/** The faults in force in `table`, one phrase each: links first (both ways as one), then nodes. */
export function faultsInForce(table: FaultTable, roles: readonly string[]): string[] {
  const phrases: string[] = [];
  for (let a = 0; a < roles.length; a++) {
    for (let b = 0; b < roles.length; b++) {
      if (a === b) continue;
      const there = table.linkFaults(a, b);
      const back = table.linkFaults(b, a);
      if ((there.flags & LINK_PARTITIONED) !== 0 && a < b && (back.flags & LINK_PARTITIONED) !== 0) phrases.push(`${roles[a]} ⇹ ${roles[b]} partitioned`);
      if ((there.flags & LINK_BLACKHOLED) !== 0) phrases.push(`${roles[a]} → ${roles[b]} blackholed`);
      if (there.delayMaxMs > 0) phrases.push(`${roles[a]} → ${roles[b]} delayed ${there.delayMinMs}-${there.delayMaxMs} ms`);
      if (there.dropProbability > 0) phrases.push(`${roles[a]} → ${roles[b]} dropping ${Math.round(there.dropProbability * 100)}%`);
    }
  }
  roles.forEach((role, index) => {
    const state = table.nodeState(index);
    if (state === 'crashed') phrases.push(`${role} crashed`);
    else if (state === 'departed') phrases.push(`${role} left`);
  });
  return phrases;
}
