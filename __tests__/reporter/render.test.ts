import { describe, expect, it } from '@jest/globals';
import { createColors, shouldUseColors } from '../../reporter/ansi';
import { buildFileReport } from '../../reporter/buildFileReport';
import { stripAnsi } from '../../reporter/format';
import type { BuildFileReportOptions } from '../../reporter/buildFileReport';
import { renderFileReport } from '../../reporter/render';
import type { FileTrace } from '../../src/harness/traceTypes';
import { FAILING_TRACE, FORMS, PASSING_TRACE, T0, error, logEvent, makeTest, makeTrace, passed, result } from './fixtures/traces';

function render(trace: FileTrace, options: BuildFileReportOptions = { logs: 'failed' }, colors = false): string[] {
  return renderFileReport(buildFileReport(trace, options), createColors(colors)).split('\n');
}

describe('renderFileReport', () => {
  it('starts with the file, its roles and its seed', () => {
    expect(render(PASSING_TRACE)[0]).toBe('multinode __tests__/cluster.test.ts (roles a, b, c · seed 42)');
  });

  it("prints one line per test with each role's outcome and time", () => {
    const lines = render(FAILING_TRACE);
    expect(lines).toContain('  ✓ cluster › starts   a ✓ 12 ms · b ✓ 13 ms · c ✓ 11 ms');
    expect(lines).toContain('  ✕ cluster › forms a cluster   a ✕ 120 ms · b ✕ 131 ms · c ✕ 80 ms');
  });

  it('shows terminated, missing and skipped roles', () => {
    const trace = makeTrace({
      tests: [
        makeTest(['t'], { a: passed(5), c: result('terminated', 31_000) }),
        makeTest(['s'], { a: result('skipped', 0), b: result('skipped', 0), c: result('skipped', 0) }),
        makeTest(['u'], { a: passed(5), b: passed(5), c: result('terminated', 0) }),
      ],
    });
    const lines = render(trace);
    expect(lines).toContain('  ✕ t   a ✓ 5.0 ms · b ? no result · c ✕ terminated after 31.00 s');
    expect(lines).toContain('  ✕ u   a ✓ 5.0 ms · b ✓ 5.0 ms · c ✕ terminated');
    expect(lines).toContain('  ○ s   a ○ skipped · b ○ skipped · c ○ skipped');
  });

  it('lists the root cause before the consequences, with the message lines aligned', () => {
    const lines = render(FAILING_TRACE);
    const start = lines.findIndex((line) => line.includes('root cause'));
    const under = ' '.repeat('      root cause   c  '.length);
    expect(lines.slice(start, start + 6)).toEqual([
      '      root cause   c  expect(received).toBe(expected)',
      `${under}Expected: 3`,
      `${under}Received: 2`,
      '      first anomaly  +   3.0 ms  a  fault  partition a | c  (before c failed)',
      "      consequence  a  Barrier 'joined' failed: role c failed this test (a consequence, not a root cause).",
      "      consequence  b  Barrier 'joined' failed: role c failed this test (a consequence, not a root cause).",
    ]);
  });

  it('starts a failed test with the root cause, its code frame, the first anomaly and the HTML timeline, before the consequences', () => {
    const stack = 'Error: expect(received).toBe(expected)\n    at Object.<anonymous> (__tests__/cluster.test.ts:3:20)\n    at <jest-environment-multinode>/node_modules/jest-circus/build/run.js:1:1';
    const failing = { ...FORMS, results: { ...FORMS.results, c: { ...FORMS.results.c, errors: [{ ...FORMS.results.c.errors[0], stack }] } } };
    const trace = { ...FAILING_TRACE, tests: [failing] };
    const source = "describe.multinode('cluster', () => {\n  it('forms a cluster', () => {\n    expect(members).toBe(3);\n  });\n});\n";
    const lines = render(trace, {
      logs: 'failed',
      readSource: (file) => (file === '__tests__/cluster.test.ts' ? source : null),
      html: 'failed',
      htmlPath: () => 'multinode-report/cluster.test.ts/cluster forms a cluster.html',
    });
    const under = ' '.repeat('      root cause   c  '.length);
    expect(lines.slice(1, 15)).toEqual([
      '  ✕ cluster › forms a cluster   a ✕ 120 ms · b ✕ 131 ms · c ✕ 80 ms',
      '      root cause   c  expect(received).toBe(expected)',
      `${under}Expected: 3`,
      `${under}Received: 2`,
      `${under}at __tests__/cluster.test.ts:3:20`,
      `${under}  1 | describe.multinode('cluster', () => {`,
      `${under}  2 |   it('forms a cluster', () => {`,
      `${under}> 3 |     expect(members).toBe(3);`,
      `${under}    |                    ^`,
      `${under}  4 |   });`,
      `${under}  5 | });`,
      '      first anomaly  +   3.0 ms  a  fault  partition a | c  (before c failed)',
      '      html timeline: multinode-report/cluster.test.ts/cluster forms a cluster.html',
      "      consequence  a  Barrier 'joined' failed: role c failed this test (a consequence, not a root cause).",
    ]);
  });

  it('says so when the trace shows nothing anomalous before the root cause failed', () => {
    const test = makeTest(['t'], { a: result('failed', 1, [error('boom')]), b: passed(), c: passed() });
    const trace = makeTrace({ tests: [test], events: [logEvent({ time: test.startedAt + 1, role: 'a', test: test.id }, 'info', 'fine')] });
    expect(render(trace)).toContain('      first anomaly  none in the trace before a failed (no drop, fault, failed barrier, crash, error or warn log)');
  });

  it('prints the timeline in columns: time since the test start, role, level or kind, text', () => {
    const lines = render(FAILING_TRACE);
    expect(lines).toContain('      timeline (ms since the test started on a, in causal order; ┌ └ join concurrent lines, whose order only the clocks give)');
    expect(lines).toContain('        +  12.3 ms ┌ b  warn      slow gossip round');
    expect(lines).toContain('        +   5.0 ms   *  messages  3 node messages: a→b 1, b→a 1, a→c 1; 1 dropped (partition 1)');
    expect(lines).toContain("        +  80.2 ms │ a  barrier   leave 'joined' (failed)");
    expect(lines).toContain("        +  80.2 ms └ b  barrier   leave 'joined' (failed)");
  });

  it('indents the continuation lines of a multi-line log message under its text', () => {
    const test = makeTest(['t'], { a: result('failed', 1, [error('boom')]), b: passed(), c: passed() });
    const trace = makeTrace({
      tests: [test],
      events: [logEvent({ time: test.startedAt + 1, role: 'a', test: test.id }, 'error', 'first\nsecond')],
    });
    const lines = render(trace);
    const at = lines.indexOf('        +   1.0 ms   a  error  first');
    expect(lines[at + 1]).toBe(`${' '.repeat('        +   1.0 ms   a  error  '.length)}second`);
  });

  it('ends a failed test with its rerun command', () => {
    const lines = render(FAILING_TRACE);
    expect(lines).toContain("      rerun: MULTINODE_SEED=42 npx jest './__tests__/cluster.test.ts$' -t '^cluster forms a cluster$'");
  });

  it('says how many timeline lines were left out and where the whole trace is', () => {
    const lines = render(FAILING_TRACE, { logs: 'failed', maxTimelineLines: 3, tracePath: 'multinode-report/x.test.ts.mntrace' });
    expect(lines).toContain('        … 9 earlier lines left out; the whole trace is in multinode-report/x.test.ts.mntrace');
  });

  it('prints no timeline for passed tests unless logs is all', () => {
    expect(render(PASSING_TRACE).some((line) => line.includes('timeline'))).toBe(false);
    expect(render(PASSING_TRACE, { logs: 'all' })).toContain('        +   1.0 ms   a  info  starting');
  });

  it('prints no timeline at all with logs none', () => {
    expect(render(FAILING_TRACE, { logs: 'none' }).some((line) => line.includes('timeline'))).toBe(false);
  });

  it('prints role errors outside tests and omitted messages', () => {
    const trace = makeTrace({
      roleErrors: [{ role: 'c', time: T0 + 4000, error: error('Worker exited with code 1.') }],
      messagesOmitted: 12,
    });
    const lines = render(trace);
    expect(lines).toContain('  Role errors outside tests (ms since the file started)');
    expect(lines).toContain('    c  +4000.0 ms  Worker exited with code 1.');
    expect(lines).toContain('  12 node messages were left out of the trace (per-role cap reached).');
  });

  it('notes when Jest failed a test that every role passed', () => {
    const jestResult = { testResults: [{ fullName: 'cluster starts', status: 'failed' }] };
    expect(render(PASSING_TRACE, { logs: 'failed', jestResult })).toContain(
      '      Every role passed, but Jest reported the test as failed; see its message above.',
    );
  });

  it('colours only when asked, and the coloured text reads the same without its colours', () => {
    const plain = render(FAILING_TRACE).join('\n');
    const coloured = render(FAILING_TRACE, { logs: 'failed' }, true).join('\n');
    expect(plain).not.toMatch(/\u001b\[/);
    expect(coloured).toMatch(/\u001b\[31m✕\u001b\[39m/);
    expect(stripAnsi(coloured)).toBe(plain);
  });
});

describe('shouldUseColors', () => {
  it('follows whether the stream is a terminal', () => {
    expect(shouldUseColors({ isTTY: true }, {})).toBe(true);
    expect(shouldUseColors({ isTTY: false }, {})).toBe(false);
    expect(shouldUseColors({}, {})).toBe(false);
  });

  it('lets FORCE_COLOR and NO_COLOR override the terminal check', () => {
    expect(shouldUseColors({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldUseColors({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(shouldUseColors({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
  });
});
