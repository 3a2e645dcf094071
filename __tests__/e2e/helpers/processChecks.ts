import { spawnSync } from 'node:child_process';
import { descendantsOf } from '../../../examples/pods/postgres';

/** Process checks of the pods example's PostgreSQL tests. */

/** `pid` and every process below it. */
export function withDescendants(pid: number): number[] {
  return [pid, ...descendantsOf(spawnSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8' }).stdout, pid)];
}

/**
 * Those of `pids` that are still running. A killed process whose parent died is a zombie until
 * init reaps it; it runs nothing, so it does not count.
 */
export function living(pids: readonly number[]): number[] {
  const ps = spawnSync('ps', ['-A', '-o', 'pid=', '-o', 'stat='], { encoding: 'utf8' });
  const running = new Set(
    ps.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, stat]) => stat !== undefined && !stat.startsWith('Z'))
      .map(([pid]) => Number(pid)),
  );
  return pids.filter((pid) => running.has(pid));
}
