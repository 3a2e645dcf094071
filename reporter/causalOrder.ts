import type { FileTrace, TestTrace, TraceEvent } from '../src/harness';

/** A node-to-node message as the trace records it: one event, its send, with the receipt's time and clock. */
export type MessageEvent = Extract<TraceEvent, { type: 'message' }>;

/**
 * One point of a causal order: a trace event as recorded, or the receipt of a message on the role it
 * was sent to (the trace keeps a message as one event; its receipt is a point of the receiver's own
 * history, with the receiver's time and Lamport clock).
 */
export type CausalEntry =
  | { readonly kind: 'event'; readonly event: TraceEvent; readonly role: string; readonly time: number; readonly lamport: number }
  | { readonly kind: 'receive'; readonly message: MessageEvent; readonly role: string; readonly time: number; readonly lamport: number };

/** Trace events in an order that never contradicts causality, and which of them are concurrent. */
export interface CausalOrder {
  readonly entries: readonly CausalEntry[];
  /**
   * True when entry `a` happened before entry `b` (indices into `entries`): a chain of roles' own
   * order, messages and barriers leads from `a` to `b`.
   */
  happenedBefore(a: number, b: number): boolean;
  /** True when neither entry happened before the other: their listed order is only what the clocks say. */
  concurrent(a: number, b: number): boolean;
}

/**
 * Orders `events` causally where messages and barriers link them and by time otherwise. Each role's
 * own events keep their Lamport order; the receipt of a message comes after its send even when the
 * receiver's clock reads earlier; leaving a barrier that passed comes after every role entered it.
 * Among events free to go next, the earliest by time goes first (then the lower Lamport clock, then
 * the role listed first in `roles`, then the order in `events`). Received messages add a `receive`
 * entry on the receiving role. Pure, and linear in the number of events times the number of roles.
 *
 * A trace whose clocks contradict themselves (a receipt that its own send depends on, possible only
 * in hand-written traces) does not stop the order: the blocked entry that comes first by time goes.
 */
export function causalOrder(events: readonly TraceEvent[], roles: readonly string[] = []): CausalOrder {
  const entries = withReceipts(events);
  const roleIndex = new Map<string, number>();
  for (const role of [...roles, ...entries.map((entry) => entry.role)]) if (!roleIndex.has(role)) roleIndex.set(role, roleIndex.size);

  // Each role's history in its own order, as a queue of entry indices.
  const queues: number[][] = Array.from({ length: roleIndex.size }, () => []);
  entries.forEach((entry, index) => queues[roleIndex.get(entry.role)!].push(index));
  for (const queue of queues) queue.sort((x, y) => entries[x].lamport - entries[y].lamport || entries[x].time - entries[y].time || x - y);

  const waitsFor = dependencies(entries, queues);
  const width = roleIndex.size;
  const clocks: Int32Array[] = new Array<Int32Array>(entries.length);
  const emitted = new Uint8Array(entries.length);
  const heads = new Array<number>(queues.length).fill(0);
  const order: number[] = [];
  const rank = (index: number): number => roleIndex.get(entries[index].role)!;
  const before = (x: number, y: number): boolean =>
    (entries[x].time - entries[y].time || entries[x].lamport - entries[y].lamport || rank(x) - rank(y) || x - y) < 0;

  while (order.length < entries.length) {
    let next = -1;
    let blocked = -1;
    for (let r = 0; r < queues.length; r++) {
      if (heads[r] >= queues[r].length) continue;
      const candidate = queues[r][heads[r]];
      if ((waitsFor.get(candidate) ?? []).some((other) => emitted[other] === 0)) {
        if (blocked === -1 || before(candidate, blocked)) blocked = candidate;
      } else if (next === -1 || before(candidate, next)) {
        next = candidate;
      }
    }
    if (next === -1) next = blocked;
    const r = rank(next);
    const previous = heads[r] > 0 ? clocks[queues[r][heads[r] - 1]] : undefined;
    const clock = previous === undefined ? new Int32Array(width) : Int32Array.from(previous);
    for (const other of waitsFor.get(next) ?? []) {
      if (emitted[other] === 0) continue;
      const known = clocks[other];
      for (let i = 0; i < width; i++) if (known[i] > clock[i]) clock[i] = known[i];
    }
    clock[r] = heads[r] + 1;
    clocks[next] = clock;
    emitted[next] = 1;
    heads[r]++;
    order.push(next);
  }

  const happenedBefore = (a: number, b: number): boolean => {
    if (a === b) return false;
    const x = order[a];
    const y = order[b];
    const r = rank(x);
    return clocks[x][r] <= clocks[y][r];
  };
  return {
    entries: order.map((index) => entries[index]),
    happenedBefore,
    concurrent: (a, b) => a !== b && !happenedBefore(a, b) && !happenedBefore(b, a),
  };
}

/** The causal order of the events of one test of `trace`. */
export function testOrder(trace: FileTrace, test: TestTrace): CausalOrder {
  return causalOrder(
    trace.events.filter((event) => event.test === test.id),
    trace.roles,
  );
}

/**
 * The entries each entry must come after besides its role's earlier ones: a receipt waits for its
 * send; leaving a barrier or gather that passed waits for every role's entering of that same barrier
 * (the n-th entering of a name on each role goes with the n-th leaving of it).
 */
function dependencies(entries: readonly CausalEntry[], queues: readonly number[][]): Map<number, number[]> {
  const waitsFor = new Map<number, number[]>();
  const indexOfEvent = new Map<TraceEvent, number>();
  entries.forEach((entry, index) => {
    if (entry.kind === 'event') indexOfEvent.set(entry.event, index);
  });
  const enters = new Map<string, number[]>();
  const leaves: { index: number; key: string }[] = [];
  for (const queue of queues) {
    const entered = new Map<string, number>();
    const left = new Map<string, number>();
    for (const index of queue) {
      const entry = entries[index];
      if (entry.kind === 'receive') {
        waitsFor.set(index, [indexOfEvent.get(entry.message)!]);
        continue;
      }
      const event = entry.event;
      if (event.type === 'barrier-enter') {
        const key = `${event.name}\u0000${count(entered, event.name)}`;
        enters.set(key, [...(enters.get(key) ?? []), index]);
      } else if (event.type === 'barrier-leave') {
        const key = `${event.name}\u0000${count(left, event.name)}`;
        if (event.outcome === 'passed') leaves.push({ index, key });
      }
    }
  }
  for (const { index, key } of leaves) {
    const role = entries[index].role;
    waitsFor.set(index, (enters.get(key) ?? []).filter((enter) => entries[enter].role !== role));
  }
  return waitsFor;
}

/** Counts one more `name` in `counts` and returns how many there were before. */
function count(counts: Map<string, number>, name: string): number {
  const seen = counts.get(name) ?? 0;
  counts.set(name, seen + 1);
  return seen;
}

/** One entry per event, plus one `receive` entry per message that reached its receiver. */
function withReceipts(events: readonly TraceEvent[]): CausalEntry[] {
  const entries: CausalEntry[] = [];
  for (const event of events) {
    entries.push({ kind: 'event', event, role: event.role, time: event.time, lamport: event.lamport });
    if (event.type === 'message' && event.dropped === null && event.receivedAt !== null && event.receiveLamport !== null) {
      entries.push({ kind: 'receive', message: event, role: event.to, time: event.receivedAt, lamport: event.receiveLamport });
    }
  }
  return entries;
}
