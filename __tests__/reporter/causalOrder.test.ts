import { describe, expect, it } from '@jest/globals';
import { causalOrder, type CausalEntry } from '../../reporter/causalOrder';
import type { TraceEvent } from '../../src/harness/traceTypes';
import { T0, logEvent, messageEvent } from './fixtures/traces';

const at = (ms: number, role: string, lamport: number) => ({ time: T0 + ms, role, test: 't', lamport });

/** `role:text` per entry: a log's message, `send→to`, or `recv←from`. */
function names(entries: readonly CausalEntry[]): string[] {
  return entries.map((entry) => {
    if (entry.kind === 'receive') return `${entry.role}:recv←${entry.message.role}`;
    const event = entry.event;
    if (event.type === 'log') return `${event.role}:${event.message}`;
    if (event.type === 'message') return `${event.role}:send→${event.to}`;
    return `${event.role}:${event.type}`;
  });
}

describe('causalOrder', () => {
  it('lists events by time when no message links them', () => {
    const events = [logEvent(at(3, 'b', 1), 'info', 'b1'), logEvent(at(1, 'a', 1), 'info', 'a1'), logEvent(at(2, 'c', 1), 'info', 'c1')];
    expect(names(causalOrder(events, ['a', 'b', 'c']).entries)).toEqual(['a:a1', 'c:c1', 'b:b1']);
  });

  it("lists a receipt after its send, and the receiver's later events after it, when the receiver's clock reads earlier", () => {
    // b's clock is 5 ms behind a's: by time, b received the message and acted on it before a sent it.
    const events: TraceEvent[] = [
      logEvent(at(1, 'a', 1), 'info', 'a prepares'),
      logEvent(at(2, 'b', 1), 'info', 'b idles'),
      messageEvent(at(10, 'a', 2), 'b', 1, { receivedAt: T0 + 6, receiveLamport: 3 }),
      logEvent(at(7, 'b', 4), 'info', 'b applies the put'),
      logEvent(at(11, 'a', 3), 'info', 'a carries on'),
    ];
    const byTime = [...events].sort((x, y) => x.time - y.time).map((event) => `${event.role}:${event.type === 'log' ? event.message : 'send→b'}`);
    expect(byTime).toEqual(['a:a prepares', 'b:b idles', 'b:b applies the put', 'a:send→b', 'a:a carries on']);

    expect(names(causalOrder(events, ['a', 'b']).entries)).toEqual([
      'a:a prepares',
      'b:b idles',
      'a:send→b',
      'b:recv←a',
      'b:b applies the put',
      'a:a carries on',
    ]);
  });

  it("keeps each role's own events in Lamport order even when their times tie", () => {
    const events = [logEvent(at(1, 'a', 2), 'info', 'second'), logEvent(at(1, 'a', 1), 'info', 'first')];
    expect(names(causalOrder(events, ['a']).entries)).toEqual(['a:first', 'a:second']);
  });

  it('adds no receipt for a dropped message or one never received', () => {
    const events = [
      messageEvent(at(1, 'a', 1), 'b', 1, { dropped: 'partition', receivedAt: null }),
      messageEvent(at(2, 'a', 2), 'b', 2, { receivedAt: null }),
    ];
    expect(names(causalOrder(events, ['a', 'b']).entries)).toEqual(['a:send→b', 'a:send→b']);
  });

  it('tells events linked by a chain of messages from concurrent ones', () => {
    const events: TraceEvent[] = [
      logEvent(at(1, 'a', 1), 'info', 'a1'),
      messageEvent(at(2, 'a', 2), 'b', 1, { receivedAt: T0 + 3, receiveLamport: 3 }),
      messageEvent(at(4, 'b', 4), 'c', 1, { receivedAt: T0 + 5, receiveLamport: 5 }),
      logEvent(at(6, 'c', 6), 'info', 'c after'),
      logEvent(at(1.5, 'c', 1), 'info', 'c before'),
      logEvent(at(7, 'a', 3), 'info', 'a later'),
    ];
    const order = causalOrder(events, ['a', 'b', 'c']);
    const index = (name: string): number => names(order.entries).indexOf(name);
    // a1 reaches c through b: a → b → c.
    expect(order.happenedBefore(index('a:a1'), index('c:c after'))).toBe(true);
    expect(order.happenedBefore(index('c:c after'), index('a:a1'))).toBe(false);
    expect(order.concurrent(index('a:a1'), index('c:c before'))).toBe(true);
    expect(order.concurrent(index('a:a later'), index('c:c after'))).toBe(true);
    expect(order.concurrent(index('a:a1'), index('a:a later'))).toBe(false);
    expect(order.concurrent(index('a:a1'), index('a:a1'))).toBe(false);
  });

  it('orders what follows a passed barrier after what every role did before entering it, and not a failed one', () => {
    const enter = (ms: number, role: string, lamport: number, name = 'joined'): TraceEvent => ({ ...at(ms, role, lamport), type: 'barrier-enter', name });
    const leave = (ms: number, role: string, lamport: number, outcome: 'passed' | 'failed', name = 'joined'): TraceEvent => ({
      ...at(ms, role, lamport),
      type: 'barrier-leave',
      name,
      outcome,
    });
    const events: TraceEvent[] = [
      logEvent(at(1, 'a', 1), 'info', 'a before'),
      enter(2, 'a', 2),
      logEvent(at(2.5, 'b', 1), 'info', 'b before'),
      enter(3, 'b', 2),
      // a's clock reads its release earlier than b's entering.
      leave(2.8, 'a', 3, 'passed'),
      leave(3.1, 'b', 3, 'passed'),
      enter(4, 'a', 4, 'done'),
      leave(5, 'a', 5, 'failed', 'done'),
      logEvent(at(6, 'b', 4), 'info', 'b after'),
    ];
    const order = causalOrder(events, ['a', 'b']);
    const listed = order.entries.map((entry) => (entry.kind === 'event' ? `${entry.role}:${entry.event.type === 'log' ? entry.event.message : `${entry.event.type}`}` : ''));
    expect(listed.indexOf('b:b before')).toBeLessThan(listed.indexOf('a:barrier-leave'));
    expect(order.happenedBefore(listed.indexOf('b:b before'), listed.indexOf('a:barrier-leave'))).toBe(true);
    expect(order.happenedBefore(listed.indexOf('a:a before'), listed.indexOf('b:b after'))).toBe(true);
    // Only a left 'done', and it failed there: nothing links it to b's later line.
    expect(order.concurrent(listed.lastIndexOf('a:barrier-leave'), listed.indexOf('b:b after'))).toBe(true);
  });

  it('still orders every event of a trace whose clocks contradict themselves', () => {
    // Each receipt claims to come before the other role's send: no order satisfies both.
    const events = [
      messageEvent(at(2, 'a', 2), 'b', 1, { receivedAt: T0 + 1, receiveLamport: 1 }),
      messageEvent(at(2, 'b', 2), 'a', 1, { receivedAt: T0 + 1, receiveLamport: 1 }),
    ];
    expect(causalOrder(events, ['a', 'b']).entries).toHaveLength(4);
  });
});
