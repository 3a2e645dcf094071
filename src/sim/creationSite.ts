/**
 * Where an asynchronous resource was created: the first line of user code in a stack captured at its
 * creation, and the Node API it was created through (the last `node:` frame before that line).
 */

/** A captured, not yet formatted, stack (V8 formats `stack` on first read). */
export interface CapturedStack {
  readonly stack?: string;
}

/** Frames kept when capturing; Node's internals take up to ten frames above the user's call. */
const CAPTURE_FRAMES = 40;

/** Captures the current stack cheaply: V8 records the frames; the text is made only when read. */
export function captureStack(): CapturedStack {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = CAPTURE_FRAMES;
  Error.captureStackTrace(holder, captureStack);
  Error.stackTraceLimit = limit;
  return holder;
}

/** A resource's creation site, read from a captured stack. */
export interface CreationSite {
  /** The first frame of user code (no `node:` or node_modules frame, nor `ignoreFile`), as `file:line:column`. */
  userLine: string | undefined;
  /** The Node API called just before it, such as `fs.readFile` or `setTimeout`, when there is one. */
  api: string | undefined;
}

const FRAME = /^\s*at (?:(.*?) \()?(.*?)\)?$/;

/** Reads a captured stack; frames of `ignoreFile` (the watcher itself) are skipped. */
export function creationSite(captured: CapturedStack, ignoreFile: string): CreationSite {
  const lines = (captured.stack ?? '').split('\n').slice(1);
  let api: string | undefined;
  let fallback: string | undefined;
  for (const line of lines) {
    const match = FRAME.exec(line);
    if (match === null) continue;
    const [, fn, location = ''] = match;
    if (location.startsWith('node:')) {
      api = apiName(fn, location) ?? api;
      continue;
    }
    if (location.includes(ignoreFile) || location === '<anonymous>' || location === 'native') continue;
    if (/[\\/]node_modules[\\/]/.test(location)) {
      fallback ??= location;
      continue;
    }
    return { userLine: location, api };
  }
  return { userLine: fallback, api };
}

/** `Object.readFile` in `node:fs` gives `fs.readFile`; `setTimeout` in `node:timers` gives `setTimeout`. */
function apiName(fn: string | undefined, location: string): string | undefined {
  if (fn === undefined || fn === '' || fn.startsWith('new ')) return undefined;
  const name = fn.replace(/^(?:Object|Function|async|exports)\./, '').replace(/ \[as .*\]$/, '');
  const module = /^node:([a-z_/]+)/.exec(location)?.[1] ?? '';
  if (module === 'timers') return name;
  if (module === 'timers/promises') return `timers/promises ${name}`;
  if (module === 'internal/fs/promises') return `fs.promises.${name}`;
  if (module.startsWith('internal/')) return undefined;
  return `${module}.${name}`;
}
