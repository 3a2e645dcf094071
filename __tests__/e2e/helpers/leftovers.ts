import * as fs from 'node:fs';

/**
 * The processes (pid and command line) whose working directory is `dir` or below it: after a Jest
 * run on a fixture project has exited, none of its node processes, proxies' owners or reapers may
 * remain. Linux (/proc); elsewhere it finds nothing.
 */
export function processesUnder(dir: string): string[] {
  if (!fs.existsSync('/proc/self/cwd')) return [];
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      if (cwd !== dir && !cwd.startsWith(`${dir}/`)) continue;
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push(`${pid} ${args.slice(0, 200)}`);
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}
