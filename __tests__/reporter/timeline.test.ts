import { describe, expect, it } from '@jest/globals';
import type { FaultCommand } from '../../src/harness/traceTypes';
import { buildTimeline, describeFault } from '../../reporter/timeline';
import { FAILING_TRACE, FORMS, logEvent, makeTrace, messageEvent } from './fixtures/traces';

const COUNT = { messages: 'count', maxLines: 200 } as const;
const EACH = { messages: 'each', maxLines: 200 } as const;

describe('buildTimeline', () => {
  it("keeps only the test's own events, sorted by time, with offsets from the test's start", () => {
    const { lines, omittedLines } = buildTimeline(FAILING_TRACE, FORMS, COUNT);
    expect(omittedLines).toBe(0);
    expect(lines.map((line) => [line.offsetMs, line.role, line.kind])).toEqual([
      [0, 'a', 'test'],
      [0.2, 'c', 'test'],
      [0.4, 'b', 'test'],
      [3, 'a', 'fault'],
      [5, '*', 'messages'],
      [12.34, 'b', 'warn'],
      [20, 'a', 'barrier'],
      [21, 'b', 'barrier'],
      [80, 'c', 'error'],
      [80.1, 'c', 'test'],
      [80.2, 'a', 'barrier'],
      [80.2, 'b', 'barrier'],
    ]);
    expect(lines.some((line) => line.text.includes('lead only') || line.text === 'starting')).toBe(false);
  });

  it('orders events with the same time by Lamport clock', () => {
    const base = { time: FORMS.startedAt + 1, role: 'a', test: FORMS.id };
    const trace = makeTrace({
      tests: [FORMS],
      events: [logEvent({ ...base, lamport: 3 }, 'info', 'third'), logEvent({ ...base, lamport: 1 }, 'info', 'first')],
    });
    expect(buildTimeline(trace, FORMS, COUNT).lines.map((line) => line.text)).toEqual(['first', 'third']);
  });

  it("lists a message's receipt and what the receiver did next after the send, even when the receiver's clock reads earlier", () => {
    const t = FORMS.startedAt;
    const on = (ms: number, role: string, lamport: number) => ({ time: t + ms, role, test: FORMS.id, lamport });
    // c's clock runs 4 ms behind a's: by time alone c would store the key before a sent it.
    const trace = makeTrace({
      tests: [FORMS],
      events: [
        logEvent(on(1, 'a', 1), 'info', 'put k'),
        messageEvent(on(6, 'a', 2), 'c', 1, { receivedAt: t + 2.5, receiveLamport: 2, preview: '{"type":"put","key":"k"}' }),
        logEvent(on(3, 'c', 3), 'info', 'stored k'),
        logEvent(on(4, 'b', 1), 'info', 'idle'),
      ],
    });
    expect(buildTimeline(trace, FORMS, EACH).lines.map((line) => `${line.offsetMs} ${line.role} ${line.kind} ${line.text}`)).toEqual([
      '1 a info put k',
      '4 b info idle',
      '6 a send → c #1 {"type":"put","key":"k"} · received after -3.5 ms',
      '2.5 c receive ← a #1 {"type":"put","key":"k"}',
      '3 c info stored k',
    ]);
    // Summarised, the receipt has no line of its own but still orders c's line after the send.
    expect(buildTimeline(trace, FORMS, COUNT).lines.map((line) => line.text)).toEqual([
      'put k',
      'idle',
      '1 node message: a→c 1',
      'stored k',
    ]);
  });

  it('groups adjacent lines that no role order or message links as concurrent, and only those', () => {
    const t = FORMS.startedAt;
    const on = (ms: number, role: string, lamport: number) => ({ time: t + ms, role, test: FORMS.id, lamport });
    const trace = makeTrace({
      tests: [FORMS],
      events: [
        logEvent(on(1, 'a', 1), 'info', 'a starts'),
        logEvent(on(1.1, 'b', 1), 'info', 'b starts'),
        logEvent(on(1.2, 'c', 1), 'info', 'c starts'),
        messageEvent(on(2, 'a', 2), 'b', 1, { receivedAt: t + 3, receiveLamport: 2 }),
        logEvent(on(4, 'b', 3), 'info', 'b got it'),
        logEvent(on(5, 'a', 3), 'info', 'a goes on'),
      ],
    });
    const lines = buildTimeline(trace, FORMS, EACH).lines;
    expect(lines.map((line) => [line.text.split(' {')[0], line.concurrentGroup])).toEqual([
      ['a starts', 1],
      ['b starts', 1],
      ['c starts', 1],
      // c's start is concurrent with a's send, but a's start is not: a new run begins.
      ['→ b #1', null],
      ['← a #1', null],
      ['b got it', 2],
      ['a goes on', 2],
    ]);
  });

  it('shows log levels, fields, barriers, faults and test boundaries as text', () => {
    const texts = buildTimeline(FAILING_TRACE, FORMS, COUNT).lines.map((line) => `${line.kind} ${line.text}`);
    expect(texts).toContain('error state diverged {"expected":3,"actual":2}');
    expect(texts).toContain("barrier enter 'joined'");
    expect(texts).toContain("barrier leave 'joined' (failed)");
    expect(texts).toContain('fault partition a | c');
    expect(texts).toContain('test start');
    expect(texts).toContain('test end (failed)');
  });

  it('shows a gather as a barrier line with how many values and bytes it carried, never the values', () => {
    const base = { role: 'a', test: FORMS.id, lamport: 0 };
    const trace = makeTrace({
      tests: [FORMS],
      events: [
        { ...base, time: FORMS.startedAt + 1, type: 'barrier-enter', name: 'homes', gather: { values: 1, bytes: 40 } },
        { ...base, time: FORMS.startedAt + 2, type: 'barrier-leave', name: 'homes', outcome: 'passed', gather: { values: 3, bytes: 130 } },
        { ...base, time: FORMS.startedAt + 3, type: 'barrier-leave', name: 'again', outcome: 'failed', gather: { values: 0, bytes: 0 } },
      ],
    });
    expect(buildTimeline(trace, FORMS, COUNT).lines.map((line) => `${line.kind} ${line.text}`)).toEqual([
      "barrier enter gather 'homes' (1 value, 40 B)",
      "barrier leave gather 'homes' (3 values, 130 B)",
      "barrier leave gather 'again' (failed)",
    ]);
  });

  it('summarises a run of consecutive messages as counts per link with the drops', () => {
    const summary = buildTimeline(FAILING_TRACE, FORMS, COUNT).lines.find((line) => line.kind === 'messages');
    expect(summary?.text).toBe('3 node messages: a→b 1, b→a 1, a→c 1; 1 dropped (partition 1)');
  });

  it("names the sender of a run of messages when there is only one", () => {
    const base = { role: 'b', test: FORMS.id };
    const trace = makeTrace({
      tests: [FORMS],
      events: [messageEvent({ ...base, time: FORMS.startedAt + 1 }, 'a', 1), messageEvent({ ...base, time: FORMS.startedAt + 2 }, 'c', 2)],
    });
    expect(buildTimeline(trace, FORMS, COUNT).lines).toEqual([
      { offsetMs: 1, role: 'b', kind: 'messages', text: '2 node messages: b→a 1, b→c 1', concurrentGroup: null },
    ]);
  });

  it("shows every message with its fate when messages are shown one by one", () => {
    const base = { role: 'a', test: FORMS.id };
    const t = FORMS.startedAt;
    const trace = makeTrace({
      tests: [FORMS],
      events: [
        messageEvent({ ...base, time: t + 1 }, 'b', 1, { receivedAt: t + 4.5 }),
        messageEvent({ ...base, time: t + 2 }, 'c', 2, { dropped: 'crashed', receivedAt: null }),
        messageEvent({ ...base, time: t + 3 }, 'b', 3, { delayMs: 50, receivedAt: t + 53 }),
        messageEvent({ ...base, time: t + 4 }, 'b', 4, { receivedAt: null }),
      ],
    });
    expect(buildTimeline(trace, FORMS, EACH).lines.map((line) => `${line.kind} ${line.text}`)).toEqual([
      'send → b #1 {"type":"gossip","seq":1} · received after 3.5 ms',
      'send → c #2 {"type":"gossip","seq":2} · dropped (crashed)',
      'send → b #3 {"type":"gossip","seq":3} · delayed 50 ms · received after 50 ms',
      'send → b #4 {"type":"gossip","seq":4} · not received',
    ]);
  });

  it('keeps the last lines of a long timeline and counts the ones left out', () => {
    const events = Array.from({ length: 500 }, (_, i) =>
      logEvent({ time: FORMS.startedAt + i, role: 'a', test: FORMS.id }, 'debug', `line ${i}`),
    );
    const timeline = buildTimeline(makeTrace({ tests: [FORMS], events }), FORMS, { messages: 'count', maxLines: 200 });
    expect(timeline.omittedLines).toBe(300);
    expect(timeline.lines).toHaveLength(200);
    expect(timeline.lines[0].text).toBe('line 300');
    expect(timeline.lines[199].text).toBe('line 499');
  });

  it('gives negative offsets to events recorded just before the lead started the test', () => {
    const trace = makeTrace({
      tests: [FORMS],
      events: [{ time: FORMS.startedAt - 0.5, role: 'b', test: FORMS.id, lamport: 1, type: 'test-start' }],
    });
    expect(buildTimeline(trace, FORMS, COUNT).lines[0].offsetMs).toBe(-0.5);
  });
});

