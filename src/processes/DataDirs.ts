import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One data directory per role for one test file (`MULTINODE_DATA_DIR`), under a fresh directory in
 * the OS temp dir (never under `rootDir`, which Jest watches). Kept across restarts; `finish` removes
 * them after a passing file and keeps them, returning their path to print, after a failing one.
 */
export class DataDirs {
  /** The directory that holds every role's data dir. */
  readonly root: string;
  private finished = false;

  /** Creates the root and one empty directory per role. */
  constructor(roles: readonly string[], parent: string = tmpdir()) {
    this.root = mkdtempSync(join(parent, 'multinode-data-'));
    for (const role of roles) mkdirSync(this.dirOf(role));
  }

  /** The data dir of `role`. */
  dirOf(role: string): string {
    return join(this.root, role);
  }

  /**
   * Ends the file: `passed` removes everything and returns null; otherwise returns the root's path,
   * left in place for the user to look at. Call after every node process has exited. Idempotent.
   */
  finish(passed: boolean): string | null {
    if (this.finished) return passed ? null : this.root;
    this.finished = true;
    if (!passed) return this.root;
    rmSync(this.root, { recursive: true, force: true, maxRetries: 3 });
    return null;
  }
}
