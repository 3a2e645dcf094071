import type { FaultCommand, FileTrace, GatherSize, TestTrace, TraceEvent } from '../src/harness';
import { formatDuration, offsetMs } from './format';
import type { Timeline, TimelineLine } from './model';

/** How a timeline shows node-to-node messages. */
export type MessageDetail = 'each' | 'count';

/** Options of `buildTimeline`. */
export interface TimelineOptions {
  /** `'each'`: one line per message; `'count'`: each run of consecutive messages becomes one summary line. */
  readonly messages: MessageDetail;
  /** Keep at most this many lines, the last ones (a failure is usually near the end). */
  readonly maxLines: number;
}

/** The default cap on timeline lines per test. */
export const DEFAULT_MAX_TIMELINE_LINES = 200;

type MessageEvent = Extract<TraceEvent, { type: 'message' }>;

/**
 * The merged timeline of one test: every role's events of that test sorted by time (ties keep the
 * recording role's Lamport order), each with its offset from the test's start on the lead.
 */
export function buildTimeline(trace: FileTrace, test: TestTrace, options: TimelineOptions): Timeline {
  const events = trace.events
    .map((event, index) => ({ event, index }))
    .filter(({ event }) => event.test === test.id)
    .sort((x, y) => x.event.time - y.event.time || x.event.lamport - y.event.lamport || x.index - y.index)
    .map(({ event }) => event);

  const lines: TimelineLine[] = [];
  let pending: MessageEvent[] = [];
  const flushMessages = (): void => {
    if (pending.length > 0) lines.push(summariseMessages(pending, test.startedAt));
    pending = [];
  };
  for (const event of events) {
    if (event.type === 'message' && options.messages === 'count') {
      pending.push(event);
      continue;
    }
    flushMessages();
    lines.push({ offsetMs: offsetMs(event.time, test.startedAt), role: event.role, ...describeEvent(event) });
  }
  flushMessages();

  const maxLines = Math.max(0, Math.floor(options.maxLines));
  const omittedLines = Math.max(0, lines.length - maxLines);
  return { lines: lines.slice(omittedLines), omittedLines };
}

/** The kind and text of one event's timeline line. */
export function describeEvent(event: TraceEvent): Pick<TimelineLine, 'kind' | 'text'> {
  switch (event.type) {
    case 'log':
      return { kind: event.level, text: withFields(event.message, event.fields) };
    case 'barrier-enter':
      return { kind: 'barrier', text: `enter ${event.gather === undefined ? '' : 'gather '}'${event.name}'${gatherSize(event.gather)}` };
    case 'barrier-leave':
      return { kind: 'barrier', text: `leave ${event.gather === undefined ? '' : 'gather '}'${event.name}'${event.outcome === 'failed' ? ' (failed)' : gatherSize(event.gather)}` };
    case 'fault':
      return { kind: 'fault', text: describeFault(event.fault) };
    case 'test-start':
      return { kind: 'test', text: 'start' };
    case 'test-end':
      return { kind: 'test', text: `end (${event.status})` };
    case 'node':
      return { kind: 'node', text: `${event.event} (incarnation ${event.incarnation})` };
    case 'message':
      return { kind: 'send', text: describeMessage(event) };
    default:
      return assertNever(event);
  }
}

/** A gather's size for its timeline line, e.g. ` (3 values, 120 B)`; empty for a barrier. */
function gatherSize(size: GatherSize | undefined): string {
  if (size === undefined) return '';
  return ` (${size.values} value${size.values === 1 ? '' : 's'}, ${size.bytes} B)`;
}

/** A fault command in a compact form: `partition a | b c`, `blackhole a → b`, `delay a → b 10-50 ms`. */
export function describeFault(fault: FaultCommand): string {
  switch (fault.kind) {
    case 'partition':
      return `partition ${fault.sideA.join(' ')} | ${fault.sideB.join(' ')}`;
    case 'blackhole':
      return `blackhole ${fault.from} → ${fault.to}`;
    case 'heal':
      if (fault.sideA === undefined) return 'heal (every link)';
      if (fault.sideB === undefined) return `heal ${fault.sideA.join(' ')} | (every other role)`;
      return `heal ${fault.sideA.join(' ')} | ${fault.sideB.join(' ')}`;
    case 'delay': {
      const range = fault.minMs === fault.maxMs ? `${fault.minMs} ms` : `${fault.minMs}-${fault.maxMs} ms`;
      return `delay ${fault.from} → ${fault.to} by ${range}`;
    }
    case 'drop':
      return `drop ${fault.from} → ${fault.to} with probability ${fault.probability}`;
    case 'crash':
    case 'restart':
    case 'leave':
      return `${fault.kind} ${fault.role}`;
    default:
      return assertNever(fault);
  }
}

function describeMessage(event: MessageEvent): string {
  const head = `→ ${event.to} #${event.seq} ${event.preview}`;
  if (event.dropped !== null) return `${head} · dropped (${event.dropped})`;
  const delay = event.delayMs > 0 ? ` · delayed ${formatDuration(event.delayMs)}` : '';
  if (event.receivedAt === null) return `${head}${delay} · not received`;
  return `${head}${delay} · received after ${formatDuration(offsetMs(event.receivedAt, event.time))}`;
}

/** One line standing for a run of consecutive messages: who sent how many to whom, and the drops. */
function summariseMessages(messages: readonly MessageEvent[], testStart: number): TimelineLine {
  const perLink = new Map<string, number>();
  const drops = new Map<string, number>();
  for (const message of messages) {
    const link = `${message.role}→${message.to}`;
    perLink.set(link, (perLink.get(link) ?? 0) + 1);
    if (message.dropped !== null) drops.set(message.dropped, (drops.get(message.dropped) ?? 0) + 1);
  }
  const links = [...perLink].map(([link, count]) => `${link} ${count}`);
  const shownLinks = links.length > 6 ? [...links.slice(0, 6), `${links.length - 6} more links`] : links;
  const dropped = [...drops.values()].reduce((sum, count) => sum + count, 0);
  const dropText =
    dropped === 0 ? '' : `; ${dropped} dropped (${[...drops].map(([reason, count]) => `${reason} ${count}`).join(', ')})`;
  const senders = new Set(messages.map((message) => message.role));
  const noun = messages.length === 1 ? 'node message' : 'node messages';
  return {
    offsetMs: offsetMs(messages[0].time, testStart),
    role: senders.size === 1 ? messages[0].role : '*',
    kind: 'messages',
    text: `${messages.length} ${noun}: ${shownLinks.join(', ')}${dropText}`,
  };
}

function withFields(message: string, fields: Record<string, unknown> | undefined): string {
  if (fields === undefined || Object.keys(fields).length === 0) return message;
  let json: string;
  try {
    json = JSON.stringify(fields);
  } catch {
    json = '{…}';
  }
  return `${message} ${json.length > 300 ? `${json.slice(0, 299)}…` : json}`;
}

function assertNever(value: never): never {
  throw new Error(`Unexpected trace value ${JSON.stringify(value)}; the trace was written by a newer version.`);
}
