import { createHook, executionAsyncResource } from 'node:async_hooks';
import path from 'node:path';
import { captureStack, creationSite, type CapturedStack } from './creationSite';

/**
 * The asynchronous resource types whose callback wakes a role outside the simulation's event queue,
 * with what they are called in a report. A real resource of one of these types that a role creates
 * runs its callback when the real world (the OS clock, the disk, the network, another thread) says
 * so, not when the seed says so.
 *
 * Not listed, on purpose:
 * - `PROMISE`, `Microtask`, `TickObject`: they run in the same event, while its microtasks and ticks
 *   drain; they are what every `await` makes.
 * - `WRITEWRAP`, `SHUTDOWNWRAP`, `SENDWRAP`, `TTYWRAP`: completions of writes (a `console.log` to a
 *   terminal or a pipe, a socket write); the write itself is the role's own doing and the completion
 *   does not change what it observes. The reads of those sockets are reported through their wraps.
 * - `DNSCHANNEL`, `TCPSERVERWRAP`/`PIPESERVERWRAP` listening, `SIGNALWRAP`, `ELDHISTOGRAM`, user
 *   `AsyncResource`s and any type not listed: a handle whose events arrive through a listed type
 *   (a server's connections are `TCPWRAP`s) or a wrapper around something else's callback.
 */
const WAKE_UP_KINDS: ReadonlyMap<string, string> = new Map([
  ['Timeout', 'a real timer'],
  ['Immediate', 'a real setImmediate'],
  ['FSREQCALLBACK', 'real file I/O'],
  ['FSREQPROMISE', 'real file I/O'],
  ['FILEHANDLE', 'real file I/O (a FileHandle)'],
  ['FILEHANDLECLOSEREQ', 'real file I/O (closing a FileHandle)'],
  ['FSEVENTWRAP', 'a real file watcher (fs.watch)'],
  ['STATWATCHER', 'a real file watcher (fs.watchFile)'],
  ['TCPWRAP', 'a real TCP socket'],
  ['TCPCONNECTWRAP', 'a real TCP connection'],
  ['PIPEWRAP', 'a real pipe or Unix socket'],
  ['PIPECONNECTWRAP', 'a real pipe or Unix socket connection'],
  ['UDPWRAP', 'a real UDP socket'],
  ['TLSWRAP', 'a real TLS connection'],
  ['HTTPINCOMINGMESSAGE', 'a real HTTP message'],
  ['HTTPCLIENTREQUEST', 'a real HTTP request'],
  ['GETADDRINFOREQWRAP', 'a real DNS lookup'],
  ['GETNAMEINFOREQWRAP', 'a real DNS lookup'],
  ['QUERYWRAP', 'a real DNS query'],
  ['PROCESSWRAP', 'a child process'],
  ['MESSAGEPORT', 'a worker thread message (MessagePort)'],
  ['WORKER', 'a worker thread'],
  ['ZLIB', 'real compression on the thread pool (zlib)'],
  ['RANDOMBYTESREQUEST', 'real crypto work on the thread pool'],
  ['PBKDF2REQUEST', 'real crypto work on the thread pool'],
  ['SCRYPTREQUEST', 'real crypto work on the thread pool'],
  ['KEYGENREQUEST', 'real crypto work on the thread pool'],
  ['HASHREQUEST', 'real crypto work on the thread pool'],
  ['CIPHERREQUEST', 'real crypto work on the thread pool'],
  ['SIGNREQUEST', 'real crypto work on the thread pool'],
  ['DERIVEBITSREQUEST', 'real crypto work on the thread pool'],
]);

/** The resource types reported by `watchWakeUps`, and how a report names each. */
export function wakeUpKinds(): ReadonlyMap<string, string> {
  return WAKE_UP_KINDS;
}

/** What `watchWakeUps` needs from the simulation. */
export interface WakeWatchOptions {
  /** The role whose event runs right now, or null. */
  currentRole(): string | null;
  /** Whether a simulated file is running (resources are tracked only then). */
  isSimulating(): boolean;
  /** Called once per flagged resource, when its first callback starts. */
  onWakeUp(role: string, what: string): void;
  /**
   * Called when a role creates a resource that will be flagged, with its creation's description; what
   * it returns is called when the resource's first callback starts (or the watch stops). The simulation
   * holds virtual time in between, so the wake-up is caught before a virtual timeout can pass.
   */
  onTracked?(role: string): () => void;
  /** When given, creation lines under it are shown relative to it, with `/` (as the trace shows paths). */
  rootDir?: string;
}

