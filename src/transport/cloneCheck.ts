import { types } from 'node:util';
import { MultinodeError } from '../util';

/** Thrown by `send` when a message cannot be structured-cloned. */
export class UncloneableMessageError extends MultinodeError {
  /** The path of the first field that cannot be cloned, e.g. `message.payload.callback`. */
  readonly path: string;

  constructor(to: string, path: string, reason: string) {
    super(
      'UNCLONEABLE_MESSAGE',
      `The message to '${to}' cannot be sent: ${path} is ${reason}, which structured clone cannot copy. ` +
        'Send plain data (objects, arrays, strings, numbers, Map, Set, Date, typed arrays) instead.',
    );
    this.path = path;
  }
}

/**
 * Finds the first value inside `value` that structured clone rejects and describes it, or returns
 * undefined when nothing obvious is found. Only called after a clone already failed, so it may be slow.
 */
export function findUncloneable(value: unknown, path = 'message', seen = new Set<unknown>()): { path: string; reason: string } | undefined {
  if (typeof value === 'function') return { path, reason: `a function (${value.name || 'anonymous'})` };
  if (typeof value === 'symbol') return { path, reason: `a symbol (${value.toString()})` };
  if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
  seen.add(value);
  // node:util type tests work across realms (Jest runs tests in a vm context), unlike instanceof.
  if (types.isMap(value)) {
    let i = 0;
    for (const [key, entry] of value) {
      const found = findUncloneable(key, `${path}.<key ${i}>`, seen) ?? findUncloneable(entry, `${path}.get(${safeKey(key)})`, seen);
      if (found) return found;
      i++;
    }
    return undefined;
  }
  if (types.isSet(value)) {
    let i = 0;
    for (const entry of value) {
      const found = findUncloneable(entry, `${path}.<entry ${i++}>`, seen);
      if (found) return found;
    }
    return undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUncloneable(value[i], `${path}[${i}]`, seen);
      if (found) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const found = findUncloneable((value as Record<string, unknown>)[key], `${path}.${key}`, seen);
    if (found) return found;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && !isCloneableBuiltin(value)) {
    // Class instances clone as plain objects (methods are lost), but host objects such as a Promise,
    // WeakMap or socket throw; their fields were fine, so the object itself is the culprit.
    try {
      structuredClone(value);
    } catch {
      const name = (proto as { constructor?: { name?: string } }).constructor?.name || 'host';
      return { path, reason: `a ${name} object` };
    }
  }
  return undefined;
}

function isCloneableBuiltin(value: object): boolean {
  return types.isDate(value) || types.isRegExp(value) || ArrayBuffer.isView(value) || types.isAnyArrayBuffer(value) || types.isNativeError(value);
}

function safeKey(key: unknown): string {
  return typeof key === 'string' ? JSON.stringify(key) : String(key);
}

/**
 * Clones `message` with structured clone, or throws `UncloneableMessageError` naming the field.
 * Use where a message must be copied at send time (delayed or in-memory delivery).
 */
export function cloneForSend(to: string, message: unknown): unknown {
  try {
    return structuredClone(message);
  } catch (error) {
    throw toUncloneableError(to, message, error);
  }
}

/** Converts a DataCloneError from `postMessage`/`structuredClone` into an `UncloneableMessageError`. */
export function toUncloneableError(to: string, message: unknown, cause: unknown): UncloneableMessageError {
  const found = findUncloneable(message);
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new UncloneableMessageError(to, found?.path ?? 'message', found?.reason ?? `not cloneable (${reason})`);
}
