import type { ConsoleMethod, TraceEvent } from '../src/harness';

/**
 * Jest's console of the lead's test file, as Jest hands it to the environment: a `BufferedConsole`
 * (its buffer becomes the file result's `console`, which the default reporter prints and `--json`,
 * IDEs and jest-junit read) or, in verbose runs, a `CustomConsole` that prints at once and buffers
 * too. Their internal `_log(type, message)` / `_logError(type, message)` are what Jest's own
 * `freezeConsole` replaces at the end of a file, so they are a stable seam.
 */
type JestConsole = Partial<Record<'_log' | '_logError' | ConsoleMethod, (...args: unknown[]) => void>>;

/**
 * Puts the `console.*` lines of the other roles into the lead's Jest console, tagged with their role
 * (`[b] text`), with their level and the role's own call site, so that Jest treats them as lines of
 * the file's test: the default reporter and IDEs show them, `--json` lists them, and `--silent` hides
 * them (under `--silent` do not create one: Jest's silent console prints through `_log`).
 *
 * Only console lines are forwarded, not `ctx.log` lines: Jest users expect the console output of
 * their test and node code, as plain Jest shows it, and the lead's own `ctx.log` lines never reach
 * Jest's console either; the harness log (every line, every role) is the trace and the reporter's
 * timeline.
 */
export class RoleConsole {
  private open = true;
  private readonly target: JestConsole;

  /** `jestConsole` is the lead's `this.global.console` as Jest set it, before the environment wraps it. */
  constructor(
    jestConsole: Console,
    private readonly lead: string,
  ) {
    this.target = jestConsole as unknown as JestConsole;
  }

  /** Takes one trace event as it reaches the lead; writes it when it is another role's console line. */
  readonly forward = (event: TraceEvent): void => {
    if (!this.open || event.type !== 'log' || event.console === undefined || event.role === this.lead) return;
    const { method, origin } = event.console;
    writeWithOrigin(this.target, method, `[${event.role}] ${event.message}`, origin);
  };

  /**
   * Stops forwarding. Call it when the lead's file is over: Jest freezes its console then, and a line
   * written after that fails the run ("Cannot log after tests are done"); late lines stay in the trace.
   */
  close(): void {
    this.open = false;
  }
}

/** How many frames of a role's console call travel to the lead (and stay in the trace). */
const ORIGIN_FRAMES = 10;

/**
 * The stack of the code that called `fn`, one frame a line, as Jest's consoles record a call's
 * origin (without the `Error` header line), cut to its first `ORIGIN_FRAMES` frames: Jest shows the
 * first frame of a log line and the stack of a warning or error, and every line goes into the trace.
 */
export function callerStack(fn: (...args: never[]) => unknown): string {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, fn);
  return (holder.stack ?? '').split('\n').slice(1, 1 + ORIGIN_FRAMES).join('\n');
}

/**
 * Writes one line through Jest's console with `origin` as its call site. Jest's consoles read the
 * call site from a stack they take inside `_log`, a fixed number of frames below the console
 * method's caller; while this writes, the frames below `writeWithOrigin` are replaced by the role's
 * own, so Jest shows (and IDEs link) the line in the role's copy of the file.
 */
function writeWithOrigin(target: JestConsole, method: ConsoleMethod, message: string, origin: string): void {
  const sink = (method === 'warn' || method === 'error') && typeof target._logError === 'function' ? target._logError : target._log;
  if (typeof sink !== 'function') {
    target[method]?.(message);
    return;
  }
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, sites) => {
    const own = sites.findIndex((site) => site.getFunctionName() === writeWithOrigin.name);
    if (own < 0 || origin === '') return saved === undefined ? defaultStack(error, sites) : saved(error, sites);
    return [String(error), ...sites.slice(0, own + 1).map((site) => `    at ${site}`), origin].join('\n');
  };
  try {
    sink.call(target, method, message);
  } finally {
    Error.prepareStackTrace = saved;
  }
}

function defaultStack(error: Error, sites: NodeJS.CallSite[]): string {
  return [String(error), ...sites.map((site) => `    at ${site}`)].join('\n');
}
