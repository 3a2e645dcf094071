import type { ProgressSnapshot, ProgressWait } from '../../src/harness';

/** When live progress speaks, all in milliseconds of real time. */
export interface ProgressViewSettings {
  /** A test is shown once it has run this long: short tests stay quiet. */
  readonly showAfterMs: number;
  /** An unchanged state is shown again after this long. */
  readonly repeatAfterMs: number;
}

/** The defaults: tests of 2 s and more, and every 10 s while nothing changes. */
export const PROGRESS_VIEW_DEFAULTS: ProgressViewSettings = { showAfterMs: 2_000, repeatAfterMs: 10_000 };

interface FileState {
  snapshot: ProgressSnapshot;
  /** When the current test was first seen. */
  testSince: number;
  /** When each wait (by kind and name) was first seen. */
  waitSince: Map<string, number>;
  /** What was last printed for this file, and when. */
  printedKey: string | null;
  printedAt: number;
}

/**
 * Turns the lead's progress snapshots of every running test file into lines for an interactive
 * terminal: for a multi-node test that runs long, which barriers and gathers wait for which roles and
 * for how long, and which faults are in force. A line is printed when that changes, and repeated
 * while it does not; nothing is printed for tests that end quickly.
 */
export class ProgressView {
  private readonly files = new Map<string, FileState>();

  constructor(
    /** How a test file is named in a line (its path relative to the working directory, say). */
    private readonly displayFile: (testPath: string) => string,
    private readonly settings: ProgressViewSettings = PROGRESS_VIEW_DEFAULTS,
  ) {}

  /** A snapshot read from the progress file at `now`. */
  update(snapshot: ProgressSnapshot, now: number): void {
    const state = this.files.get(snapshot.testPath);
    if (state === undefined || state.snapshot.test !== snapshot.test) {
      this.files.set(snapshot.testPath, { snapshot, testSince: now, waitSince: sinceOf(snapshot.waits, new Map(), now), printedKey: null, printedAt: now });
      return;
    }
    state.snapshot = snapshot;
    state.waitSince = sinceOf(snapshot.waits, state.waitSince, now);
  }

  /** The file's run ended: nothing more is shown for it. */
  forget(testPath: string): void {
    this.files.delete(testPath);
  }

  /** The lines due at `now`, one per test file whose state is new or due to be repeated. */
  due(now: number): string[] {
    const lines: string[] = [];
    for (const state of this.files.values()) {
      const { test, waits, faults } = state.snapshot;
      if (test === null || now - state.testSince < this.settings.showAfterMs) continue;
      const key = JSON.stringify([waits.map((wait) => [wait.kind, wait.name, wait.missing]), faults]);
      if (key === state.printedKey && now - state.printedAt < this.settings.repeatAfterMs) continue;
      state.printedKey = key;
      state.printedAt = now;
      const parts = waits.map((wait) => describeWait(wait, now - (state.waitSince.get(waitKey(wait)) ?? now)));
      if (parts.length === 0) parts.push('no role waits at a barrier');
      parts.push(faults.length === 0 ? 'no faults in force' : `faults in force: ${faults.join(', ')}`);
      lines.push(`multinode ▸ ${this.displayFile(state.snapshot.testPath)} › ${test} (${seconds(now - state.testSince)}): ${parts.join(' · ')}`);
    }
    return lines;
  }
}

function waitKey(wait: ProgressWait): string {
  return `${wait.kind} ${wait.name}`;
}

/** The first-seen time of each of `waits`, kept from `before` for those already waiting. */
function sinceOf(waits: readonly ProgressWait[], before: ReadonlyMap<string, number>, now: number): Map<string, number> {
  return new Map(waits.map((wait) => [waitKey(wait), before.get(waitKey(wait)) ?? now]));
}

function describeWait(wait: ProgressWait, forMs: number): string {
  const missing = wait.missing.length === 0 ? 'no one' : wait.missing.join(', ');
  return `${wait.kind} '${wait.name}' waits for ${missing} (${seconds(forMs)}; ${wait.arrived.join(', ')} arrived)`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
