import { describe, expect, it } from '@jest/globals';
import { messageCapPerRole, TraceBuffer, type RawTraceEvent } from '../../src/harness/TraceBuffer';
import { FakeClock, recv, send } from './helpers';

describe('TraceBuffer', () => {
  const make = (maxMessages?: number): { buffer: TraceBuffer; events: RawTraceEvent[]; clock: FakeClock } => {
    const clock = new FakeClock(5_000);
    const events: RawTraceEvent[] = [];
    return { buffer: new TraceBuffer('a', clock, (e) => events.push(e), maxMessages), events, clock };
  };

  it('ticks its Lamport clock by one for each local event or send', () => {
    const { buffer } = make();
    expect(buffer.tick()).toBe(1);
    expect(buffer.tick()).toBe(2);
  });

  it('moves past a received Lamport time: max(local, remote) + 1', () => {
    const { buffer } = make();
    buffer.tick();
    buffer.tick();
    expect(buffer.receive(10)).toBe(11);
    // A remote time behind the local one still advances the local clock.
    expect(buffer.receive(3)).toBe(12);
    expect(buffer.tick()).toBe(13);
  });

  it('forwards non-message events at once, stamped with time, role, Lamport time and the running test', () => {
    const { buffer, events, clock } = make();
    buffer.log('info', 'starting');
    clock.advance(10);
    buffer.currentTest = 'suite works';
    buffer.record({ type: 'barrier-enter', name: 'ready' });
    buffer.log('warn', 'slow', { ms: 300 });
    buffer.fault({ kind: 'crash', role: 'b' });
    buffer.testEnd('passed');
    expect(events).toEqual([
      { type: 'log', level: 'info', message: 'starting', time: 5_000, role: 'a', lamport: 1, test: null },
      { type: 'barrier-enter', name: 'ready', time: 5_010, role: 'a', lamport: 2, test: 'suite works' },
      { type: 'log', level: 'warn', message: 'slow', fields: { ms: 300 }, time: 5_010, role: 'a', lamport: 3, test: 'suite works' },
      { type: 'fault', fault: { kind: 'crash', role: 'b' }, time: 5_010, role: 'a', lamport: 4, test: 'suite works' },
      { type: 'test-end', status: 'passed', time: 5_010, role: 'a', lamport: 5, test: 'suite works' },
    ]);
    // A log without fields has no `fields` key at all.
    expect('fields' in events[0]!).toBe(false);
  });

  it('buffers message halves until drained, and does not forward them one by one', () => {
    const { buffer, events } = make();
    buffer.message(send('a', 1, 1, 1));
    buffer.message(recv('a', 'b', 7, 2, 5));
    expect(events).toEqual([]);
    expect(buffer.drainMessages()).toEqual([send('a', 1, 1, 1), recv('a', 'b', 7, 2, 5)]);
    expect(buffer.drainMessages()).toEqual([]);
  });

  it('caps each role so that a file records about 60,000 sends per test whatever its number of roles', () => {
    expect([1, 3, 8, 32].map(messageCapPerRole)).toEqual([20_000, 20_000, 7_500, 1_875]);
  });

  it('caps the recorded sends, counting the omitted ones, and drops receipts past the cap', () => {
    const { buffer } = make(2);
    buffer.message(send('a', 1, 1, 1));
    buffer.message(recv('a', 'b', 1, 1, 2));
    buffer.message(send('a', 2, 2, 3));
    buffer.message(send('a', 3, 3, 4));
    buffer.message(recv('a', 'b', 2, 4, 5));
    buffer.message(send('a', 4, 4, 6));
    expect(buffer.omitted).toBe(2);
    expect(buffer.drainMessages().map((e) => `${e.type}:${'seq' in e ? e.seq : ''}`)).toEqual(['msg-send:1', 'msg-recv:1', 'msg-send:2']);
    // The cap is for the whole file: draining does not make room again.
    buffer.message(send('a', 5, 5, 7));
    expect(buffer.omitted).toBe(3);
    expect(buffer.drainMessages()).toEqual([]);
  });
});