describe('describeFault', () => {
  it.each<[FaultCommand, string]>([
    [{ kind: 'partition', sideA: ['a', 'b'], sideB: ['c'] }, 'partition a b | c'],
    [{ kind: 'blackhole', from: 'a', to: 'b' }, 'blackhole a → b'],
    [{ kind: 'heal' }, 'heal (every link)'],
    [{ kind: 'heal', sideA: ['a'] }, 'heal a | (every other role)'],
    [{ kind: 'heal', sideA: ['a'], sideB: ['c'] }, 'heal a | c'],
    [{ kind: 'delay', from: 'a', to: 'b', minMs: 50, maxMs: 50 }, 'delay a → b by 50 ms'],
    [{ kind: 'delay', from: 'a', to: 'b', minMs: 10, maxMs: 40 }, 'delay a → b by 10-40 ms'],
    [{ kind: 'drop', from: 'a', to: 'b', probability: 0.3 }, 'drop a → b with probability 0.3'],
    [{ kind: 'crash', role: 'c' }, 'crash c'],
    [{ kind: 'restart', role: 'c' }, 'restart c'],
    [{ kind: 'leave', role: 'c' }, 'leave c'],
  ])('describes %j as %j', (fault, text) => {
    expect(describeFault(fault)).toBe(text);
  });
});
