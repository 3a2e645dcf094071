import { Worker, type MessagePort } from 'node:worker_threads';
import { type Clock, withDeadline } from '../util';
import type { PoolToThread, RoleThreadData, RoleWorkerData, ThreadToPool } from './protocol';

/** The heap of a role thread, in MiB. */
export interface RoleThreadLimits {
  /** The old generation's limit: past it the role is out of memory (the `roleMemoryMb` option). */
  readonly heapMb: number;
  /** The young generation's size. */
  readonly youngGenerationMb: number;
}

/** How one file's run on a role thread ended abnormally: the thread failed, or it exited. */
export type ThreadEnd = { readonly kind: 'error'; readonly error: Error } | { readonly kind: 'exit'; readonly code: number };

/**
 * One role thread: busy with a file, idle between files (then it does not keep the process alive), or
 * gone. Threads are kept by a `RoleThreadPool` and given one file at a time.
 */
export class RoleThread {
  private readonly worker: Worker;
  private state: 'busy' | 'idle' | 'gone' = 'busy';
  private fileEnded: ((end: ThreadEnd) => void) | null = null;
  /** The thread said its file is done (it may say so before the file's control port is seen closed). */
  private saidIdle = false;
  private idleWaiter: ((idle: boolean) => void) | null = null;
  /** How many files this thread was given, this one included. */
  files = 0;

  constructor(
    readonly script: string,
    readonly limits: RoleThreadLimits,
    private readonly onGone: (thread: RoleThread) => void,
  ) {
    const workerData: RoleThreadData = { kind: 'jest-environment-multinode/role-thread' };
    const resourceLimits = { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: limits.youngGenerationMb };
    this.worker = new Worker(script, { workerData, stdout: false, stderr: false, resourceLimits });
    this.worker.on('message', (message: ThreadToPool) => {
      if (message.type === 'idle') {
        this.saidIdle = true;
        this.idleWaiter?.(true);
      }
      else this.retire();
    });
    this.worker.on('error', (error) => this.fileEnded?.({ kind: 'error', error }));
    this.worker.on('exit', (code) => {
      this.fileEnded?.({ kind: 'exit', code });
      this.retire();
    });
  }

  /** Whether the thread can still take a file. */
  get alive(): boolean {
    return this.state !== 'gone';
  }

  /** Gives the thread a file; `onEnded` hears of the thread failing or exiting until `release`. */
  run(data: RoleWorkerData, transferList: readonly MessagePort[], onEnded: (end: ThreadEnd) => void): void {
    this.state = 'busy';
    this.saidIdle = false;
    this.files++;
    this.fileEnded = onEnded;
    this.worker.ref();
    const message: PoolToThread = { type: 'run-file', data };
    this.worker.postMessage(message, transferList);
  }

  /**
   * Waits, at most `timeoutMs`, for the thread to say its file is done and it can take another; it is
   * then idle and stops keeping the process alive. Resolves false (and the thread is ended) otherwise.
   */
  async settle(clock: Clock, timeoutMs: number): Promise<boolean> {
    this.fileEnded = null;
    if (this.state === 'gone') return false;
    const idle = this.saidIdle ? Promise.resolve(true) : new Promise<boolean>((resolve) => (this.idleWaiter = resolve));
    const settled = await withDeadline(clock, idle, timeoutMs, () => new Error('not idle')).catch(() => false);
    this.idleWaiter = null;
    if (!settled || !this.alive) {
      await this.terminate();
      return false;
    }
    this.state = 'idle';
    this.worker.unref();
    return true;
  }

  /** Ends the thread at once, even one stuck in a synchronous loop. */
  async terminate(): Promise<void> {
    this.retire();
    await this.worker.terminate();
  }

  private retire(): void {
    if (this.state === 'gone') return;
    this.state = 'gone';
    this.idleWaiter?.(false);
    this.onGone(this);
  }
}

/**
 * Role threads kept across the test files of one Jest worker. A file takes idle threads that run the
 * same script with the same heap limit and starts new ones for the rest; at its end, each thread that
 * shut down cleanly goes back idle (as many as the file's `keepIdle` allows), so the next file skips
 * the thread's boot and its loading of Jest. Idle threads are unref'd: they never keep Jest from
 * exiting, and `--detectOpenHandles` does not list them.
 */
export class RoleThreadPool {
  private readonly idle: RoleThread[] = [];

  /** An idle thread for `script` with the same heap `limits`, else a new one; `warm` says which. */
  acquire(script: string, limits: RoleThreadLimits): { readonly thread: RoleThread; readonly warm: boolean } {
    const same = (t: RoleThread): boolean => t.script === script && t.limits.heapMb === limits.heapMb && t.limits.youngGenerationMb === limits.youngGenerationMb;
    const at = this.idle.findIndex((t) => same(t) && t.alive);
    if (at >= 0) return { thread: this.idle.splice(at, 1)[0]!, warm: true };
    return { thread: new RoleThread(script, limits, (gone) => this.forget(gone)), warm: false };
  }

  /**
   * Takes `thread` back after its file: once it says it is idle (within `timeoutMs`) it waits for the
   * next file, unless `keepIdle` threads already do; otherwise it is ended.
   */
  async release(thread: RoleThread, options: { readonly clock: Clock; readonly timeoutMs: number; readonly keepIdle: number }): Promise<void> {
    if (this.idle.length >= options.keepIdle || !(await thread.settle(options.clock, options.timeoutMs))) {
      await thread.terminate();
      return;
    }
    if (this.idle.length >= options.keepIdle) await thread.terminate();
    else this.idle.push(thread);
  }

  /** How many threads wait for a file. */
  get idleCount(): number {
    return this.idle.length;
  }

  /** Ends every idle thread (tests of the pool; Jest's own exit needs no call). */
  async drain(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((t) => t.terminate()));
  }

  private forget(thread: RoleThread): void {
    const at = this.idle.indexOf(thread);
    if (at >= 0) this.idle.splice(at, 1);
  }
}
