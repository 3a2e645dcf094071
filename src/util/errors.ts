import { types } from 'node:util';
/**
 * The base of every typed error in the project. Each error has a stable `code` so that callers and
 * tests can tell errors apart without matching on message text.
 */
export class MultinodeError extends Error {
  /** A stable, machine-readable code such as `BARRIER_TIMEOUT`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An error as data, for crossing a thread boundary (errors are never thrown across threads). */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  /** Enumerable extra fields (for example `role`, `consequence`), copied shallowly when cloneable. */
  fields?: Record<string, unknown>;
}

/** Turns anything thrown into a `SerializedError`. */
export function serializeError(value: unknown): SerializedError {
  if (value instanceof Error || (typeof value === 'object' && value !== null && 'message' in value)) {
    const error = value as Error & { code?: unknown };
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(error)) {
      if (key === 'message' || key === 'stack' || key === 'name') continue;
      const field = (error as unknown as Record<string, unknown>)[key];
      if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue;
      try {
        fields[key] = structuredClone(field);
      } catch {
        fields[key] = String(field);
      }
    }
    const name = typeof error.name === 'string' ? error.name : 'Error';
    return {
      name,
      message: messageOf(String(error.message ?? ''), typeof error.stack === 'string' ? error.stack : undefined, name),
      stack: typeof error.stack === 'string' ? error.stack : undefined,
      code: typeof error.code === 'string' ? error.code : undefined,
      fields,
    };
  }
  return { name: 'Error', message: `Non-error value thrown: ${describeValue(value)}` };
}

/**
 * An error's message; when it is empty (jest-circus leaves a failed hook's message empty and puts the
 * text in `stack`), the stack's lines before its first frame, without the `Name: ` prefix.
 */
function messageOf(message: string, stack: string | undefined, name: string): string {
  if (message !== '' || stack === undefined) return message;
  const head: string[] = [];
  for (const line of stack.split('\n')) {
    if (/^\s+at \S/.test(line)) break;
    head.push(line);
  }
  const text = head.join('\n').trim();
  return text.startsWith(`${name}: `) ? text.slice(name.length + 2) : text;
}

/** Rebuilds an `Error` from a `SerializedError`, keeping its stack and enumerable fields. */
export function deserializeError(data: SerializedError): Error {
  const error = new Error(data.message);
  error.name = data.name;
  if (data.stack !== undefined) error.stack = data.stack;
  if (data.code !== undefined) (error as Error & { code: string }).code = data.code;
  Object.assign(error, data.fields ?? {});
  return error;
}

/** A short, quoted rendering of a value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'symbol' || typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    // NaN and Infinity would print as null; keep them as they are, nested too.
    const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `\u0000${v}\u0000` : v))?.replace(/"\\u0000(-?\w+)\\u0000"/g, '$1');
    if (text === undefined) return String(value);
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
  } catch {
    return String(value);
  }
}

/**
 * `value` as an Error: itself when it is one, from any realm (a node loaded in a test's sandbox
 * throws the sandbox's Errors, which `instanceof Error` does not recognise), else a new Error.
 */
export function asError(value: unknown): Error {
  return types.isNativeError(value) || (typeof value === 'object' && value !== null && 'message' in value && 'stack' in value) ? (value as Error) : new Error(String(value));
}
