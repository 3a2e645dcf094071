import { describe, expect, it } from '@jest/globals';
import { causalTimes } from '../../../reporter/html/causalTimes';
import type { TraceEvent } from '../../../src/harness/traceTypes';
import { logEvent, messageEvent, T0 } from '../fixtures/traces';

const base = (ms: number, role: string, lamport: number) => ({ time: T0 + ms, role, test: 't', lamport });

function message(ms: number, from: string, lamport: number, to: string, receivedMs: number | null, receiveLamport: number | null): TraceEvent {
  return { ...messageEvent(base(ms, from, lamport), to, lamport, { receivedAt: receivedMs === null ? null : T0 + receivedMs }), receiveLamport } as TraceEvent;
}

describe('causalTimes', () => {
  it('keeps the recorded times when they agree with causality', () => {
    const events = [logEvent(base(1, 'a', 1), 'info', 'x'), message(2, 'a', 2, 'b', 5, 3), logEvent(base(6, 'b', 4), 'info', 'y')];
    expect(causalTimes(events)).toEqual({ at: [T0 + 1, T0 + 2, T0 + 6], receivedAt: [null, T0 + 5, null] });
  });

  it('never draws a receive before its send, nor a later event of the receiver before that receive', () => {
    // b's clock reads 3 ms behind a's: the receive is recorded before the send.
    const events = [message(10, 'a', 5, 'b', 8, 6), logEvent(base(9, 'b', 7), 'info', 'after the receive')];
    const times = causalTimes(events);
    expect(times.receivedAt[0]).toBe(T0 + 10);
    expect(times.at[1]).toBe(T0 + 10);
  });

  it("keeps a role's own Lamport order and leaves unrelated roles alone", () => {
    const events = [logEvent(base(5, 'a', 2), 'info', 'second'), logEvent(base(4, 'a', 1), 'info', 'first'), logEvent(base(1, 'c', 9), 'info', 'concurrent')];
    expect(causalTimes(events).at).toEqual([T0 + 5, T0 + 4, T0 + 1]);
    const skewed = [logEvent(base(3, 'a', 1), 'info', 'first'), logEvent(base(2, 'a', 2), 'info', 'second')];
    expect(causalTimes(skewed).at).toEqual([T0 + 3, T0 + 3]);
  });

  it('places a receive without a Lamport clock after its send only', () => {
    const events = [message(10, 'a', 5, 'b', 4, null), logEvent(base(6, 'b', 1), 'info', 'b')];
    expect(causalTimes(events)).toEqual({ at: [T0 + 10, T0 + 6], receivedAt: [T0 + 10, null] });
  });
});
