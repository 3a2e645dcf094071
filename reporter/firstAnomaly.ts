import type { FileTrace, TestTrace, TraceEvent } from '../src/harness';
import { testOrder } from './causalOrder';
import { offsetMs } from './format';
import type { FirstAnomaly } from './model';
import { describeEvent } from './timeline';

/**
 * The first thing that went wrong in a failed test before its root cause failed: the first anomalous
 * event in the test's causal timeline (see `isAnomaly`) that comes before the first root-cause role
 * ended the test or failed at a barrier. A role that never ended the test (terminated, no result) lets the search run to
 * the end of the trace. Null when the trace holds no anomaly there.
 */
export function firstAnomaly(trace: FileTrace, test: TestTrace, rootCauses: readonly string[]): FirstAnomaly | null {
  for (const entry of testOrder(trace, test).entries) {
    if (entry.kind !== 'event') continue;
    const event = entry.event;
    // A root cause ending the test, or failing at a barrier (its timeout), is the failure itself.
    if (rootCauses.includes(event.role) && (event.type === 'test-end' || (event.type === 'barrier-leave' && event.outcome === 'failed'))) return null;
    if (isAnomaly(event)) {
      return { offsetMs: offsetMs(event.time, test.startedAt), role: event.role, ...describeEvent(event) };
    }
  }
  return null;
}

/**
 * Whether an event is a sign of trouble worth naming first: a dropped message, a fault (other than
 * a heal), a barrier or gather that failed (a timeout, or a role that broke it), a crashed node, or
 * a log line at `error` or `warn`.
 */
export function isAnomaly(event: TraceEvent): boolean {
  switch (event.type) {
    case 'message':
      return event.dropped !== null;
    case 'fault':
      return event.fault.kind !== 'heal';
    case 'barrier-leave':
      return event.outcome === 'failed';
    case 'node':
      return event.event === 'crashed';
    case 'log':
      return event.level === 'error' || event.level === 'warn';
    default:
      return false;
  }
}
