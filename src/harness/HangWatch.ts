import type { Cancellable, Clock } from '../util';

/** What the hang watch needs from the conductor. */
export interface HangWatchHost {
  /** Roles whose thread can be ended: running roles other than the lead. */
  candidates(): readonly string[];
  /** Every role still taking part, the lead included. */
  activeRoles(): readonly string[];
  /**
   * Whether `role` is blocked on other roles now: waiting at a barrier, waiting for a test to start
   * on every role, or done with a test that other roles have not finished.
   */
  isWaiting(role: string): boolean;
  /** The roles `role` waits for at a barrier (participants that have not arrived). */
  awaitedBy(role: string): readonly string[];
  /** Sends a ping over the role's control channel; its answer comes back through `pong`. */
  ping(role: string): void;
  /** `role` has not answered for `silentMs` while every other role waited for it. */
  hung(role: string, silentMs: number): void;
}

/** Timing of the hang watch, in milliseconds. */
export interface HangWatchSettings {
  /** How often every candidate is pinged and the roles are looked at. */
  readonly pingIntervalMs: number;
  /** Silence after which a role that every other role waits for is hung. */
  readonly unresponsiveAfterMs: number;
}

/**
 * Finds a role stuck in a synchronous loop (or any blocked event loop) as soon as it matters: a role
 * that stops answering control-channel pings while every other role has finished the test or waits on
 * it is hung, and the conductor ends it then, instead of after the test's whole timeout. A role that
 * answers is never hung, however slow its test; a role nobody waits for is left to its timeouts.
 */
export class HangWatch {
  private readonly lastHeard = new Map<string, number>();
  private timer: Cancellable | null = null;
  private lastTickAt: number | null = null;
  /** Per role and test: the hung role it was waiting for when its test failed. */
  private readonly blamed = new Map<string, string>();

  constructor(
    private readonly host: HangWatchHost,
    private readonly clock: Clock,
    private readonly settings: HangWatchSettings,
  ) {}

  /** Starts pinging; a role counts as heard at the start. */
  start(): void {
    if (this.timer !== null) return;
    const now = this.clock.now();
    for (const role of this.host.candidates()) this.lastHeard.set(role, now);
    this.lastTickAt = now;
    this.schedule();
  }

  /** Stops pinging (teardown). */
  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  /** A role answered a ping (or sent anything that proves its event loop runs). */
  pong(role: string): void {
    this.lastHeard.set(role, this.clock.now());
  }

  /** How long `role` has not answered, in ms (0 for a role never pinged). */
  silenceMs(role: string): number {
    const heard = this.lastHeard.get(role);
    return heard === undefined ? 0 : Math.max(0, this.clock.now() - heard);
  }

  /** Whether `role` has missed its pings for at least `ms`: what a role blocked in a loop looks like. */
  isSilent(role: string, ms: number): boolean {
    return this.silenceMs(role) >= ms;
  }

  /**
   * The role that `role` waits for at a barrier of `testId` and that has missed its pings for a
   * while; null when there is none. It is remembered for the rest of the test for every role waiting
   * for it, since their barriers are about to fail before their own timeouts are reported.
   */
  hungRoleAwaitedBy(role: string, testId: string): string | null {
    const known = this.blamed.get(`${role}\u0000${testId}`);
    if (known !== undefined) return known;
    const candidates = this.host.candidates();
    const hung = this.host.awaitedBy(role).find((r) => candidates.includes(r) && this.isSilent(r, 4 * this.settings.pingIntervalMs)) ?? null;
    if (hung === null) return null;
    for (const r of this.host.activeRoles()) {
      if (r === role || this.host.awaitedBy(r).includes(hung)) this.blamed.set(`${r}\u0000${testId}`, hung);
    }
    return hung;
  }

  /** Forgets what `hungRoleAwaitedBy` remembered for `testId` (its verdict is final). */
  forgetTest(testId: string): void {
    for (const key of this.blamed.keys()) if (key.endsWith(`\u0000${testId}`)) this.blamed.delete(key);
  }

  private schedule(): void {
    this.timer = this.clock.schedule(this.settings.pingIntervalMs, () => {
      this.tick();
      if (this.timer !== null) this.schedule();
    });
  }

  private tick(): void {
    const now = this.clock.now();
    // A tick far later than planned means this thread was stalled: answers may still be queued behind
    // it, so judge nobody on this tick.
    const stalled = this.lastTickAt !== null && now - this.lastTickAt > 2 * this.settings.pingIntervalMs;
    this.lastTickAt = now;
    const candidates = this.host.candidates();
    for (const role of candidates) {
      if (!this.lastHeard.has(role)) this.lastHeard.set(role, now);
      this.host.ping(role);
    }
    if (stalled) {
      for (const role of candidates) this.lastHeard.set(role, Math.max(this.lastHeard.get(role)!, now - this.settings.pingIntervalMs));
      return;
    }
    const active = this.host.activeRoles();
    const suspects = active.filter((r) => !this.host.isWaiting(r));
    if (suspects.length === 0 || suspects.length === active.length) return;
    for (const role of suspects) {
      if (!candidates.includes(role) || !this.isSilent(role, this.settings.unresponsiveAfterMs)) return;
    }
    for (const role of suspects) this.host.hung(role, this.silenceMs(role));
  }
}
