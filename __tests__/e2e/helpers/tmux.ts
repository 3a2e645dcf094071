import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { shellQuote } from '../../../reporter/rerunCommand';
import * as path from 'node:path';
import { ensureAptPackage } from './aptPackage';

/**
 * Makes sure tmux is installed, installing it with apt-get as a CI job would when it is missing and
 * this user may. Returns null when tmux is there, else why it could not be had (the caller skips).
 */
export function ensureTmux(): string | null {
  return ensureAptPackage('tmux', () => spawnSync('tmux', ['-V']).status === 0);
}

/**
 * One command in a detached tmux session on a private server (its own socket, so other tmux users
 * are not touched), with a terminal of its own: what an interactive program like `jest --watch`
 * needs. Everything the pane prints is appended to a log file, so output that the program clears
 * from the screen is still there to read.
 */
export class TmuxSession {
  private readonly socket: string;
  private readonly logFile: string;
  private readonly statusFile: string;

  private constructor(private readonly dir: string) {
    this.socket = path.join(dir, 'tmux.sock');
    this.logFile = path.join(dir, 'pane.log');
    this.statusFile = path.join(dir, 'exit-status');
  }

  /**
   * Starts `command` (argv words) in `cwd` with `env` added. The command waits for a first Enter
   * before it starts, so that the log is attached before it prints anything; its exit status is
   * written to a file (tmux's own `pane_dead_status` is not always filled in). `dir` holds the
   * socket, the log and that file.
   */
  static start(dir: string, cwd: string, command: readonly string[], env: Record<string, string>, unset: readonly string[]): TmuxSession {
    const session = new TmuxSession(dir);
    const words = ['env', ...unset.flatMap((name) => ['-u', name]), ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...command];
    const script = `read _ && ${words.map(shellQuote).join(' ')}; echo $? > ${shellQuote(session.statusFile)}`;
    session.tmux('new-session', '-d', '-s', 'main', '-x', '160', '-y', '50', '-c', cwd, `sh -c ${shellQuote(script)}`);
    fs.writeFileSync(session.logFile, '');
    session.tmux('pipe-pane', '-t', 'main', '-o', `cat >> ${shellQuote(session.logFile)}`);
    session.tmux('send-keys', '-t', 'main', 'Enter');
    return session;
  }

  /** Everything the pane printed so far. */
  output(): string {
    return fs.readFileSync(this.logFile, 'utf8');
  }

  /** Types `keys` into the pane (tmux key names, e.g. 'q' or 'Enter'). */
  sendKeys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  /** The exit status of the command once it has exited (128 + the signal when a signal ended it), else null. */
  exitStatus(): number | null {
    const text = fs.existsSync(this.statusFile) ? fs.readFileSync(this.statusFile, 'utf8').trim() : '';
    return text === '' ? null : Number(text);
  }

  /** Waits until `condition` holds, checking every 100 ms; fails naming `what` (and the output's end) after `timeoutMs`. */
  async waitFor(what: string, timeoutMs: number, condition: () => boolean): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. The pane printed:\n${this.output().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Ends the tmux server and everything still running in it. */
  kill(): void {
    spawnSync('tmux', ['-S', this.socket, 'kill-server']);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8', cwd: this.dir });
  }
}
