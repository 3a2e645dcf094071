import { describe, expect, it } from '@jest/globals';
import { buildTimelinePage } from '../../../reporter/html/buildTimelinePage';
import { bundleMessages } from '../../../reporter/html/bundleMessages';
import type { PageMessage } from '../../../reporter/html/pageModel';
import { barrierEvent, FAILING_TRACE, FORMS, makeTrace, messageEvent, STARTS } from '../fixtures/traces';

describe('buildTimelinePage', () => {
  const page = buildTimelinePage(FAILING_TRACE, FORMS);

  it('has the header: verdict per role with root cause and consequences, seed, mode, rerun command', () => {
    expect(page).toMatchObject({ file: '__tests__/cluster.test.ts', test: 'cluster forms a cluster', verdict: 'failed', seed: 42, mode: 'threads' });
    expect(page.roles).toEqual([
      { role: 'a', status: 'failed', durationMs: 120, cause: 'consequence' },
      { role: 'b', status: 'failed', durationMs: 131, cause: 'consequence' },
      { role: 'c', status: 'failed', durationMs: 80, cause: 'root-cause' },
    ]);
    expect(page.rerun).toBe("MULTINODE_SEED=42 npx jest './__tests__/cluster.test.ts$' -t '^cluster forms a cluster$'");
    expect(buildTimelinePage(FAILING_TRACE, STARTS).rerun).toBeNull();
  });

  it("takes only the test's events, with times since the test started", () => {
    expect(page.logs.map((log) => [log.role, log.ms, log.level, log.text])).toEqual([
      ['b', 12.34, 'warn', 'slow gossip round'],
      ['c', 80, 'error', 'state diverged {"expected":3,"actual":2}'],
    ]);
  });

  it('draws messages from send to receive, a dropped one with its reason', () => {
    expect(page.messages.map((m) => [m.from, m.to, m.sendMs, m.receiveMs, m.dropped, m.count])).toEqual([
      ['a', 'b', 5, 6, null, 1],
      ['b', 'a', 5.5, 6.5, null, 1],
      ['a', 'c', 6, null, 'partition', 1],
    ]);
    expect(page.messageSummary).toEqual({ total: 3, arrows: 3, bundled: false, bundleSlotMs: null, threshold: 2000, omittedFromTrace: 0 });
    expect(page.messageTypes).toEqual([
      { type: '{"type":"gossip","seq":1}', count: 2 },
      { type: '{"type":"gossip","seq":2}', count: 1 },
    ]);
  });

  it('spans barriers from enter to release, open ones to the end', () => {
    expect(page.barriers.map((b) => [b.role, b.name, b.startMs, b.endMs, b.outcome])).toEqual([
      ['a', 'joined', 20, 80.2, 'failed'],
      ['b', 'joined', 21, 80.2, 'failed'],
    ]);
    const open = makeTrace({ tests: [FORMS], events: [barrierEvent({ time: FORMS.startedAt + 3, role: 'c', test: FORMS.id }, 'ready')] });
    expect(buildTimelinePage(open, FORMS).barriers).toEqual([{ role: 'c', name: 'ready', gather: false, startMs: 3, endMs: 200, outcome: 'open' }]);
  });

  it('shades faults still in force, also those set before the test', () => {
    expect(page.faults).toEqual([{ kind: 'partition', label: 'partition a | c', roles: ['a', 'c'], startMs: 3, endMs: 200, open: true }]);
  });

  it('marks each failure on its role, at its end of the test, root causes first', () => {
    expect(page.failures.map((f) => [f.role, f.ms, f.cause])).toEqual([
      ['c', 80.1, 'root-cause'],
      ['a', 120, 'consequence'],
      ['b', 131, 'consequence'],
    ]);
    expect(page.failures[0].messages[0]).toContain('Expected: 3\nReceived: 2');
  });

  it('names the first anomaly before the root cause failed, and none for a test that passed', () => {
    expect(page.firstAnomaly).toEqual({ role: 'a', ms: 3, kind: 'fault', text: 'partition a | c' });
    expect(buildTimelinePage(FAILING_TRACE, STARTS).firstAnomaly).toBeNull();
  });

  it("files each consequence under the root cause it names, and gives a root cause the code frame of its test file", () => {
    const named = (role: 'a' | 'b') => ({ ...FORMS.results[role], errors: FORMS.results[role].errors.map((e) => ({ ...e, fields: { rootRole: 'c' } })) });
    const stack = 'Error: expect(received).toBe(expected)\n    at Object.<anonymous> (__tests__/cluster.test.ts:2:5)';
    const c = { ...FORMS.results.c, errors: [{ ...FORMS.results.c.errors[0], stack }] };
    const test = { ...FORMS, results: { ...FORMS.results, a: named('a'), b: named('b'), c } };
    const source = "it('forms', () => {\n    expect(members).toBe(3);\n});\n";
    const built = buildTimelinePage({ ...FAILING_TRACE, tests: [test] }, test, { readSource: (file) => (file === '__tests__/cluster.test.ts' ? source : null) });
    expect(built.failures.map((f) => [f.role, f.cause, f.rootRole])).toEqual([
      ['c', 'root-cause', null],
      ['a', 'consequence', 'c'],
      ['b', 'consequence', 'c'],
    ]);
    expect(built.failures[0].codeFrame).toEqual({ location: '__tests__/cluster.test.ts:2:5', lines: expect.arrayContaining(['> 2 |     expect(members).toBe(3);']) });
    expect(page.failures[0].codeFrame).toBeNull();
  });

  it("cuts the test into phases at the lead's barrier releases", () => {
    const at = (ms: number, role: string) => ({ time: STARTS.startedAt + ms, role, test: STARTS.id });
    const trace = makeTrace({
      tests: [STARTS],
      events: [barrierEvent(at(1, 'a'), 'up'), barrierEvent(at(10, 'a'), 'up', 'passed'), barrierEvent(at(12, 'b'), 'up', 'passed'), barrierEvent(at(40, 'a'), 'written', 'passed')],
    });
    expect(buildTimelinePage(trace, STARTS).phases).toEqual([
      { name: "start → 'up'", startMs: 0, endMs: 10 },
      { name: "'up' → 'written'", startMs: 10, endMs: 40 },
      { name: "'written' → end", startMs: 40, endMs: 200 },
    ]);
    expect(page.phases).toEqual([{ name: 'whole test', startMs: 0, endMs: 200 }]);
  });

  it('bundles messages past the threshold, and says so', () => {
    const at = (ms: number) => ({ time: FORMS.startedAt + ms, role: 'a', test: FORMS.id });
    const events = Array.from({ length: 50 }, (_, i) => ({ ...messageEvent(at(i), i % 2 === 0 ? 'b' : 'c', i), preview: 'gossip' }));
    const bundled = buildTimelinePage(makeTrace({ tests: [FORMS], events }), FORMS, { arrowThreshold: 10 });
    expect(bundled.messageSummary).toMatchObject({ total: 50, bundled: true, threshold: 10 });
    expect(bundled.messages.length).toBeLessThanOrEqual(10);
    expect(bundled.messages.reduce((sum, m) => sum + m.count, 0)).toBe(50);
  });
});

