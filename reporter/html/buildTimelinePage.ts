import type { FileTrace, TestTrace, TraceEvent } from '../../src/harness';
import type { SourceReader } from '../codeFrame';
import { firstAnomaly } from '../firstAnomaly';
import { excerpt } from '../format';
import { rerunCommand, type RerunTarget } from '../rerunCommand';
import { describeEvent } from '../timeline';
import { mergeVerdict, orderFailures, roleOutcomes } from '../verdict';
import { DEFAULT_ARROW_THRESHOLD, bundleMessages } from './bundleMessages';
import { causalTimes } from './causalTimes';
import { faultWindows } from './faultWindows';
import type { PageBarrier, PageFailure, PageLog, PageMessage, PagePhase, PageRole, TimelinePage } from './pageModel';

/** Options of `buildTimelinePage`. */
export interface TimelinePageOptions {
  /** How the rerun command selects the run's config and the test's project (see `rerunSelection`). */
  readonly rerun?: Pick<RerunTarget, 'config' | 'project' | 'runRelativePath'>;
  /** True when Jest reported the test failed although every role passed. */
  readonly failedInJest?: boolean;
  /** Past this many messages, arrows are bundled (default 2000). */
  readonly arrowThreshold?: number;
  /** Reads the test's source files, for the code frame of each root cause; without it there is none. */
  readonly readSource?: SourceReader;
}

type MessageEvent = Extract<TraceEvent, { type: 'message' }>;

/** How many lines of each error a failure marker carries. */
const FAILURE_LINES = 6;

/**
 * The data of `test`'s HTML timeline, from its file's trace. Pure: the same trace gives the same
 * page. Events are those recorded during the test; faults come from the whole file, since a fault
 * set in an earlier test is still in force.
 */
export function buildTimelinePage(trace: FileTrace, test: TestTrace, options: TimelinePageOptions = {}): TimelinePage {
  const events = trace.events.filter((event) => event.test === test.id);
  const times = causalTimes(events);
  const t0 = test.startedAt;
  const rel = (time: number): number => Math.round((time - t0) * 1000) / 1000;
  // A loop, not Math.max(...times): a test can have hundreds of thousands of events.
  let lastEvent = test.finishedAt;
  for (const time of [...times.at, ...times.receivedAt]) if (time !== null && time > lastEvent) lastEvent = time;
  const endMs = rel(lastEvent);

  const outcomes = roleOutcomes(test, trace.roles);
  const rolesVerdict = mergeVerdict(outcomes);
  const verdict = options.failedInJest === true && rolesVerdict !== 'failed' ? 'failed' : rolesVerdict;
  const failures = verdict === 'failed' ? orderFailures(test, trace.roles, options.readSource) : [];
  const causeOf = new Map(failures.map((failure) => [failure.role, failure.cause]));
  const roles: PageRole[] = outcomes.map((outcome) => ({ ...outcome, cause: causeOf.get(outcome.role) ?? null }));

  const messages: PageMessage[] = [];
  const logs: PageLog[] = [];
  const barriers: PageBarrier[] = [];
  const entered = new Map<string, { name: string; gather: boolean; startMs: number }>();
  const endOfRole = new Map<string, number>();
  events.forEach((event, index) => {
    const ms = rel(times.at[index]);
    switch (event.type) {
      case 'message':
        messages.push(pageMessage(event, ms, times.receivedAt[index], rel));
        break;
      case 'log':
        logs.push({ role: event.role, ms, level: event.level, text: describeEvent(event).text });
        break;
      case 'node':
        logs.push({ role: event.role, ms, level: 'node', text: `node ${describeEvent(event).text}` });
        break;
      case 'barrier-enter':
        entered.set(`${event.role}\u0000${event.name}`, { name: event.name, gather: event.gather !== undefined, startMs: ms });
        break;
      case 'barrier-leave': {
        const key = `${event.role}\u0000${event.name}`;
        const enter = entered.get(key);
        entered.delete(key);
        barriers.push({ role: event.role, name: event.name, gather: event.gather !== undefined, startMs: enter?.startMs ?? ms, endMs: ms, outcome: event.outcome });
        break;
      }
      case 'test-end':
        endOfRole.set(event.role, ms);
        break;
      default:
        break;
    }
  });
  for (const [key, enter] of entered) {
    barriers.push({ role: key.slice(0, key.indexOf('\u0000')), ...enter, endMs: endMs, outcome: 'open' });
  }
  barriers.sort((x, y) => x.startMs - y.startMs);
  logs.sort((x, y) => x.ms - y.ms);

  const threshold = options.arrowThreshold ?? DEFAULT_ARROW_THRESHOLD;
  messages.sort((x, y) => x.sendMs - y.sendMs);
  const { arrows, slotMs } = bundleMessages(messages, endMs, threshold);
  const typeCounts = new Map<string, number>();
  for (const message of messages) typeCounts.set(message.type, (typeCounts.get(message.type) ?? 0) + 1);

  const pageFailures: PageFailure[] = failures.map((failure) => ({
    role: failure.role,
    ms: endOfRole.get(failure.role) ?? Math.min(endMs, outcomes.find((o) => o.role === failure.role)?.durationMs ?? endMs),
    cause: failure.cause,
    rootRole: failure.rootRole,
    messages: errorsOf(test, failure.role, failure.messages.map((lines) => lines.join('\n'))),
    codeFrame: failure.codeFrame,
  }));
  const rootCauses = failures.filter((failure) => failure.cause === 'root-cause').map((failure) => failure.role);
  const anomaly = verdict === 'failed' ? firstAnomaly(trace, test, rootCauses) : null;

  return {
    file: trace.testPath,
    test: test.id,
    titles: test.titles,
    verdict,
    seed: trace.seed,
    mode: trace.mode,
    rerun:
      verdict === 'failed'
        ? rerunCommand({ ...options.rerun, seed: trace.seed, mode: trace.modeFromEnv ? trace.mode : null, relativePath: trace.testPath, fullName: test.id })
        : null,
    startedAt: t0,
    endMs,
    roles,
    phases: phasesOf(barriers, trace.roles[0], rel(test.finishedAt)),
    messages: arrows,
    messageSummary: {
      total: messages.length,
      arrows: arrows.length,
      bundled: slotMs !== null,
      bundleSlotMs: slotMs === null ? null : Math.round(slotMs * 1000) / 1000,
      threshold,
      omittedFromTrace: trace.messagesOmitted,
    },
    messageTypes: [...typeCounts].map(([type, count]) => ({ type, count })).sort((x, y) => y.count - x.count || x.type.localeCompare(y.type)),
    faults: faultWindows(trace.events, trace.roles)
      .filter((window) => window.start <= lastEvent && (window.end === null || window.end >= t0))
      .map((window) => ({
        kind: window.kind,
        label: window.label,
        roles: window.roles,
        startMs: Math.max(0, rel(window.start)),
        endMs: window.end === null || window.end > lastEvent ? endMs : rel(window.end),
        open: window.end === null || window.end > lastEvent,
      })),
    barriers,
    logs,
    failures: pageFailures,
    firstAnomaly: anomaly === null ? null : { role: anomaly.role, ms: anomaly.offsetMs, kind: anomaly.kind, text: anomaly.text },
  };
}

