import type { RoleOutcome } from '../src/harness';
import type { Colors } from './ansi';
import { formatDuration, formatOffset, stripAnsi } from './format';
import type { FileReport, RoleFailure, RoleOutcomeReport, TestReport, Timeline, TimelineKind, Verdict } from './model';

const INDENT = '  ';

/**
 * Renders a file's report as text lines (no trailing newline). Thin by design: every decision about
 * what to show was made by `buildFileReport`; this only lays it out and colours it.
 */
export function renderFileReport(report: FileReport, colors: Colors): string {
  const lines: string[] = [];
  lines.push(
    `${colors.bold('multinode')} ${report.relativePath} ${colors.dim(`(roles ${report.roles.join(', ')} · seed ${report.seed}${report.mode === 'threads' ? '' : ` · ${report.mode}`})`)}`,
  );
  for (const test of report.tests) lines.push(...renderTest(test, report, colors));
  if (report.roleErrors.length > 0) {
    lines.push(`${INDENT}${colors.red('Role errors outside tests')} ${colors.dim('(ms since the file started)')}`);
    const width = Math.max(...report.roleErrors.map((roleError) => roleError.role.length));
    for (const roleError of report.roleErrors) {
      const head = `${INDENT.repeat(2)}${colors.bold(roleError.role.padEnd(width))}  ${colors.dim(formatOffset(roleError.offsetMs))}  `;
      lines.push(...hanging(head, roleError.message));
    }
  }
  if (report.messagesOmitted > 0) {
    lines.push(`${INDENT}${colors.dim(`${report.messagesOmitted} node messages were left out of the trace (per-role cap reached).`)}`);
  }
  return lines.join('\n');
}

function renderTest(test: TestReport, report: FileReport, colors: Colors): string[] {
  const name = test.titles.length > 0 ? test.titles.join(' › ') : test.fullName;
  const roles = test.outcomes.map((outcome) => renderOutcome(outcome, colors)).join(colors.dim(' · '));
  const lines = [`${INDENT}${verdictSymbol(test.verdict, colors)} ${name}   ${roles}`];
  const detail = INDENT.repeat(3);

  if (test.failedOnlyInJest) {
    lines.push(`${detail}${colors.yellow('Every role passed, but Jest reported the test as failed; see its message above.')}`);
  }
  // The first screen: what failed first and where, what went wrong before it, and the page to open.
  const roleWidth = Math.max(0, ...test.failures.map((failure) => failure.role.length));
  const rootCauses = test.failures.filter((failure) => failure.cause === 'root-cause');
  for (const failure of rootCauses) lines.push(...renderFailure(failure, detail, roleWidth, colors));
  if (test.verdict === 'failed' && rootCauses.length > 0) {
    const anomaly = test.firstAnomaly;
    const before = `before ${rootCauses.map((failure) => failure.role).join(', ')} failed`;
    lines.push(
      anomaly === null
        ? `${detail}${colors.yellow('first anomaly')}  ${colors.dim(`none in the trace ${before} (no drop, fault, failed barrier, crash, error or warn log)`)}`
        : `${detail}${colors.yellow('first anomaly')}  ${colors.dim(formatOffset(anomaly.offsetMs))}  ${colors.bold(anomaly.role)}  ${kindColor(anomaly.kind, colors)(anomaly.kind)}  ${anomaly.text.split('\n')[0]}  ${colors.dim(`(${before})`)}`,
    );
  }
  if (test.htmlPath !== null && test.verdict === 'failed') lines.push(`${detail}${colors.dim('html timeline:')} ${test.htmlPath}`);
  for (const failure of test.failures) {
    if (failure.cause === 'consequence') lines.push(...renderFailure(failure, detail, roleWidth, colors));
  }
  if (test.timeline !== null && test.timeline.lines.length > 0) {
    const lead = report.roles[0] ?? 'the lead';
    const concurrency = test.timeline.lines.some((line) => line.concurrentGroup !== null) ? '; ┌ └ join concurrent lines, whose order only the clocks give' : '';
    lines.push(`${detail}${colors.dim(`timeline (ms since the test started on ${lead}, in causal order${concurrency})`)}`);
    lines.push(...renderTimeline(test.timeline, report, colors, detail + INDENT));
  }
  if (test.rerunCommand !== null) lines.push(`${detail}${colors.dim('rerun:')} ${test.rerunCommand}`);
  return lines;
}

