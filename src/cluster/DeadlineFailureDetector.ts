/**
 * A deadline failure detector: a monitored member is unreachable once it has not answered a
 * heartbeat for `unreachableAfterMs`.
 *
 * Why not phi-accrual (Akka's default)? Phi-accrual adapts its threshold to the observed
 * inter-arrival distribution, which pays off on WAN links with variable jitter. Here links are
 * in-process (worker message ports, in-memory queues), and the thing tests need most is a
 * predictable bound: "a crashed node is unreachable after 1 s and downed after 2 s" must hold
 * on the first run of a test file, before any history exists, and under a virtual clock where
 * every interval is identical (phi's standard deviation collapses to its floor there). A deadline
 * gives exactly the configured bound, is trivially explainable in an error message, and is equally
 * easy to reason about in a later simulation mode.
 *
 * What the deadline does not handle by itself is the observer's own stalls: a role thread busy
 * compiling a test file for 800 ms would blame every peer. `observeTick` compensates: when the
 * observer's periodic tick arrives much later than expected, the missed time is credited to every
 * monitored member, because the silence was ours, not theirs.
 */

/** Tracks the last heartbeat answer per monitored member and decides who is unreachable. */
export class DeadlineFailureDetector {
  private readonly lastHeard = new Map<string, number>();
  private lastTickAt: number | undefined;

  /**
   * @param unreachableAfterMs silence after which a member counts as unreachable.
   * @param tickIntervalMs how often the owner calls `observeTick`; a tick later than twice this is a stall.
   */
  constructor(
    private readonly unreachableAfterMs: number,
    private readonly tickIntervalMs: number,
  ) {}

  /**
   * Starts monitoring `key`. The start counts as a heartbeat, so a member that never answers at all
   * (for example one that crashed before its first answer) still becomes unreachable on time.
   */
  monitor(key: string, now: number): void {
    if (!this.lastHeard.has(key)) this.lastHeard.set(key, now);
  }

  /** Stops monitoring `key`; it is never reported unreachable again unless monitored anew. */
  unmonitor(key: string): void {
    this.lastHeard.delete(key);
  }

  /** True when `key` is monitored. */
  isMonitoring(key: string): boolean {
    return this.lastHeard.has(key);
  }

  /** The keys currently monitored. */
  monitored(): string[] {
    return [...this.lastHeard.keys()];
  }

  /** Records an answer from `key`; ignored for members that are not monitored. */
  heartbeat(key: string, now: number): void {
    if (this.lastHeard.has(key)) this.lastHeard.set(key, Math.max(now, this.lastHeard.get(key) ?? now));
  }

  /**
   * Called by the owner on every periodic tick. If this tick is late by more than one interval, the
   * observer itself was stalled, and the stall is credited to every monitored member.
   */
  observeTick(now: number): void {
    if (this.lastTickAt !== undefined) {
      const gap = now - this.lastTickAt;
      if (gap > 2 * this.tickIntervalMs) {
        const credit = gap - this.tickIntervalMs;
        for (const [key, at] of this.lastHeard) this.lastHeard.set(key, at + credit);
      }
    }
    this.lastTickAt = now;
  }

  /** True while `key` is monitored and has answered within `unreachableAfterMs`, or is not monitored. */
  isAvailable(key: string, now: number): boolean {
    const at = this.lastHeard.get(key);
    return at === undefined || now - at <= this.unreachableAfterMs;
  }

  /** How long `key` has been silent, or undefined when not monitored. */
  silenceMs(key: string, now: number): number | undefined {
    const at = this.lastHeard.get(key);
    return at === undefined ? undefined : Math.max(0, now - at);
  }

  /** The monitored keys that are currently unreachable, sorted. */
  unreachable(now: number): string[] {
    return [...this.lastHeard.keys()].filter((key) => !this.isAvailable(key, now)).sort();
  }
}
