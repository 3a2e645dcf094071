import type { FaultCommand, FileTrace, GatherSize, TestTrace, TraceEvent } from '../src/harness';
import { formatDuration, offsetMs } from './format';
import { testOrder, type CausalOrder, type MessageEvent } from './causalOrder';
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

/**
 * The merged timeline of one test: every role's events of that test in causal order (see
 * `causalOrder`: where messages and barriers link events, by time otherwise), each with its offset
 * from the test's start on the lead. With messages shown one by one, a received message also gets a
 * line on its receiver. Runs of adjacent lines with no causal order between them share a
 * `concurrentGroup`.
 */
export function buildTimeline(trace: FileTrace, test: TestTrace, options: TimelineOptions): Timeline {
  const order = testOrder(trace, test);

  // Each line with the causal entry it stands for (none for a summary of several messages).
  const lines: { line: Omit<TimelineLine, 'concurrentGroup'>; entry: number | null }[] = [];
  let pending: MessageEvent[] = [];
  const flushMessages = (): void => {
    if (pending.length > 0) lines.push({ line: summariseMessages(pending, test.startedAt), entry: null });
    pending = [];
  };
  order.entries.forEach((entry, index) => {
    if (options.messages === 'count' && entry.kind === 'receive') return;
    if (options.messages === 'count' && entry.kind === 'event' && entry.event.type === 'message') {
      pending.push(entry.event);
      return;
    }
    flushMessages();
    const described = entry.kind === 'event' ? describeEvent(entry.event) : describeReceipt(entry.message);
    lines.push({ line: { offsetMs: offsetMs(entry.time, test.startedAt), role: entry.role, ...described }, entry: index });
  });
  flushMessages();

  const maxLines = Math.max(0, Math.floor(options.maxLines));
  const omittedLines = Math.max(0, lines.length - maxLines);
  const shown = lines.slice(omittedLines);
  const groups = concurrentGroups(shown.map(({ entry }) => entry), order);
  return { lines: shown.map(({ line }, index) => ({ ...line, concurrentGroup: groups[index] })), omittedLines };
}

/**
 * Splits lines into runs whose causal entries are pairwise concurrent, greedily from the first line,
 * and numbers the runs of two lines or more (1, 2, ...); other lines get null. A line without an entry
 * (a summary) ends a run.
 */
function concurrentGroups(entries: readonly (number | null)[], order: CausalOrder): (number | null)[] {
  const groups = new Array<number | null>(entries.length).fill(null);
  let next = 1;
  let run: number[] = [];
  const close = (): void => {
    if (run.length > 1) {
      for (const at of run) groups[at] = next;
      next++;
    }
    run = [];
  };
  entries.forEach((entry, at) => {
    if (entry === null) {
      close();
      return;
    }
    if (!run.every((other) => order.concurrent(entries[other]!, entry))) close();
    run.push(at);
  });
  close();
  return groups;
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

/** A received message's line on its receiver: `← a #3 {"type":"put"}`. */
function describeReceipt(message: MessageEvent): Pick<TimelineLine, 'kind' | 'text'> {
  return { kind: 'receive', text: `← ${message.role} #${message.seq} ${message.preview}` };
}

function describeMessage(event: MessageEvent): string {
  const head = `→ ${event.to} #${event.seq} ${event.preview}`;
  if (event.dropped !== null) return `${head} · dropped (${event.dropped})`;
  const delay = event.delayMs > 0 ? ` · delayed ${formatDuration(event.delayMs)}` : '';
  if (event.receivedAt === null) return `${head}${delay} · not received`;
  return `${head}${delay} · received after ${formatDuration(offsetMs(event.receivedAt, event.time))}`;
}

/** One line standing for a run of consecutive messages: who sent how many to whom, and the drops. */
function summariseMessages(messages: readonly MessageEvent[], testStart: number): Omit<TimelineLine, 'concurrentGroup'> {
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
