import type { Readable } from 'node:stream';
import type { Clock } from '../util';
import { LineSplitter } from './LineSplitter';
import { OutputRateCap } from './OutputRateCap';
import { PROCESS_SETTINGS } from './settings';

/** Which pipe a line came from; `'harness'` marks a line the harness adds about the process (output capped). */
export type OutputStream = 'stdout' | 'stderr' | 'harness';

/** One line of a process's output as the pump sees it. */
export interface OutputLine {
  readonly stream: OutputStream;
  readonly text: string;
  /** When it was read, on the pump's clock. */
  readonly atMs: number;
}

/** Options of `ProcessOutput`. */
export interface ProcessOutputOptions {
  readonly clock: Clock;
  /** Every line that passes the rate cap, and the harness's own notices. */
  readonly onLine: (line: OutputLine) => void;
  /** Called for every line read, capped or not (readiness by log line must not miss one). */
  readonly onEveryLine?: (text: string) => void;
  /** How the process is named in the harness's notices, e.g. `role 'a' (incarnation 0)`. */
  readonly label: string;
}

/**
 * Reads a process's stdout and stderr to the end, as lines. Memory stays bounded whatever the
 * process writes: lines are cut at `maxLineBytes`, the last `lastLines` are kept for error messages,
 * and past `outputBytesPerSecond` (after a `outputBurstBytes` burst) lines are dropped instead of
 * forwarded, saying so once, while the pipes keep being read so the process never blocks on them.
 */
export class ProcessOutput {
  private readonly recent: OutputLine[] = [];
  private readonly cap = new OutputRateCap(PROCESS_SETTINGS.outputBurstBytes, PROCESS_SETTINGS.outputBytesPerSecond);
  private droppedLines = 0;
  private droppedBytes = 0;

  constructor(
    private readonly options: ProcessOutputOptions,
    stdout: Readable,
    stderr: Readable,
  ) {
    this.read(stdout, 'stdout');
    this.read(stderr, 'stderr');
  }

  /** The last lines read (both streams, in order), oldest first. */
  lastLines(): readonly OutputLine[] {
    return [...this.recent];
  }

  /** How many lines (and bytes) the rate cap dropped. */
  get dropped(): { readonly lines: number; readonly bytes: number } {
    return { lines: this.droppedLines, bytes: this.droppedBytes };
  }

  /** Says how much was dropped, if anything; call once the process has exited and its pipes are read. */
  finish(): void {
    if (this.droppedLines === 0) return;
    this.notice(`${this.options.label} wrote ${this.droppedLines} more lines (${this.droppedBytes} bytes) than the log takes; they were dropped.`);
  }

  private read(stream: Readable, name: 'stdout' | 'stderr'): void {
    const splitter = new LineSplitter(PROCESS_SETTINGS.maxLineBytes);
    stream.on('data', (chunk: Buffer) => this.lines(splitter.push(chunk), name));
    stream.once('end', () => this.lines(splitter.end(), name));
    // A pipe destroyed after the exit (see LocalLauncher) ends the output; nothing to report.
    stream.on('error', () => undefined);
  }

  private lines(texts: readonly string[], stream: 'stdout' | 'stderr'): void {
    const { clock, onLine, onEveryLine } = this.options;
    for (const text of texts) {
      const line: OutputLine = { stream, text, atMs: clock.now() };
      this.recent.push(line);
      if (this.recent.length > PROCESS_SETTINGS.lastLines) this.recent.shift();
      onEveryLine?.(text);
      const bytes = Buffer.byteLength(text) + 1;
      if (this.cap.take(bytes, line.atMs)) {
        onLine(line);
        continue;
      }
      if (this.droppedLines === 0) {
        this.notice(
          `${this.options.label} writes output faster than ${PROCESS_SETTINGS.outputBytesPerSecond} bytes/s (after a burst of ${PROCESS_SETTINGS.outputBurstBytes} bytes); lines are dropped from the log while it does (the process keeps running).`,
        );
      }
      this.droppedLines += 1;
      this.droppedBytes += bytes;
    }
  }

  private notice(text: string): void {
    this.options.onLine({ stream: 'harness', text, atMs: this.options.clock.now() });
  }
}

/** Longer lines are shortened in error messages (the log has them whole, up to `maxLineBytes`). */
const MAX_SHOWN_CHARS = 400;

/** Last lines as they read in an error message: indented, with their stream, or a note that there were none. */
export function formatLastLines(lines: readonly OutputLine[]): string {
  if (lines.length === 0) return 'It wrote no output.';
  const shown = (text: string): string => (text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}…` : text);
  return `Its last output lines:\n${lines.map((line) => `  ${line.stream} | ${shown(line.text)}`).join('\n')}`;
}
