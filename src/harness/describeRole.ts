import type { Clock } from '../util';
import { firstLine } from './consequences';
import type { RoleSlot } from './RoleSlot';
import type { RoleActivity } from './TraceCollector';
import type { TraceEvent } from './traceTypes';

/** What a missing role's description is made of. */
export interface RoleWhereabouts {
  readonly slot: RoleSlot;
  /** The barriers and gathers the role is waiting at now, as `barrier 'name'` or `gather 'name'`. */
  readonly waitingAt: readonly string[];
  /** What the lead has seen the role do lately. */
  readonly activity: RoleActivity;
  readonly clock: Clock;
}

/**
 * Where a role is, for a barrier's timeout message: its state, the test it runs, the barriers it
 * waits at (with the line that called the one it entered last, and for how long), when it last did
 * anything, and its last log lines, e.g. `was running "t", was waiting at barrier 'x'
 * (kv.test.ts:14:11) for 2.1 s, last logged "joined" 2.1 s ago (before that "started" 3.0 s ago)`.
 */
export function describeRole({ slot, waitingAt, activity, clock }: RoleWhereabouts): string {
  const ago = (time: number): string => `${((clock.now() - time) / 1000).toFixed(1)} s`;
  const parts: string[] = [];
  if (slot.status !== 'running') parts.push(`is ${slot.status}`);
  parts.push(slot.currentTest === null ? 'was between tests' : `was running "${slot.currentTest}"`);
  if (waitingAt.length > 0) {
    const open = activity.openBarrier;
    const at = waitingAt.map((label) =>
      open !== null && label.endsWith(` '${open.name}'`) ? `${label}${open.site === null ? '' : ` (${open.site})`} for ${ago(open.time)}` : label,
    );
    parts.push(`was waiting at ${at.join(', ')}`);
  }
  // When the last thing a role did was to log, its last log line says it.
  const { lastEvent } = activity;
  if (lastEvent !== null && lastEvent.type !== 'log') parts.push(`last did something ${ago(lastEvent.time)} ago (${whatItDid(lastEvent)})`);
  const lastLog = activity.lastLogs.at(-1);
  if (lastLog === undefined) {
    parts.push('has logged nothing');
  } else {
    const earlier = activity.lastLogs.slice(0, -1).reverse();
    const before = earlier.length === 0 ? '' : ` (before that ${earlier.map((log) => `"${firstLine(log.message)}" ${ago(log.time)} ago`).join(', ')})`;
    parts.push(`last logged "${firstLine(lastLog.message)}" ${ago(lastLog.time)} ago${before}`);
  }
  return parts.join(', ');
}

/** A role's event in a few words: `entered barrier 'x'`, `logged "…"`, `ended the test (failed)`. */
function whatItDid(event: TraceEvent): string {
  switch (event.type) {
    case 'log':
      return `logged "${firstLine(event.message)}"`;
    case 'barrier-enter':
      return `entered ${event.gather === undefined ? 'barrier' : 'gather'} '${event.name}'`;
    case 'barrier-leave':
      return `left ${event.gather === undefined ? 'barrier' : 'gather'} '${event.name}'${event.outcome === 'failed' ? ' (failed)' : ''}`;
    case 'fault':
      return `asked for a ${event.fault.kind}`;
    case 'test-start':
      return 'started the test';
    case 'test-end':
      return `ended the test (${event.status})`;
    case 'node':
      return `its node ${event.event}`;
    case 'message':
      return `sent a message to ${event.to}`;
  }
}
