import { readFileSync, readdirSync } from 'node:fs';
import { sleep, type Clock } from '../util';
import { PROCESS_SETTINGS } from './settings';

/**
 * Sends `signal` to every process of the group `pgid` (a node and whatever it started). Returns
 * false when the group has no process left (ESRCH); other errors (EPERM) are thrown.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/**
 * Whether the group `pgid` still has a living process. Zombies do not count: a grandchild whose
 * parent died is reparented to PID 1, and in containers PID 1 often never reaps, so `kill(-pgid, 0)`
 * alone would call a dead group alive forever. On Linux /proc tells zombies apart; elsewhere
 * (macOS, where launchd reaps) the signal check is enough.
 */
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  return livingInGroup(pgid).length > 0;
}

/** The pids of the non-zombie processes of group `pgid`, from /proc (Linux only). */
export function livingInGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') pids.push(Number(entry));
  }
  return pids;
}

/**
 * Whether process `pid` is alive and not a zombie: `process.kill(pid, 0)`, and on Linux its state in
 * /proc. For tests and the reaper's checks; a pid can be reused, so use it right after the fact.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
  if (process.platform !== 'linux') return true;
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** The state letter, parent and process group of `pid` from /proc/<pid>/stat, or undefined when gone. */
export function procStat(pid: number): { state: string; ppid: number; pgrp: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces or parentheses itself.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]) };
}

/**
 * SIGKILLs the group `pgid` until no living process is left, checking every `groupPollMs`; resolves
 * true when it is gone, false when members are still alive after `timeoutMs` (a process stuck in
 * an uninterruptible kernel call). Repeats the signal, because a member can fork after the first one.
 */
export async function killGroupAndWait(pgid: number, clock: Clock, timeoutMs: number): Promise<boolean> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    if (!signalGroup(pgid, 'SIGKILL')) return true;
    if (!groupAlive(pgid)) return true;
    if (clock.now() >= deadline) return false;
    await sleep(clock, PROCESS_SETTINGS.groupPollMs);
  }
}