/** A running watch. */
export interface WakeWatch {
  /**
   * Runs `fn` as harness work: nothing it creates synchronously is tracked (the scheduler's own real
   * timer or channel, for example). Sections nest.
   */
  harness<T>(fn: () => T): T;
  /**
   * The role that created the flagged real resource whose callback runs right now, or null. It still
   * answers in a `process` 'uncaughtException' listener for an error thrown by that callback, so that
   * `ownProcessErrors` can be routed with `() => running ?? watch.roleOfCallback()`.
   */
  roleOfCallback(): string | null;
  /** Stops watching; pending tracked resources are not reported any more. */
  stop(): void;
}

interface Tracked {
  role: string;
  type: string;
  stack: CapturedStack;
  repeat: boolean;
}

/**
 * Watches, with `async_hooks`, for out-of-band wake-ups: a real asynchronous resource (see
 * `wakeUpKinds()`) created while a simulated role runs reports `onWakeUp(role, what)` when its
 * callback first runs, `what` naming the kind, the Node API and the first line of user code that
 * created it, for example `a real timer (timers/promises setTimeout) created at /app/x.test.ts:12:7`.
 * This catches what the module patches cannot reach (a binding taken before the patch).
 *
 * Cost: any `async_hooks` hook makes Node 20 run a hook for every promise (Node 20 has no
 * `trackPromises: false`); promises are dismissed on their type at once, yet an await-heavy loop
 * runs about twice as slowly (about 30 ns more per promise on this machine: 2M awaits took 230 ms
 * instead of 105). Stacks are captured only for the listed types, while a role runs.
 */
export function watchWakeUps(options: WakeWatchOptions): WakeWatch {
  const tracked = new WeakMap<object, Tracked>();
  // Ids of tracked resources not reported yet: a cheap first test in `before`, which also runs for
  // every promise callback.
  const unreported = new Map<number, () => void>();
  let harnessDepth = 0;
  let stopped = false;
  const hook = createHook({
    init(asyncId, type, _triggerId, resource) {
      if (harnessDepth > 0 || !WAKE_UP_KINDS.has(type) || !options.isSimulating()) return;
      const role = options.currentRole();
      if (role === null) return;
      const repeat = type === 'Timeout' && (resource as { _repeat?: unknown })._repeat != null;
      harnessDepth += 1;
      let settle: () => void;
      try {
        settle = options.onTracked?.(role) ?? (() => undefined);
      } finally {
        harnessDepth -= 1;
      }
      tracked.set(resource, { role, type, stack: captureStack(), repeat });
      unreported.set(asyncId, settle);
    },
    before(asyncId) {
      const settle = unreported.get(asyncId);
      if (settle === undefined) return;
      unreported.delete(asyncId);
      settle();
      const entry = tracked.get(executionAsyncResource());
      if (entry !== undefined) options.onWakeUp(entry.role, describe(entry, options.rootDir));
    },
  });
  hook.enable();
  return {
    harness<T>(fn: () => T): T {
      harnessDepth += 1;
      try {
        return fn();
      } finally {
        harnessDepth -= 1;
      }
    },
    roleOfCallback() {
      return tracked.get(executionAsyncResource())?.role ?? null;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      hook.disable();
      for (const settle of unreported.values()) settle();
      unreported.clear();
    },
  };
}

function describe(entry: Tracked, rootDir: string | undefined): string {
  const site = creationSite(entry.stack, __filename);
  const line = site.userLine === undefined || rootDir === undefined ? site.userLine : relativeLine(site.userLine, rootDir);
  const fallbackApi = entry.type === 'Timeout' ? (entry.repeat ? 'setInterval' : 'setTimeout') : undefined;
  const api = site.api ?? fallbackApi;
  const kind = WAKE_UP_KINDS.get(entry.type)!;
  const named = api === undefined || kind.endsWith(')') ? kind : `${kind} (${api})`;
  return `${named} created at ${line ?? 'an unknown place (no user code on the stack)'}`;
}

/** `/root/dir/a/b.ts:3:4` relative to `/root/dir` is `a/b.ts:3:4`; a line outside it stays as it is. */
function relativeLine(userLine: string, rootDir: string): string {
  const relative = path.relative(rootDir, userLine);
  return relative.startsWith('..') || path.isAbsolute(relative) ? userLine : relative.split(path.sep).join('/');
}
