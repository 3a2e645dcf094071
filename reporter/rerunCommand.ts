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

/** What `rerunCommand` needs to know about the test and the run it failed in. */
export interface RerunTarget {
  readonly seed: number;
  /** The test file relative to its project's `rootDir`, with `/` separators. */
  readonly relativePath: string;
  /** Jest's full test name: describe titles and the test title joined by spaces. */
  readonly fullName: string;
  /** The mode to rerun in when `MULTINODE_MODE` chose it (a file's own mode needs no variable). */
  readonly mode?: string | null;
  /** The `--config` argument the run was given, if any, so that the rerun reads the same config. */
  readonly config?: string | null;
  /** In a run of several projects, the test's project's `displayName`, for `--selectProjects`. */
  readonly project?: string | null;
  /**
   * In a run of several projects where the test's project has no `displayName` (so that
   * `--selectProjects` cannot name it) and its own `rootDir`: the test file relative to the run's
   * `rootDir`, with `/` separators. The path pattern (`/` + that path + `$`) then matches the file's
   * absolute path, which the same relative path in another project (or `xpackages/...`) does not.
   */
  readonly runRelativePath?: string | null;
}

/**
 * The command that reruns exactly one test, in its project, with the same seed, meant to be run where
 * Jest was run: `MULTINODE_SEED=42 npx jest './__tests__/kv.test.ts$' -t '^kv replicates a write$'`.
 * The path pattern starts with `./`, which Jest anchors at the project's `rootDir`, and ends with `$`,
 * so no other file matches; the name pattern is anchored so that a test whose name extends this one's
 * is not selected as well. `--config` and `--selectProjects` come first when the run needs them.
 */
export function rerunCommand(target: RerunTarget): string {
  const namePattern = `^${escapeRegExp(target.fullName)}$`;
  const pathPattern = target.runRelativePath ? `/${escapePathPattern(target.runRelativePath)}$` : `./${escapePathPattern(target.relativePath)}$`;
  return [
    ...(target.mode ? [`MULTINODE_MODE=${target.mode}`] : []),
    `MULTINODE_SEED=${target.seed}`,
    'npx jest',
    ...(target.config ? ['--config', shellQuote(target.config)] : []),
    ...(target.project ? ['--selectProjects', shellQuote(target.project)] : []),
    shellQuote(pathPattern),
    '-t',
    `'${namePattern.replace(/'/g, `'\\''`)}'`,
  ].join(' ');
}
