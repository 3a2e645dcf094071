import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into text lines, holding at most `maxLineBytes` of an unfinished line: a
 * longer line is emitted cut (marked with `…[cut]`) and the rest of it, up to its newline, dropped.
 * UTF-8 characters split across chunks are joined; `\r\n` ends a line like `\n`.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private skipping = false;

  constructor(private readonly maxLineBytes: number) {}

  /** The complete lines in `chunk` (with the text held from earlier chunks). */
  push(chunk: Buffer | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const lines: string[] = [];
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      const piece = text.slice(start, end);
      start = end + 1;
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      lines.push(this.limit(stripCr(this.pending + piece)));
      this.pending = '';
    }
    if (!this.skipping) {
      this.pending += text.slice(start);
      // Characters are at most 4 bytes in UTF-8; the length check in UTF-16 units is a cheap bound.
      if (this.pending.length > this.maxLineBytes / 4 && Buffer.byteLength(this.pending) > this.maxLineBytes) {
        lines.push(this.limit(this.pending));
        this.pending = '';
        this.skipping = true;
      }
    }
    return lines;
  }

  /** The last line when the stream ends without a newline (none when it was being skipped or is empty). */
  end(): string[] {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    return this.skipping || rest === '' ? [] : [this.limit(stripCr(rest))];
  }

  private limit(line: string): string {
    if (line.length <= this.maxLineBytes / 4 || Buffer.byteLength(line) <= this.maxLineBytes) return line;
    return `${truncateBytes(line, this.maxLineBytes)}…[cut]`;
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function truncateBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text).subarray(0, maxBytes);
  // Drop a character cut in half at the end.
  return bytes.toString('utf8').replace(/\uFFFD$/, '');
}
