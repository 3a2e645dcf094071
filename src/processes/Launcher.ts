import type { Readable } from 'node:stream';

/** How a launched process ended: its exit code, or the signal that ended it, or why it never started. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the program could not be started at all (no such file, not executable). */
  readonly spawnError?: Error;
}

/** One program to run: what `NodeProcess` and `runSetup` ask a launcher for. */
export interface LaunchRequest {
  /** Program and arguments, `'node'` already resolved. */
  readonly command: readonly string[];
  readonly cwd: string;
  /** The complete environment of the process (nothing is inherited on top of it). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Who it is, for messages: e.g. `role 'a' (incarnation 1)` or `setup`. */
  readonly label: string;
}

/** A running (or ended) process, with its whole process group. */
export interface LaunchedProcess {
  /** Its pid (also its process group id), undefined when it could not be started. */
  readonly pid: number | undefined;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Settles once the process has exited and its stdout and stderr are fully read; never rejects. */
  readonly exited: Promise<ExitStatus>;
  /** Sends `signal` to the whole process group; a no-op once the group is gone. */
  signal(signal: NodeJS.Signals): void;
  /**
   * SIGKILLs the whole process group (the process and everything it started) and resolves when
   * its leader has exited and no other member is alive; rejects with `ProcessGroupStuckError`
   * when a member survives `timeoutMs`.
   */
  kill(timeoutMs: number): Promise<void>;
}

/**
 * Where node processes run: the seam between the harness and a place to run programs. The default
 * `LocalLauncher` starts child processes on this machine; a launcher for Kubernetes (a Job per role)
 * or Testcontainers would implement the same two calls, plus its own way to give each node an
 * address the harness and the proxies can reach (see docs/scale-out.md).
 */
export interface Launcher {
  /** Starts one process; never throws for a program that cannot start (see `ExitStatus.spawnError`). */
  launch(request: LaunchRequest): LaunchedProcess;
  /** Kills every process still running from this launcher (SIGKILL of each group) and releases what it holds. Idempotent. */
  close(): Promise<void>;
}
