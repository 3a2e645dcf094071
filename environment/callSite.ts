/**
 * Where test code called into the harness: the whole stack for a failure's code frame, and the
 * caller's `path:line:column` for the trace of every barrier and gather.
 */

/**
 * Captures where the test code called into the harness (harness frames left out). V8 formats the
 * frames only when `stack` is read, so this is cheap until a failure needs it.
 */
export function captureCallSite(omit: Function): { stack?: string } {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, omit);
  return holder;
}

/** Gives an error that came from the conductor the stack of the caller's code, for Jest's code frame. */
export function atCallSite(error: unknown, callSite: { stack?: string }): unknown {
  const frames = (callSite.stack ?? '').split('\n').slice(1).join('\n');
  if (error instanceof Error) error.stack = `${error.name}: ${error.message}\n${frames}`;
  return error;
}

// The location of a stack frame line: `    at fn (/path/file.ts:12:5)` or `    at /path/file.ts:12:5`.
const FRAME_LOCATION = /^\s*at (?:.*? \()?(.+?:\d+:\d+)\)?$/;

/** Frames formatted for a site: the caller's, and a few more in case the first ones are not files. */
const SITE_FRAMES = 3;

/**
 * The call sites of one file's barriers and gathers, for the trace (where a role is blocked). The
 * formatted site goes through Jest's source maps, which costs tens of microseconds per call, so it is
 * kept by the caller's position in the running code: a barrier in a loop formats its site once.
 */
export class CallSites {
  private readonly formatted = new Map<string, string | null>();

  /** `{ site: 'path:line:column' }` of the frame that called `omit`; empty when unknown. */
  of(omit: Function): { site?: string } {
    const position = rawPosition(omit);
    let site = position === null ? undefined : this.formatted.get(position);
    if (site === undefined) {
      site = formattedSite(omit);
      if (position !== null) this.formatted.set(position, site);
    }
    return site === null ? {} : { site };
  }
}

/** The caller's position in the code as it runs (before source maps), without formatting a stack. */
function rawPosition(omit: Function): string | null {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  Error.prepareStackTrace = (_error, frames) => frames;
  Error.stackTraceLimit = SITE_FRAMES;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  try {
    Error.captureStackTrace(holder, omit);
    const frame = holder.stack?.find((f) => f.getFileName() !== undefined && f.getFileName() !== null);
    return frame === undefined ? null : `${frame.getFileName()}:${frame.getLineNumber()}:${frame.getColumnNumber()}`;
  } catch {
    return null;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

/** The caller's `path:line:column` as a stack shows it (through Jest's source maps), or null. */
function formattedSite(omit: Function): string | null {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = SITE_FRAMES;
  const holder: { stack?: string } = {};
  try {
    Error.captureStackTrace(holder, omit);
  } finally {
    Error.stackTraceLimit = limit;
  }
  const frame = (holder.stack ?? '').split('\n').find((line) => FRAME_LOCATION.test(line));
  return frame === undefined ? null : FRAME_LOCATION.exec(frame)![1]!;
}
