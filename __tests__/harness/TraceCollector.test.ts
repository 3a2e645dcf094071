import { describe, expect, it } from '@jest/globals';
import type { RawTraceEvent } from '../../src/harness/TraceBuffer';
import { TraceCollector } from '../../src/harness/TraceCollector';
import { recv, send } from './helpers';
import type { TraceEvent } from '../../src/harness/traceTypes';

const HEADER = { testPath: 'x.test.ts', roles: ['a', 'b', 'c'], seed: 42, mode: 'threads' as const, modeFromEnv: false, startedAt: 1_000 };

const log = (role: string, time: number, lamport: number, message: string): RawTraceEvent => ({
  type: 'log',
  time,
  role,
  lamport,
  test: null,
  level: 'info',
  message,
});

describe('TraceCollector', () => {
  const messagesOf = (events: readonly TraceEvent[]): Array<Extract<TraceEvent, { type: 'message' }>> =>
    events.filter((e): e is Extract<TraceEvent, { type: 'message' }> => e.type === 'message');

  it('shows every event but message halves to its listener as it arrives', () => {
    const seen: TraceEvent[] = [];
    const collector = new TraceCollector(HEADER, (event) => seen.push(event));
    collector.add([log('b', 100, 1, 'one'), send('b', 1, 101, 2, { to: 'a' }), recv('a', 'b', 1, 102, 3), log('a', 103, 4, 'two')]);
    expect(seen.map((e) => e.type === 'log' && `${e.role}: ${e.message}`)).toEqual(['b: one', 'a: two']);
  });

  it('pairs the send and receive halves of a message by sender and sequence number', () => {
    const collector = new TraceCollector(HEADER);
    collector.add([send('a', 1, 100, 1, { to: 'b', preview: 'hello', delayMs: 20 })]);
    collector.add([recv('b', 'a', 1, 125, 4)]);
    const trace = collector.build(2_000);
    expect(messagesOf(trace.events)).toEqual([
      {
        type: 'message',
        time: 100,
        role: 'a',
        lamport: 1,
        test: 't1',
        to: 'b',
        seq: 1,
        receivedAt: 125,
        receiveLamport: 4,
        dropped: null,
        delayMs: 20,
        preview: 'hello',
      },
    ]);
    // Receive halves never appear on their own.
    expect(trace.events.some((e) => (e as { type: string }).type === 'msg-recv')).toBe(false);
  });

  it('pairs halves that arrive in either order and does not mix up senders with equal sequence numbers', () => {
    const collector = new TraceCollector(HEADER);
    collector.add([recv('c', 'a', 1, 130, 9)]);
    collector.add([recv('c', 'b', 1, 140, 10)]);
    collector.add([send('b', 1, 110, 2, { to: 'c' })]);
    collector.add([send('a', 1, 100, 1, { to: 'c' })]);
    const messages = messagesOf(collector.build(2_000).events);
    expect(messages.map((m) => [m.role, m.seq, m.receivedAt, m.receiveLamport])).toEqual([
      ['a', 1, 130, 9],
      ['b', 1, 140, 10],
    ]);
  });

  it('keeps a send without a receipt, with receivedAt and receiveLamport null and its drop reason', () => {
    const collector = new TraceCollector(HEADER);
    collector.add([send('a', 1, 100, 1, { dropped: 'partition' }), send('a', 2, 101, 2)]);
    const messages = messagesOf(collector.build(2_000).events);
    expect(messages.map((m) => [m.seq, m.receivedAt, m.receiveLamport, m.dropped])).toEqual([
      [1, null, null, 'partition'],
      [2, null, null, null],
    ]);
  });

  it('sorts every event by time, then by Lamport time', () => {
    const collector = new TraceCollector(HEADER);
    collector.add([log('b', 300, 1, 'b late')]);
    collector.add([log('a', 100, 5, 'a same time, later lamport'), log('a', 100, 2, 'a same time, earlier lamport')]);
    collector.add([send('c', 1, 200, 3, { to: 'a' }), send('c', 2, 100, 3, { to: 'a' })]);
    const order = collector.build(2_000).events.map((e) => (e.type === 'log' ? e.message : `msg ${e.type === 'message' ? e.seq : ''}`));
    expect(order).toEqual(['a same time, earlier lamport', 'msg 2', 'a same time, later lamport', 'msg 1', 'b late']);
  });

  it('adds up the omitted messages of every role, keeping only the latest running total per role', () => {
    const collector = new TraceCollector(HEADER);
    collector.omitted('a', 3);
    collector.omitted('a', 5);
    collector.omitted('b', 2);
    expect(collector.build(2_000).messagesOmitted).toBe(7);
  });

  it('builds the file trace with the header, tests, role errors and finish time', () => {
    const collector = new TraceCollector(HEADER);
    const test = { id: 't1', titles: ['t1'], multinode: true, startedAt: 1_100, finishedAt: 1_200, results: { a: { status: 'passed' as const, durationMs: 100, errors: [] } } };
    collector.addTest(test);
    collector.addRoleError({ role: 'c', time: 1_150, error: { name: 'Error', message: 'worker crashed' } });
    expect(collector.build(2_000)).toEqual({
      version: 2,
      ...HEADER,
      finishedAt: 2_000,
      tests: [test],
      events: [],
      roleErrors: [{ role: 'c', time: 1_150, error: { name: 'Error', message: 'worker crashed' } }],
      messagesOmitted: 0,
    });
  });

  it("answers what a role did last: its last event, its last log lines, the barrier it has not left", () => {
    const collector = new TraceCollector(HEADER);
    collector.add([log('a', 100, 1, 'first'), log('b', 150, 1, 'from b'), log('a', 200, 2, 'second'), log('a', 210, 3, 'third'), log('a', 220, 4, 'fourth')]);
    collector.add([{ type: 'barrier-enter', name: 'x', site: 'kv.test.ts:4:11', time: 300, role: 'a', lamport: 5, test: null }]);
    collector.add([{ type: 'barrier-enter', name: 'y', time: 310, role: 'b', lamport: 2, test: null }]);
    collector.add([{ type: 'barrier-leave', name: 'y', outcome: 'passed', time: 320, role: 'b', lamport: 3, test: null }]);
    const a = collector.activity('a');
    expect(a.lastEvent).toMatchObject({ type: 'barrier-enter', name: 'x', time: 300 });
    expect(a.lastLogs).toEqual([
      { message: 'second', time: 200 },
      { message: 'third', time: 210 },
      { message: 'fourth', time: 220 },
    ]);
    expect(a.openBarrier).toEqual({ name: 'x', site: 'kv.test.ts:4:11', time: 300 });
    expect(collector.activity('b')).toEqual({
      lastEvent: expect.objectContaining({ type: 'barrier-leave' }),
      lastLogs: [{ message: 'from b', time: 150 }],
      openBarrier: null,
    });
    expect(collector.activity('c')).toEqual({ lastEvent: null, lastLogs: [], openBarrier: null });
  });
});