/** A failing role's label and messages; a root cause's code frame under its first message. */
function renderFailure(failure: RoleFailure, indent: string, roleWidth: number, colors: Colors): string[] {
  const label = failure.cause === 'root-cause' ? colors.red('root cause ') : colors.dim('consequence');
  const head = `${indent}${label}  ${colors.bold(failure.role.padEnd(roleWidth))}  `;
  const under = ' '.repeat(stripAnsi(head).length);
  return failure.messages.flatMap((message, index) => {
    const lines = hanging(head, message);
    if (index === 0 && failure.codeFrame !== null) {
      lines.push(`${under}${colors.dim(`at ${failure.codeFrame.location}`)}`);
      for (const line of failure.codeFrame.lines) lines.push(`${under}${line.startsWith('>') ? colors.red(line) : colors.dim(line)}`);
    }
    return lines;
  });
}

function renderTimeline(timeline: Timeline, report: FileReport, colors: Colors, indent: string): string[] {
  const lines: string[] = [];
  if (timeline.omittedLines > 0) {
    const where = report.tracePath === null ? '' : `; the whole trace is in ${report.tracePath}`;
    lines.push(`${indent}${colors.dim(`… ${timeline.omittedLines} earlier lines left out${where}`)}`);
  }
  const roleWidth = Math.max(1, ...timeline.lines.map((line) => line.role.length));
  const kindWidth = Math.max(...timeline.lines.map((line) => line.kind.length));
  timeline.lines.forEach((line, index) => {
    const marker = colors.dim(concurrencyMarker(timeline, index));
    const head = `${indent}${colors.dim(formatOffset(line.offsetMs))} ${marker} ${colors.bold(line.role.padEnd(roleWidth))}  ${kindColor(line.kind, colors)(line.kind.padEnd(kindWidth))}  `;
    lines.push(...hanging(head, line.text.split('\n')));
  });
  return lines;
}

/** `┌`, `│` or `└` for a line of a run of concurrent lines, by its place in the run; a space otherwise. */
function concurrencyMarker(timeline: Timeline, index: number): string {
  const group = timeline.lines[index].concurrentGroup;
  if (group === null) return ' ';
  const withPrevious = index > 0 && timeline.lines[index - 1].concurrentGroup === group;
  const withNext = index + 1 < timeline.lines.length && timeline.lines[index + 1].concurrentGroup === group;
  if (withPrevious && withNext) return '│';
  if (withNext) return '┌';
  return withPrevious ? '└' : ' ';
}

function renderOutcome(outcome: RoleOutcomeReport, colors: Colors): string {
  const role = outcome.role;
  const duration = formatDuration(outcome.durationMs);
  switch (outcome.status) {
    case 'passed':
      return `${role} ${colors.green('✓')} ${duration}`;
    case 'failed':
      return `${role} ${colors.red('✕')} ${duration}`;
    case 'terminated':
      // A role terminated before the test started has no time in it.
      return outcome.durationMs > 0 ? `${role} ${colors.red('✕ terminated')} after ${duration}` : `${role} ${colors.red('✕ terminated')}`;
    case 'skipped':
      return `${role} ${colors.yellow('○ skipped')}`;
    case 'missing':
      return `${role} ${colors.red('? no result')}`;
    default:
      return assertNever(outcome.status);
  }
}

function verdictSymbol(verdict: Verdict, colors: Colors): string {
  if (verdict === 'passed') return colors.green('✓');
  if (verdict === 'failed') return colors.red('✕');
  return colors.yellow('○');
}

function kindColor(kind: TimelineKind, colors: Colors): (text: string) => string {
  switch (kind) {
    case 'error':
      return colors.red;
    case 'warn':
      return colors.yellow;
    case 'fault':
      return colors.magenta;
    case 'barrier':
      return colors.cyan;
    case 'node':
      return colors.blue;
    case 'info':
      return (text) => text;
    default:
      return colors.dim;
  }
}

/** `head` before the first line of `text`; the other lines indented to line up under the first. */
function hanging(head: string, text: readonly string[]): string[] {
  const width = stripAnsi(head).length;
  return text.map((line, index) => (index === 0 ? `${head}${line}` : `${' '.repeat(width)}${line}`));
}

function assertNever(value: never): never {
  throw new Error(`Unexpected role outcome ${JSON.stringify(value as RoleOutcome)}.`);
}
