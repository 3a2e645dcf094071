import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

/** The compiled entry module of a node process (this folder's `nodeProcessMain.js`). */
export const NODE_PROCESS_MAIN = path.join(__dirname, 'nodeProcessMain.js');

/** What a launcher needs to start one node process. */
export interface NodeProcessSpec {
  readonly role: string;
  readonly incarnation: number;
  /** The entry module to run with Node (`NODE_PROCESS_MAIN` unless a test or launcher says otherwise). */
  readonly entryModule: string;
  /** Node options, e.g. `--max-old-space-size=1024`. */
  readonly execArgv: readonly string[];
  /** The whole environment of the process, control address and token included. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/**
 * Starts a node process and returns it; stdout and stderr must be pipes (the harness tags every
 * line with the role), stdin is not used. The seam for starting nodes elsewhere: anything that
 * returns a `ChildProcess`-shaped object and honours `kill('SIGKILL')` will do.
 */
export type NodeProcessLauncher = (spec: NodeProcessSpec) => ChildProcess;

/**
 * The default launcher: a direct child of this process, with the Node that runs the harness
 * (`process.execPath`), never a shell.
 */
export const spawnNodeProcess: NodeProcessLauncher = (spec) =>
  spawn(process.execPath, [...spec.execArgv, spec.entryModule], {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
