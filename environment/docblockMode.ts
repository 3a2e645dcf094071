/**
 * Whether a file's own docblock sets `multinode.mode`. Such a file is pinned to its mode:
 * `MULTINODE_MODE` does not override it (process-spec files, tests of thread-only behaviour).
 * Jest hands the environment the file's docblock pragmas; `@jest-environment-options` is JSON, and
 * Jest itself rejects a file whose options do not parse, so an unreadable value here pins nothing.
 */
export function modePinnedByDocblock(pragmas: Record<string, string | string[]> | undefined): boolean {
  const raw = pragmas?.['jest-environment-options'];
  const texts = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return texts.some((text) => {
    try {
      const options = JSON.parse(text) as { multinode?: { mode?: unknown } } | null;
      return options?.multinode?.mode !== undefined;
    } catch {
      return false;
    }
  });
}
