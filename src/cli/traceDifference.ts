import * as fs from 'node:fs';
import * as path from 'node:path';
import { TRACE_FILE_EXTENSION } from '../harness';

/**
 * The trace files (`.mntrace`) under `dir`, at any depth, as paths relative to it with `/`
 * separators, sorted. A folder that does not exist holds none.
 */
export function traceFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((file) => file.endsWith(TRACE_FILE_EXTENSION))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
}

/**
 * How the traces of two runs of one seed differ, in one sentence, or null when every trace file is
 * byte for byte the same in both. Names the first file (in sorted order) that differs or that only
 * one run wrote. Two runs that wrote no trace at all are a difference too: there was nothing to
 * compare, which means the selected files ran no multi-node test.
 */
export function traceDifference(firstDir: string, secondDir: string): string | null {
  const first = traceFilesUnder(firstDir);
  const second = traceFilesUnder(secondDir);
  if (first.length === 0 && second.length === 0) {
    return `neither run wrote a trace file (${TRACE_FILE_EXTENSION}), so there is nothing to compare; do the selected files have multi-node tests?`;
  }
  const secondSet = new Set(second);
  for (const file of [...new Set([...first, ...second])].sort()) {
    if (!secondSet.has(file)) return `only the first run wrote the trace ${file}`;
    if (!first.includes(file)) return `only the second run wrote the trace ${file}`;
    if (!fs.readFileSync(path.join(firstDir, file)).equals(fs.readFileSync(path.join(secondDir, file)))) {
      return `the trace ${file} differs between two runs`;
    }
  }
  return null;
}
