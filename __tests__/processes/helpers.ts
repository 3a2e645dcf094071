import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LocalLauncher, processAlive, groupAlive, type LaunchRequest, type LaunchedProcess } from '../../src/processes';
import { procStat } from '../../src/processes/processGroup';

/** The fixture program, as a process spec command. */
export const FIXTURE = join(__dirname, 'fixtures', 'node.js');

/** Waits in real time until `condition()` holds, checking every 10 ms; fails naming `what` after `timeoutMs`. */
export async function until(condition: () => boolean, what: string | (() => string), timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A LocalLauncher that remembers every process group it started, to check that none is left. */
export class TrackedLauncher extends LocalLauncher {
  readonly groups: number[] = [];

  launch(request: LaunchRequest): LaunchedProcess {
    const launched = super.launch(request);
    if (launched.pid !== undefined) this.groups.push(launched.pid);
    return launched;
  }

  /** Closes the launcher, then lists what is still alive: group members, the reaper, children of this process. */
  async closeAndListLeftovers(): Promise<string[]> {
    await this.close();
    const left = this.groups.filter((pgid) => groupAlive(pgid)).map((pgid) => `group ${pgid}`);
    const reaper = this.reaperPid;
    if (reaper !== undefined && processAlive(reaper)) left.push(`reaper ${reaper}`);
    return [...left, ...livingChildren(process.pid).map((pid) => `child ${pid}`)];
  }
}

/** The non-zombie child processes of `parent` (Linux /proc). */
export function livingChildren(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat !== undefined && stat.ppid === parent && stat.state !== 'Z' && stat.state !== 'X') children.push(Number(entry));
  }
  return children;
}
