import { serialize } from 'node:v8';
import { findUncloneable } from '../transport';
import { MultinodeError } from '../util';

/** A `gather` value that structured clone cannot copy. */
export class UncloneableGatherValueError extends MultinodeError {
  /** The first field that cannot be cloned, e.g. `value.handlers[0]`. */
  readonly path: string;

  constructor(name: string, path: string, reason: string) {
    super(
      'GATHER_VALUE_UNCLONEABLE',
      `gather('${name}') cannot send its value: ${path} is ${reason}, which structured clone cannot copy. ` +
        'Gather plain data (objects, arrays, strings, numbers, Map, Set, Date, typed arrays) instead.',
    );
    this.path = path;
  }
}

/**
 * A structured-clone copy of a role's `gather` value, taken when it is called (later changes to the
 * original are not sent), with its serialized size for the trace. Throws
 * `UncloneableGatherValueError` naming the first field that cannot be cloned.
 */
export function copyGatherValue(name: string, value: unknown): { readonly copy: unknown; readonly bytes: number } {
  let copy: unknown;
  try {
    copy = structuredClone(value);
  } catch (error) {
    const found = findUncloneable(value, 'value');
    throw new UncloneableGatherValueError(name, found?.path ?? 'value', found?.reason ?? `not cloneable (${error instanceof Error ? error.message : String(error)})`);
  }
  return { copy, bytes: serializedSize(copy) };
}

/**
 * The size in bytes of `value` in V8's serialization format (the one structured clone uses), or 0
 * for the rare value structured clone accepts but the serializer does not.
 */
export function serializedSize(value: unknown): number {
  try {
    return serialize(value).byteLength;
  } catch {
    return 0;
  }
}
