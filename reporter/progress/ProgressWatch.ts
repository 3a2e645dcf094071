import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROGRESS_FILE_ENV, type ProgressSnapshot } from '../../src/harness';
import { ProgressView } from './ProgressView';

/** How often the progress file is read, in milliseconds. */
export const PROGRESS_POLL_MS = 500;

/**
 * Live progress of a Jest run: it creates the progress file, names it to the test environments in
 * `MULTINODE_PROGRESS_FILE` (Jest starts its workers after `onRunStart`, so they inherit it), reads
 * what the leads append every `PROGRESS_POLL_MS` and writes the view's lines. `stop()` removes the
 * file; its timer never keeps Jest's process alive.
 */
export class ProgressWatch {
  private readonly dir: string;
  private readonly file: string;
  private offset = 0;
  private partial = '';
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly view: ProgressView,
    private readonly write: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-progress-'));
    this.file = path.join(this.dir, 'progress.jsonl');
    fs.writeFileSync(this.file, '');
    process.env[PROGRESS_FILE_ENV] = this.file;
    this.timer = setInterval(() => this.poll(), PROGRESS_POLL_MS);
    this.timer.unref();
  }

  /** A test file's results are in: its progress is over. */
  fileDone(testPath: string): void {
    this.poll();
    this.view.forget(testPath);
  }

  /** Reads what was appended since the last poll and prints the lines that are due. */
  poll(): void {
    const now = this.now();
    for (const snapshot of this.readNew()) this.view.update(snapshot, now);
    for (const line of this.view.due(now)) this.write(`${line}\n`);
  }

  /** Ends live progress: the timer, the file and the variable go. */
  stop(): void {
    clearInterval(this.timer);
    if (process.env[PROGRESS_FILE_ENV] === this.file) delete process.env[PROGRESS_FILE_ENV];
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private readNew(): ProgressSnapshot[] {
    let chunk: Buffer;
    try {
      const fd = fs.openSync(this.file, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        chunk = Buffer.alloc(Math.max(0, size - this.offset));
        const read = fs.readSync(fd, chunk, 0, chunk.length, this.offset);
        this.offset += read;
        chunk = chunk.subarray(0, read);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return [];
    }
    const lines = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = lines.pop() ?? '';
    const snapshots: ProgressSnapshot[] = [];
    for (const line of lines) {
      try {
        snapshots.push(JSON.parse(line) as ProgressSnapshot);
      } catch {
        // A line that is not JSON is not ours to report.
      }
    }
    return snapshots;
  }
}
