import * as path from 'node:path';
import type { FileTrace, TestTrace } from '../src/harness';
import type { SourceReader } from './codeFrame';
import { firstAnomaly } from './firstAnomaly';
import { excerpt, offsetMs } from './format';
import type { FileReport, TestReport } from './model';
import type { HtmlOption, LogsOption } from './options';
import { rerunCommand, type RerunTarget } from './rerunCommand';
import { DEFAULT_MAX_TIMELINE_LINES, buildTimeline } from './timeline';
import { mergeVerdict, orderFailures, roleOutcomes } from './verdict';

/** The part of Jest's `TestResult` the report uses (Jest's own object fits). */
export interface JestFileResult {
  readonly testResults: readonly { readonly fullName: string; readonly status: string }[];
}

/** Options of `buildFileReport`. */
export interface BuildFileReportOptions {
  /** Which tests get a timeline, as the reporter's `logs` option. */
  readonly logs: LogsOption;
  /** Cap on timeline lines per test (the last ones are kept); default 200. */
  readonly maxTimelineLines?: number;
  /** Jest's result of the file: a test Jest reports as failed is never shown as passed. */
  readonly jestResult?: JestFileResult;
  /** The trace file's path, for the report to point at. */
  readonly tracePath?: string;
  /**
   * Reads the test's source files, for the code frame of each root cause (stacks in traces name
   * files relative to `rootDir`). Without it no code frame is shown.
   */
  readonly readSource?: SourceReader;
  /** How rerun lines select the run's config and the test's project (see `rerunSelection`); none by default. */
  readonly rerun?: Pick<RerunTarget, 'config' | 'project' | 'runRelativePath'>;
  /** Which tests get an HTML timeline, as the reporter's `html` option; none by default. */
  readonly html?: HtmlOption;
  /** The path of a test's HTML timeline, as the report shows it; without it no test gets one. */
  readonly htmlPath?: (test: TestTrace) => string;
}

/**
 * Builds the report of one test file from its trace. Pure: the same trace and options give the same
 * report, so the reporter's output can be tested without Jest.
 */
export function buildFileReport(trace: FileTrace, options: BuildFileReportOptions): FileReport {
  const jestStatus = new Map((options.jestResult?.testResults ?? []).map((result) => [result.fullName, result.status]));
  const relativePath = trace.testPath;
  return {
    relativePath,
    roles: trace.roles,
    seed: trace.seed,
    mode: trace.mode,
    tests: trace.tests
      .filter((test) => test.multinode)
      .map((test) => buildTestReport(trace, test, relativePath, jestStatus.get(test.id), options)),
    roleErrors: trace.roleErrors.map((roleError) => ({
      role: roleError.role,
      offsetMs: offsetMs(roleError.time, trace.startedAt),
      message: excerpt(roleError.error.message, 4),
    })),
    messagesOmitted: trace.messagesOmitted,
    tracePath: options.tracePath ?? null,
  };
}

function buildTestReport(
  trace: FileTrace,
  test: TestTrace,
  relativePath: string,
  jestStatus: string | undefined,
  options: BuildFileReportOptions,
): TestReport {
  const outcomes = roleOutcomes(test, trace.roles);
  const rolesVerdict = mergeVerdict(outcomes);
  const failedOnlyInJest = jestStatus === 'failed' && rolesVerdict !== 'failed';
  const verdict = failedOnlyInJest ? 'failed' : rolesVerdict;
  const showTimeline = options.logs === 'all' || (options.logs === 'failed' && verdict === 'failed');
  const html = options.html ?? 'none';
  const showHtml = html === 'all' || (html === 'failed' && verdict === 'failed');
  const failures = verdict === 'failed' ? orderFailures(test, trace.roles, options.readSource) : [];
  const rootCauses = failures.filter((failure) => failure.cause === 'root-cause').map((failure) => failure.role);
  return {
    fullName: test.id,
    titles: test.titles,
    verdict,
    outcomes,
    failures,
    failedOnlyInJest,
    firstAnomaly: verdict === 'failed' ? firstAnomaly(trace, test, rootCauses) : null,
    timeline: showTimeline
      ? buildTimeline(trace, test, {
          messages: options.logs === 'all' ? 'each' : 'count',
          maxLines: options.maxTimelineLines ?? DEFAULT_MAX_TIMELINE_LINES,
        })
      : null,
    rerunCommand: verdict === 'failed' ? rerunCommand({ ...options.rerun, seed: trace.seed, mode: trace.modeFromEnv ? trace.mode : null, relativePath, fullName: test.id }) : null,
    htmlPath: showHtml ? (options.htmlPath?.(test) ?? null) : null,
  };
}
