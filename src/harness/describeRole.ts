import type { Clock } from '../util';
import { firstLine } from './consequences';
import type { RoleSlot } from './RoleSlot';

/** What a missing role's description is made of. */
export interface RoleWhereabouts {
  readonly slot: RoleSlot;
  /** The barriers and gathers the role is waiting at now, as `barrier 'name'` or `gather 'name'`. */
  readonly waitingAt: readonly string[];
  /** Its last log line, if any. */
  readonly lastLog: { message: string; time: number } | null;
  readonly clock: Clock;
}

/**
 * Where a role is, for a barrier's timeout message: its state, the test it runs, the barriers it
 * waits at and how long ago it last logged, e.g. `was running "t", was waiting at barrier 'x',
 * last logged "joined" 2.1 s ago`.
 */
export function describeRole({ slot, waitingAt, lastLog, clock }: RoleWhereabouts): string {
  const parts: string[] = [];
  if (slot.status !== 'running') parts.push(`is ${slot.status}`);
  parts.push(slot.currentTest === null ? 'was between tests' : `was running "${slot.currentTest}"`);
  if (waitingAt.length > 0) parts.push(`was waiting at ${waitingAt.join(', ')}`);
  if (lastLog !== null) parts.push(`last logged "${firstLine(lastLog.message)}" ${((clock.now() - lastLog.time) / 1000).toFixed(1)} s ago`);
  else parts.push('has logged nothing');
  return parts.join(', ');
}
