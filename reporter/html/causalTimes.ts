import type { TraceEvent } from '../../src/harness';

/** The times at which the page draws a test's events. */
export interface CausalTimes {
  /** The drawn time of `events[index]` (for a message, its send). */
  readonly at: readonly number[];
  /** The drawn receive time of `events[index]` when it is a received message, else null. */
  readonly receivedAt: readonly (number | null)[];
}

interface Point {
  readonly index: number;
  readonly role: string;
  readonly lamport: number;
  readonly time: number;
  readonly receive: boolean;
}

/**
 * Times for drawing `events` so that the picture is causally consistent. Each role's clock and the
 * harness clock can disagree by a little (threads read the clock at different moments; in
 * simulation many events share one virtual instant), so the recorded times alone could draw a
 * receive before its send, or a role's events out of the order its Lamport clock gives. The points
 * (every event, and every receive on its receiving role) are walked in Lamport order, which puts a
 * send before its receive and keeps each role's own order; each point is drawn at its recorded time
 * or, when that is earlier, at the latest drawn time it must follow (its role's previous point, and
 * for a receive its send). Events not linked by messages keep their recorded times, so concurrent
 * events stay where the clock put them.
 */
export function causalTimes(events: readonly TraceEvent[]): CausalTimes {
  const points: Point[] = [];
  events.forEach((event, index) => {
    points.push({ index, role: event.role, lamport: event.lamport, time: event.time, receive: false });
    if (event.type === 'message' && event.receivedAt !== null) {
      // A receive without a Lamport clock only has to follow its send.
      const lamport = event.receiveLamport ?? Number.POSITIVE_INFINITY;
      points.push({ index, role: event.to, lamport, time: event.receivedAt, receive: true });
    }
  });
  points.sort((x, y) => x.lamport - y.lamport || x.time - y.time || Number(x.receive) - Number(y.receive) || x.index - y.index);

  const at: number[] = events.map((event) => event.time);
  const receivedAt: (number | null)[] = events.map(() => null);
  const lastOfRole = new Map<string, number>();
  for (const point of points) {
    const unordered = point.receive && !Number.isFinite(point.lamport);
    let time = unordered ? point.time : Math.max(point.time, lastOfRole.get(point.role) ?? Number.NEGATIVE_INFINITY);
    if (point.receive) {
      time = Math.max(time, at[point.index]);
      receivedAt[point.index] = time;
    } else {
      at[point.index] = time;
    }
    if (!unordered) lastOfRole.set(point.role, time);
  }
  return { at, receivedAt };
}
