import { describe, expect, it } from '@jest/globals';
import { buildFileReport } from '../../reporter/buildFileReport';
import { FAILING_TRACE, FORMS, PASSING_TRACE, STARTS, T0, error, makeTrace } from './fixtures/traces';

describe('buildFileReport', () => {
  it('describes the file: path relative to rootDir, roles and seed', () => {
    const report = buildFileReport(FAILING_TRACE, { logs: 'failed' });
    expect(report).toMatchObject({
      relativePath: '__tests__/cluster.test.ts',
      roles: ['a', 'b', 'c'],
      seed: 42,
      messagesOmitted: 0,
      tracePath: null,
    });
  });

  it('reports multi-node tests only, in the order the lead ran them', () => {
    const report = buildFileReport(FAILING_TRACE, { logs: 'failed' });
    expect(report.tests.map((test) => [test.fullName, test.verdict])).toEqual([
      ['cluster starts', 'passed'],
      ['cluster forms a cluster', 'failed'],
    ]);
  });

  it('gives a failed test its failures, timeline and rerun command', () => {
    const failed = buildFileReport(FAILING_TRACE, { logs: 'failed' }).tests[1];
    expect(failed.failures.map((failure) => failure.role)).toEqual(['c', 'a', 'b']);
    expect(failed.timeline?.lines.length).toBeGreaterThan(0);
    expect(failed.rerunCommand).toBe("MULTINODE_SEED=42 npx jest './__tests__/cluster.test.ts$' -t '^cluster forms a cluster$'");
  });

  it('gives a passed test no failures and no rerun command', () => {
    const passed = buildFileReport(FAILING_TRACE, { logs: 'all' }).tests[0];
    expect(passed.failures).toEqual([]);
    expect(passed.rerunCommand).toBeNull();
  });

  describe('the logs option', () => {
    it("'failed' shows timelines of failed tests only, with messages as counts", () => {
      const [passed, failed] = buildFileReport(FAILING_TRACE, { logs: 'failed' }).tests;
      expect(passed.timeline).toBeNull();
      expect(failed.timeline?.lines.map((line) => line.kind)).toContain('messages');
      expect(failed.timeline?.lines.map((line) => line.kind)).not.toContain('send');
    });

    it("'all' shows timelines of passed tests too, with every message", () => {
      const [passed, failed] = buildFileReport(FAILING_TRACE, { logs: 'all' }).tests;
      expect(passed.timeline?.lines.map((line) => line.text)).toEqual(['starting']);
      expect(failed.timeline?.lines.filter((line) => line.kind === 'send')).toHaveLength(3);
      expect(buildFileReport(PASSING_TRACE, { logs: 'all' }).tests[0].timeline?.lines.map((line) => line.kind)).toEqual([
        'info',
        'send',
      ]);
    });

    it("'none' shows no timeline, but still the failures and the rerun command", () => {
      const [passed, failed] = buildFileReport(FAILING_TRACE, { logs: 'none' }).tests;
      expect(passed.timeline).toBeNull();
      expect(failed.timeline).toBeNull();
      expect(failed.failures).toHaveLength(3);
      expect(failed.rerunCommand).not.toBeNull();
    });
  });

  it('cuts timelines to maxTimelineLines', () => {
    const failed = buildFileReport(FAILING_TRACE, { logs: 'failed', maxTimelineLines: 2 }).tests[1];
    expect(failed.timeline?.lines.map((line) => line.text)).toEqual(["leave 'joined' (failed)", "leave 'joined' (failed)"]);
    expect(failed.timeline?.omittedLines).toBe(10);
  });

  it('never shows a test as passed when Jest reported it failed', () => {
    const jestResult = { testResults: [{ fullName: STARTS.id, status: 'failed' }, { fullName: FORMS.id, status: 'failed' }] };
    const [starts] = buildFileReport(FAILING_TRACE, { logs: 'failed', jestResult }).tests;
    expect(starts).toMatchObject({ verdict: 'failed', failedOnlyInJest: true, failures: [] });
    expect(starts.rerunCommand).toMatch(/-t '\^cluster starts\$'$/);
  });

  it('keeps the trace verdict when Jest agrees', () => {
    const jestResult = { testResults: [{ fullName: STARTS.id, status: 'passed' }] };
    expect(buildFileReport(FAILING_TRACE, { logs: 'failed', jestResult }).tests[0]).toMatchObject({
      verdict: 'passed',
      failedOnlyInJest: false,
    });
  });

  it('reports role errors outside tests with their time since the file started', () => {
    const trace = makeTrace({
      roleErrors: [{ role: 'c', time: T0 + 1234.5, error: error('Worker exited with code 1.\nLast log: "joining"') }],
    });
    expect(buildFileReport(trace, { logs: 'failed' }).roleErrors).toEqual([
      { role: 'c', offsetMs: 1234.5, message: ['Worker exited with code 1.', 'Last log: "joining"'] },
    ]);
  });
});
