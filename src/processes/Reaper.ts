import { spawn, type ChildProcess } from 'node:child_process';
import { withDeadline, type Clock } from '../util';
import { PROCESS_SETTINGS } from './settings';

/**
 * The reaper's program, run with `node -e`: it reads `+<pgid>` and `-<pgid>` lines from its stdin
 * (register, unregister) and, when stdin closes, SIGKILLs every group still registered and exits.
 * Stdin is a pipe from the process that started it, and the kernel closes that pipe whatever way the
 * parent ends, SIGKILL included: that is the whole point. Kept as plain JavaScript text (not a
 * compiled module) so that it runs the same from the TypeScript sources and from the package, and
 * coverage instrumentation never reaches it.
 */
const REAPER_SOURCE = `
const groups = new Set();
let pending = '';
let reaped = false;
const reap = () => {
  if (reaped) return;
  reaped = true;
  for (const pgid of groups) { try { process.kill(-pgid, 'SIGKILL'); } catch {} }
  process.exit(0);
};
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let end;
  while ((end = pending.indexOf('\\n')) >= 0) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    const pgid = Number(line.slice(1));
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    if (line[0] === '+') groups.add(pgid); else if (line[0] === '-') groups.delete(pgid);
  }
});
process.stdin.on('end', reap);
process.stdin.on('close', reap);
process.stdin.on('error', reap);
process.on('SIGTERM', reap);
process.on('SIGHUP', () => {});
process.on('SIGINT', () => {});
`;

/**
 * A small separate process that kills every registered process group when the process that
 * started it ends, however it ends: this is how node processes never outlive a Jest worker that is
 * SIGKILLed (no `exit` handler runs then). One per launcher. It runs in its own process group, so a
 * Ctrl-C at the terminal does not kill it before it has done its work, and it never keeps the
 * parent's event loop alive.
 *
 * What remains: a group registered in the instant between `spawn` and the write of its line is
 * missed if the parent dies exactly then (the write is a small pipe write that completes at once).
 */
export class Reaper {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private closed = false;

  constructor(private readonly clock: Clock) {
    this.child = spawn(process.execPath, ['-e', REAPER_SOURCE], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    // A dead reaper (killed by someone) makes writes fail with EPIPE: the groups are then simply unguarded.
    this.child.stdin?.on('error', () => undefined);
    this.child.unref();
    (this.child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  }

  /** The reaper's pid (for tests that check it is gone). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Guards group `pgid`: it is SIGKILLed if the parent process dies before `unregister(pgid)`. */
  register(pgid: number): void {
    if (!this.closed) this.child.stdin?.write(`+${pgid}\n`);
  }

  /** Stops guarding group `pgid` (its processes are gone). */
  unregister(pgid: number): void {
    if (!this.closed) this.child.stdin?.write(`-${pgid}\n`);
  }

  /** Closes the pipe, so the reaper kills whatever is still registered and exits; resolves once it has. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.child.stdin?.end();
    }
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await withDeadline(this.clock, this.exited, PROCESS_SETTINGS.reaperExitMs, () => new Error(`The reaper process (pid ${this.child.pid}) did not exit within ${PROCESS_SETTINGS.reaperExitMs} ms of being told to.`)).catch((error: unknown) => {
      this.child.kill('SIGKILL');
      throw error;
    });
  }
}
