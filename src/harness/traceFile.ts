import * as path from 'node:path';

/**
 * Where traces go. The reporter sets this environment variable (to an absolute directory) in its
 * constructor, before Jest starts its workers, so every environment instance finds it; without the
 * reporter no trace files are written.
 */
export const REPORT_DIR_ENV = 'MULTINODE_REPORT_DIR';

/** The trace file of `testPath` inside `reportDir`: the path relative to `rootDir`, flattened. */
export function traceFilePath(reportDir: string, rootDir: string, testPath: string): string {
  const relative = path.relative(rootDir, testPath) || path.basename(testPath);
  const flat = relative.split(path.sep).join('__').replace(/[^A-Za-z0-9._-]/g, '_');
  return path.join(reportDir, `${flat}.trace.json`);
}
