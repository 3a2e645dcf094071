import { InvalidActorNameError, InvalidActorPathError } from './errors';

/** Where user actors live: `system.spawn` creates children of this path. */
export const USER_ROOT = '/user';
/** Where runtime and extension actors live: `system.systemSpawn` creates children of this path. */
export const SYSTEM_ROOT = '/system';
/** Where the short-lived reply refs of `ask` live. */
export const TEMP_ROOT = '/temp';
/** The path of the dead-letters ref. */
export const DEAD_LETTERS_PATH = '/deadLetters';

const FORBIDDEN = /[/\s]/;

/** Throws `InvalidActorNameError` unless `name` is usable for `spawn` (non-empty, no `/` or spaces, no leading `$`). */
export function checkActorName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidActorNameError(String(name), 'names must be non-empty strings');
  if (FORBIDDEN.test(name)) throw new InvalidActorNameError(name, "names cannot contain '/' or whitespace");
  if (name.startsWith('$')) throw new InvalidActorNameError(name, "names starting with '$' are reserved for generated names");
}

/** Throws `InvalidActorPathError` unless `path` is absolute with non-empty segments, e.g. `/user/a/b`. */
export function checkActorPath(path: string): void {
  if (typeof path !== 'string' || !path.startsWith('/')) throw new InvalidActorPathError(String(path), "it must start with '/'");
  const segments = path.slice(1).split('/');
  if (segments.some((segment) => segment.length === 0)) throw new InvalidActorPathError(path, 'it has an empty segment');
  if (segments.some((segment) => /\s/.test(segment))) throw new InvalidActorPathError(path, 'it contains whitespace');
}

/** The child path of `parent` named `name`. */
export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** The last segment of `path`. */
export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A generated child name: `$a`, `$b`, ..., `$z`, `$10`, ... (base 36 from 10). */
export function generatedName(counter: number): string {
  return `$${(counter + 10).toString(36)}`;
}