function pageMessage(event: MessageEvent, sendMs: number, receivedAt: number | null, rel: (time: number) => number): PageMessage {
  return {
    from: event.role,
    to: event.to,
    type: event.preview,
    count: 1,
    seq: event.seq,
    sendMs,
    receiveMs: receivedAt === null ? null : rel(receivedAt),
    dropped: event.dropped,
    delayMs: event.delayMs,
  };
}

/** The role's error messages, longer than the terminal's excerpt; `fallback` when it recorded none. */
function errorsOf(test: TestTrace, role: string, fallback: readonly string[]): string[] {
  const errors = Object.prototype.hasOwnProperty.call(test.results, role) ? test.results[role].errors : [];
  return errors.length === 0 ? [...fallback] : errors.map((error) => excerpt(error.message, FAILURE_LINES, 400).join('\n'));
}

/**
 * The test cut at each release of a barrier the lead passed: `start → 'joined'`, `'joined' →
 * 'written'`, ..., then `'written' → end`. One phase, `whole test`, when the lead passed none.
 */
function phasesOf(barriers: readonly PageBarrier[], lead: string | undefined, endMs: number): PagePhase[] {
  const releases = barriers.filter((barrier) => barrier.role === lead && barrier.outcome === 'passed').sort((x, y) => x.endMs - y.endMs);
  if (releases.length === 0) return [{ name: 'whole test', startMs: 0, endMs }];
  const phases: PagePhase[] = [];
  let from = { label: 'start', ms: 0 };
  for (const release of releases) {
    phases.push({ name: `${from.label} → '${release.name}'`, startMs: from.ms, endMs: release.endMs });
    from = { label: `'${release.name}'`, ms: release.endMs };
  }
  phases.push({ name: `${from.label} → end`, startMs: from.ms, endMs: Math.max(from.ms, endMs) });
  return phases;
}
