/** `3.5 ms`, `12 ms`, `1.23 s`, `2 min 5 s`: a duration for people. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '? ms';
  if (Math.abs(ms) < 10) return `${ms.toFixed(1)} ms`;
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

/**
 * `later - earlier` in milliseconds, rounded to the microsecond: epoch times as doubles carry float
 * noise (80.10009765625) that no reader wants to see.
 */
export function offsetMs(later: number, earlier: number): number {
  return Math.round((later - earlier) * 1000) / 1000;
}

/** `+  12.3 ms`, `-   0.4 ms`: an offset from a start time, padded so that a column of them lines up. */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  return `${sign}${Math.abs(ms).toFixed(1).padStart(6)} ms`;
}

// Matches ANSI colour and cursor sequences, which Jest's matcher messages carry when colours are on.
const ANSI_PATTERN = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** `text` without ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

// A stack frame line, `    at fn (file.ts:1:2)`: Jest prints stacks already, the report does not repeat them.
const STACK_FRAME = /^\s+at \S/;

// A changed line of a Jest diff (`-   "line 15"`, `+   "the new line"`): what matters in a long message.
const DIFF_CHANGE = /^\s*[-+] /;

/** At most this many lines of a long diff's changes (with their context) are kept past `maxLines`. */
const MAX_CHANGE_LINES = 40;

/**
 * The first `maxLines` non-empty lines of `text` (ANSI codes and stack frames removed, trailing
 * spaces trimmed), each cut to `maxLength` characters, plus the changed lines of a diff further down
 * (with a line of context either side), so a long `toEqual` diff still shows what differs. Lines
 * left out are counted where they were.
 */
export function excerpt(text: string, maxLines: number, maxLength = 200): string[] {
  const lines = stripAnsi(text)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '' && !STACK_FRAME.test(line));
  const keep = new Set(lines.slice(0, maxLines).map((_line, index) => index));
  lines.forEach((line, index) => {
    if (index < maxLines || !DIFF_CHANGE.test(line) || keep.size >= maxLines + MAX_CHANGE_LINES) return;
    for (const near of [index - 1, index, index + 1]) if (near < lines.length) keep.add(near);
  });
  const shown: string[] = [];
  let leftOut = 0;
  const countLeftOut = (): void => {
    if (leftOut > 0) shown.push(`… ${leftOut} more ${leftOut === 1 ? 'line' : 'lines'}`);
    leftOut = 0;
  };
  lines.forEach((line, index) => {
    if (!keep.has(index)) {
      leftOut++;
      return;
    }
    countLeftOut();
    shown.push(line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line);
  });
  countLeftOut();
  return shown.length > 0 ? shown : ['(empty message)'];
}
