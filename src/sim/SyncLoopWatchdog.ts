import { url as inspectorUrl } from 'node:inspector';
import { Worker } from 'node:worker_threads';

// Captured at load, before any virtual or fake timer can replace the global one.
const realSetInterval = setInterval;
const realClearInterval = clearInterval;

/** Slots of the shared state (Int32) the watchdog thread reads. */
const SEQUENCE = 0;
const ARMED = 1;
const OWNER = 2;
const SLOTS = 3;

/** How often the main thread marks that it is back in its event loop, and how often the watchdog looks. */
const TICK_MS = 50;

/** What the watchdog says and leaves behind when it ends the process. */
export interface SyncLoopWatchdogOptions {
  /** Real time one turn of a role's code may last, in milliseconds. */
  readonly limitMs: number;
  /** The roles, in the order `enter` numbers them. */
  readonly roles: readonly string[];
  /** The test file, as the message names it (relative to rootDir). */
  readonly testPath: string;
  /**
   * Where to write the file's trace with the stuck role's error (so the reporter names it), and
   * the trace to write there without that error; null without a report directory.
   */
  readonly trace: { readonly file: string; readonly content: { readonly roleErrors: readonly unknown[] } } | null;
}

/**
 * The watchdog thread. Every `TICK_MS` it compares the shared sequence with the one it saw: the
 * main thread bumps it when a role's code starts (`enter`) and again each time it is back in its
 * event loop. A sequence that stays put while armed for `limitMs` is a turn that never ended.
 * Nothing can stop JavaScript in the main thread safely (V8's termination there leaves Node's async
 * context stack unbalanced, and Node aborts), so it says which role was stuck, on stderr and in the
 * file's trace, and ends the process: Jest reports the file as failed and goes on with the next
 * file in a new worker (when Jest runs the tests in band, Jest itself ends). Kept as source text: a
 * worker cannot load this TypeScript module.
 */
const WATCHDOG_SOURCE = `
const fs = require('node:fs');
const path = require('node:path');
const { workerData } = require('node:worker_threads');
const { shared, sharedTime, limitMs, roles, testPath, trace, inBand } = workerData;
const state = new Int32Array(shared);
const time = new Float64Array(sharedTime);
let seen = -1;
let since = Date.now();
setInterval(() => {
  const sequence = Atomics.load(state, ${SEQUENCE});
  if (sequence !== seen || Atomics.load(state, ${ARMED}) === 0) {
    seen = sequence;
    since = Date.now();
    return;
  }
  const stuckMs = Date.now() - since;
  if (stuckMs < limitMs) return;
  const index = Atomics.load(state, ${OWNER});
  const role = index >= 0 ? roles[index] : roles[0];
  const message =
    (index >= 0 ? "Role '" + role + "'" : "The simulation's own code") + ' ran for ' + stuckMs + ' ms of real time without a pause (the limit is the test timeout, ' + limitMs + ' ms): ' +
    'is it stuck in a synchronous loop? In simulation mode every role runs in one thread, where nothing can stop a loop, so ' +
    (inBand ? 'Jest itself, which runs the tests in its own process (in band), is ended.' : 'this Jest worker process is ended and ' + testPath + ' fails; Jest goes on with the other files.');
  try {
    fs.writeSync(2, '\\n[multinode] ' + message + '\\n');
    if (trace !== null) {
      const error = { name: 'StuckRoleError', message, code: 'SIMULATION_STUCK' };
      fs.mkdirSync(path.dirname(trace.file), { recursive: true });
      fs.writeFileSync(trace.file, JSON.stringify({ ...trace.content, roleErrors: [...trace.content.roleErrors, { role, time: time[0], error }] }));
    }
  } finally {
    process.kill(process.pid, 'SIGKILL');
  }
}, ${TICK_MS});
`;

/**
 * Ends a Jest worker whose simulated role is stuck in a synchronous loop, instead of letting it hang
 * forever. In simulation mode every role runs in the Jest worker's thread, so `while (true) {}` in
 * one role stalls every role and Jest itself. `enter` marks that a role's code starts to run; the
 * main thread marks each return to its event loop; when one role's turn has lasted `limitMs` of real
 * time, a second thread reports the role (stderr, and the file's trace for the reporter) and ends the
 * process (see `WATCHDOG_SOURCE`).
 *
 * Not started (`start` returns undefined) while an inspector is open: a debugger paused at a
 * breakpoint looks exactly like a stuck turn.
 */
export class SyncLoopWatchdog {
  private readonly state = new Int32Array(new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT));
  /** The virtual time the running role's code started at, for the error's time. */
  private readonly time = new Float64Array(new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT));
  private readonly worker: Worker;
  private readonly ticker: ReturnType<typeof setInterval>;
  /** Each role's number in the shared state (the harness's own code has none: -1). */
  private readonly roleIndex: ReadonlyMap<string, number>;

  private constructor(options: SyncLoopWatchdogOptions) {
    this.roleIndex = new Map(options.roles.map((role, index) => [role, index]));
    this.worker = new Worker(WATCHDOG_SOURCE, {
      eval: true,
      workerData: {
        shared: this.state.buffer,
        sharedTime: this.time.buffer,
        // A Jest worker process talks to Jest over IPC; Jest running the tests in band does not.
        inBand: typeof process.send !== 'function',
        limitMs: options.limitMs,
        roles: options.roles,
        testPath: options.testPath,
        trace: options.trace,
      },
    });
    this.worker.unref();
    // Back in the event loop: whatever ran last has finished its turn.
    this.ticker = realSetInterval(() => this.idle(), TICK_MS);
    this.ticker.unref();
  }

  /** A running watchdog, or undefined while an inspector is open (see the class comment). */
  static start(options: SyncLoopWatchdogOptions): SyncLoopWatchdog | undefined {
    if (inspectorUrl() !== undefined) return undefined;
    return new SyncLoopWatchdog(options);
  }

  /** `owner`'s code (a role's, or the harness's) starts to run, at virtual time `nowMs`. */
  enter(owner: string, nowMs: number): void {
    this.time[0] = nowMs;
    Atomics.store(this.state, OWNER, this.roleIndex.get(owner) ?? -1);
    Atomics.store(this.state, ARMED, 1);
    Atomics.add(this.state, SEQUENCE, 1);
  }

  /** Ends the watchdog thread. */
  stop(): void {
    realClearInterval(this.ticker);
    void this.worker.terminate();
  }

  private idle(): void {
    Atomics.store(this.state, ARMED, 0);
    Atomics.add(this.state, SEQUENCE, 1);
  }
}
