/**
 * Escapes `text` so that it matches itself literally inside a JavaScript regular expression, as
 * Jest's `-t`/`--testNamePattern` builds one. Control characters become escapes (`\n`) so that the
 * command stays on one line.
 */
export function escapeRegExp(text: string): string {
  return text
    .replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
}

/** Characters that need no quoting in POSIX shells. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes `text` as one POSIX shell word. Safe words stay as they are; anything else is wrapped in
 * single quotes, with each embedded `'` written as `'\''`.
 */
export function shellQuote(text: string): string {
  if (SHELL_SAFE.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Turns a test file path (relative to `rootDir`) into a Jest path pattern. Jest treats the path as a
 * regular expression; `.` is left alone because it matches itself (and reads better), every other
 * metacharacter is escaped.
 */
export function escapePathPattern(relativePath: string): string {
  return relativePath.replace(/[\\^$*+?()[\]{}|]/g, '\\$&');
}

/** What `rerunCommand` needs to know about the test. */
export interface RerunTarget {
  readonly seed: number;
  /** The test file relative to `rootDir`, with `/` separators. */
  readonly relativePath: string;
  /** Jest's full test name: describe titles and the test title joined by spaces. */
  readonly fullName: string;
}

/**
 * The command that reruns exactly one test with the same seed, meant to be run from `rootDir`:
 * `MULTINODE_SEED=42 npx jest __tests__/kv.test.ts -t '^kv replicates a write$'`.
 * The name pattern is anchored so that a test whose name extends this one's is not selected as well.
 */
export function rerunCommand(target: RerunTarget): string {
  const namePattern = `^${escapeRegExp(target.fullName)}$`;
  return [
    `MULTINODE_SEED=${target.seed}`,
    'npx jest',
    shellQuote(escapePathPattern(target.relativePath)),
    '-t',
    `'${namePattern.replace(/'/g, `'\\''`)}'`,
  ].join(' ');
}