describe('bundleMessages', () => {
  const message = (sendMs: number, to: string, over: Partial<PageMessage> = {}): PageMessage => ({
    from: 'a', to, type: 'ping', count: 1, seq: sendMs, sendMs, receiveMs: sendMs + 1, dropped: null, delayMs: 0, ...over,
  });

  it('leaves messages alone up to the threshold', () => {
    const messages = [message(1, 'b'), message(2, 'b')];
    expect(bundleMessages(messages, 100, 2)).toEqual({ arrows: messages, slotMs: null });
  });

  it('bundles by time slot, link, type and fate, counting and spanning to the last receive', () => {
    const messages = [message(0, 'b'), message(0.2, 'b'), message(0.3, 'c'), message(0.4, 'b', { type: 'pong' }), message(0.45, 'b', { dropped: 'drop', receiveMs: null }), message(50, 'b')];
    const bundled = bundleMessages(messages, 100, 5);
    expect(bundled.slotMs).toBe(0.5);
    expect(bundled.arrows.map((m) => [m.to, m.type, m.sendMs, m.receiveMs, m.count, m.dropped])).toEqual([
      ['b', 'ping', 0, 1.2, 2, null],
      ['c', 'ping', 0.3, 1.3, 1, null],
      ['b', 'pong', 0.4, 1.4, 1, null],
      ['b', 'ping', 0.45, null, 1, 'drop'],
      ['b', 'ping', 50, 51, 1, null],
    ]);
  });

  it('uses wider slots while the arrows are still more than the threshold', () => {
    const messages = Array.from({ length: 1000 }, (_, i) => message(i / 10, i % 2 === 0 ? 'b' : 'c'));
    const { arrows: bundles, slotMs } = bundleMessages(messages, 100, 50);
    expect(slotMs).toBeGreaterThan(0.5);
    expect(bundles.length).toBeLessThanOrEqual(50);
    expect(bundles.reduce((sum, m) => sum + m.count, 0)).toBe(1000);
  });
});
