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
 *
 * Nor does it handle the member's own stalls. On two loaded cores the lead role's thread (Jest's
 * own) was seen to go silent for 1.3-1.7 s several times while its cluster formed, and healthy, a
 * 1 s deadline then reports it unreachable (and keep-majority downed it once the silence passed
 * 2 s). So the deadline stretches, per member, to twice the longest recent gap between its
 * answers, capped at `maxStretch` (3) times the configured deadline, which bounds detection under
 * load at 3 s instead of 1 s, in the spirit of phi-accrual but with a bound a test can rely on:
 * a member whose answers have been arriving every 100 ms keeps the exact configured bound (crash
 * detection on an idle machine is unchanged), one that has recently gone quiet for 900 ms at a time
 * gets 1.8 s. The remembered gap decays by `GAP_DECAY` per answer (about 10 s at 100 ms intervals
 * to fade from 900 ms to 120 ms), so one bad moment does not slow detection for long.
 */

/** Per answer, the remembered longest gap keeps this share of itself (see the module comment). */
const GAP_DECAY = 0.98;

/** What the detector keeps per monitored member. */
interface Watch {
  lastHeard: number;
  /** The longest recent gap between answers, decaying. */
  recentGapMs: number;
}

/** Tracks the last heartbeat answer per monitored member and decides who is unreachable. */
export class DeadlineFailureDetector {
  private readonly watches = new Map<string, Watch>();
  private lastTickAt: number | undefined;

  /**
   * @param unreachableAfterMs silence after which a member counts as unreachable.
   * @param tickIntervalMs how often the owner calls `observeTick`; a tick later than twice this is a stall.
   * @param maxStretch the most a member's recent gaps can stretch its deadline, as a multiple of `unreachableAfterMs`.
   */
  constructor(
    private readonly unreachableAfterMs: number,
    private readonly tickIntervalMs: number,
    private readonly maxStretch = 3,
  ) {}

  /**
   * Starts monitoring `key`. The start counts as a heartbeat, so a member that never answers at all
   * (for example one that crashed before its first answer) still becomes unreachable on time.
   */
  monitor(key: string, now: number): void {
    if (!this.watches.has(key)) this.watches.set(key, { lastHeard: now, recentGapMs: 0 });
  }

  /** Stops monitoring `key`; it is never reported unreachable again unless monitored anew. */
  unmonitor(key: string): void {
    this.watches.delete(key);
  }

  /** True when `key` is monitored. */
  isMonitoring(key: string): boolean {
    return this.watches.has(key);
  }

  /** The keys currently monitored. */
  monitored(): string[] {
    return [...this.watches.keys()];
  }

  /** Records an answer from `key`; ignored for members that are not monitored. */
  heartbeat(key: string, now: number): void {
    const watch = this.watches.get(key);
    if (watch === undefined || now <= watch.lastHeard) return;
    watch.recentGapMs = Math.max(now - watch.lastHeard, watch.recentGapMs * GAP_DECAY);
    watch.lastHeard = now;
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
        for (const watch of this.watches.values()) watch.lastHeard += credit;
      }
    }
    this.lastTickAt = now;
  }

  /** True while `key` is monitored and has answered within its deadline (see `deadlineMs`), or is not monitored. */
  isAvailable(key: string, now: number): boolean {
    const watch = this.watches.get(key);
    return watch === undefined || now - watch.lastHeard <= this.deadlineOf(watch);
  }

  /** The silence after which `key` counts as unreachable now, or undefined when not monitored. */
  deadlineMs(key: string): number | undefined {
    const watch = this.watches.get(key);
    return watch === undefined ? undefined : this.deadlineOf(watch);
  }

  private deadlineOf(watch: Watch): number {
    return Math.min(this.maxStretch * this.unreachableAfterMs, Math.max(this.unreachableAfterMs, 2 * watch.recentGapMs));
  }

  /** How long `key` has been silent, or undefined when not monitored. */
  silenceMs(key: string, now: number): number | undefined {
    const watch = this.watches.get(key);
    return watch === undefined ? undefined : Math.max(0, now - watch.lastHeard);
  }

  /** The monitored keys that are currently unreachable, sorted. */
  unreachable(now: number): string[] {
    return [...this.watches.keys()].filter((key) => !this.isAvailable(key, now)).sort();
  }
}
