import { describe, expect, it } from '@jest/globals';
import { firstAnomaly, isAnomaly } from '../../reporter/firstAnomaly';
import type { TraceEvent } from '../../src/harness/traceTypes';
import { FAILING_TRACE, FORMS, barrierEvent, error, faultEvent, logEvent, makeTest, makeTrace, messageEvent, passed, result } from './fixtures/traces';

const TEST = makeTest(['kv', 'replicates'], { a: passed(), b: passed(), c: result('failed', 50, [error('expected 1, got undefined')]) });
const on = (ms: number, role: string, lamport: number) => ({ time: TEST.startedAt + ms, role, test: TEST.id, lamport });
const end = (ms: number, role: string, lamport: number, status: 'passed' | 'failed'): TraceEvent => ({ ...on(ms, role, lamport), type: 'test-end', status });

describe('firstAnomaly', () => {
  it('names the first fault of the failing test in the fixture trace', () => {
    expect(firstAnomaly(FAILING_TRACE, FORMS, ['c'])).toEqual({ offsetMs: 3, role: 'a', kind: 'fault', text: 'partition a | c' });
  });

  it('is the earliest anomaly before the root cause ended the test, on any role', () => {
    const trace = makeTrace({
      tests: [TEST],
      events: [
        logEvent(on(1, 'a', 1), 'info', 'put k'),
        logEvent(on(2, 'c', 1), 'warn', "unhandled message 'put' from a"),
        logEvent(on(3, 'b', 1), 'error', 'later error'),
        end(4, 'c', 2, 'failed'),
      ],
    });
    expect(firstAnomaly(trace, TEST, ['c'])).toEqual({ offsetMs: 2, role: 'c', kind: 'warn', text: "unhandled message 'put' from a" });
  });

  it('looks no further than the root cause ending the test', () => {
    const trace = makeTrace({
      tests: [TEST],
      events: [end(1, 'c', 1, 'failed'), barrierEvent(on(2, 'a', 1), 'joined', 'failed'), logEvent(on(2, 'b', 1), 'error', 'consequence')],
    });
    expect(firstAnomaly(trace, TEST, ['c'])).toBeNull();
  });

  it("stops at the root cause's own failed barrier (its timeout is the failure itself), but not at another role's", () => {
    const trace = makeTrace({
      tests: [TEST],
      events: [barrierEvent(on(1, 'a', 1), 'meet', 'failed'), barrierEvent(on(2, 'c', 1), 'meet', 'failed'), logEvent(on(3, 'b', 1), 'warn', 'later')],
    });
    expect(firstAnomaly(trace, TEST, ['c'])?.text).toBe("leave 'meet' (failed)");
    expect(firstAnomaly(trace, TEST, ['a'])).toBeNull();
  });

  it('searches the whole test when the root cause never ended it (terminated)', () => {
    const trace = makeTrace({ tests: [TEST], events: [end(1, 'a', 1, 'passed'), faultEvent(on(2, 'a', 2), { kind: 'crash', role: 'c' })] });
    expect(firstAnomaly(trace, TEST, ['c'])?.text).toBe('crash c');
  });

  it('follows causal order: a receiver whose clock reads early does not jump ahead of the send it reacts to', () => {
    // b's clock is behind: its warn about the message reads 1 ms, a's drop of another message 2 ms.
    const trace = makeTrace({
      tests: [TEST],
      events: [
        messageEvent(on(1.5, 'a', 1), 'c', 1, { dropped: 'drop', receivedAt: null }),
        messageEvent(on(2, 'a', 2), 'b', 2, { receivedAt: TEST.startedAt + 0.5, receiveLamport: 2 }),
        logEvent(on(1, 'b', 3), 'warn', 'unexpected message'),
        end(5, 'c', 1, 'failed'),
      ],
    });
    expect(firstAnomaly(trace, TEST, ['c'])?.text).toBe('→ c #1 {"type":"gossip","seq":1} · dropped (drop)');
  });
});

describe('isAnomaly', () => {
  const base = on(1, 'a', 1);
  it.each<[string, boolean, TraceEvent]>([
    ['a dropped message', true, messageEvent(base, 'b', 1, { dropped: 'blackhole', receivedAt: null })],
    ['a delivered message', false, messageEvent(base, 'b', 1)],
    ['a partition', true, faultEvent(base, { kind: 'partition', sideA: ['a'], sideB: ['b'] })],
    ['a heal', false, faultEvent(base, { kind: 'heal' })],
    ['a failed barrier', true, barrierEvent(base, 'x', 'failed')],
    ['a passed barrier', false, barrierEvent(base, 'x', 'passed')],
    ['a crashed node', true, { ...base, type: 'node', event: 'crashed', incarnation: 1 }],
    ['a started node', false, { ...base, type: 'node', event: 'started', incarnation: 2 }],
    ['a warn log', true, logEvent(base, 'warn', 'w')],
    ['an error log', true, logEvent(base, 'error', 'e')],
    ['an info log', false, logEvent(base, 'info', 'i')],
  ])('%s is an anomaly: %p', (_name, expected, event) => {
    expect(isAnomaly(event)).toBe(expected);
  });
});
