import type { Cancellable, Clock } from '../util';
import { BarrierFailedError, BarrierTimeoutError } from './errors';

/** One role's request to enter a barrier. */
export interface BarrierEntry {
  readonly role: string;
  /** The test the barrier belongs to (null outside tests, e.g. in `beforeAll`). */
  readonly testId: string | null;
  readonly name: string;
  /** Participating roles (already validated; null = all live roles). */
  readonly roles: readonly string[] | null;
  readonly timeoutMs: number;
}

/** Why a role failed a test: the first line of its root error, and the role that caused it. */
export interface RoleFailure {
  readonly summary: string;
  /** The role whose failure started it all (the role itself unless it failed only as a consequence). */
  readonly rootRole: string;
}

/** Called once per entry: null when the barrier completed, the error otherwise. */
export type BarrierCallback = (error: Error | null) => void;

interface Waiter {
  readonly entry: BarrierEntry;
  readonly enteredAt: number;
  readonly callback: BarrierCallback;
  readonly timer: Cancellable;
}

interface Barrier {
  readonly key: string;
  readonly testId: string | null;
  readonly name: string;
  readonly participants: ReadonlySet<string>;
  readonly waiting: Map<string, Waiter>;
  /** Roles that entered and have left (timed out); they are not waited for again. */
  readonly arrived: Set<string>;
}

/**
 * Barriers of one test file, as a state machine driven by the conductor. Names are scoped to the
 * test, so a name can be reused in another test; a barrier is forgotten once it completes or fails,
 * so the same name can also be entered again later in the same test.
 */
export class BarrierCoordinator {
  private readonly barriers = new Map<string, Barrier>();
  private readonly gone = new Set<string>();
  /** Per test: roles that finished it, with their failure (null = passed). */
  private readonly finished = new Map<string, Map<string, RoleFailure | null>>();

  constructor(
    private readonly allRoles: readonly string[],
    private readonly clock: Clock,
    /** Describes what a role was doing, for timeout messages. */
    private readonly describeRole: (role: string) => string,
  ) {}

  /** Enters a barrier on behalf of `entry.role`; `callback` is called exactly once. */
  enter(entry: BarrierEntry, callback: BarrierCallback): void {
    const key = `${entry.testId ?? ''}\u0000${entry.name}`;
    const wanted = (entry.roles ?? this.allRoles).filter((r) => !this.gone.has(r));
    let barrier = this.barriers.get(key);
    if (barrier === undefined) {
      barrier = { key, testId: entry.testId, name: entry.name, participants: new Set(wanted), waiting: new Map(), arrived: new Set() };
      this.barriers.set(key, barrier);
    } else if (!sameMembers(barrier.participants, wanted)) {
      callback(
        new BarrierFailedError(
          `Role '${entry.role}' entered barrier '${entry.name}' with roles ${list(wanted)}, but it was already entered with roles ${list([...barrier.participants])}; every participant must pass the same roles.`,
          false,
        ),
      );
      return;
    }
    if (!barrier.participants.has(entry.role)) {
      callback(
        new BarrierFailedError(
          `Role '${entry.role}' called barrier '${entry.name}', but it is not one of its roles ${list([...barrier.participants])}; call it only from those roles (for example inside runOn).`,
          false,
        ),
      );
      this.forgetIfEmpty(barrier);
      return;
    }
    if (barrier.waiting.has(entry.role)) {
      callback(
        new BarrierFailedError(
          `Role '${entry.role}' entered barrier '${entry.name}' while it was already waiting there; await each barrier before entering it again.`,
          false,
        ),
      );
      return;
    }
    const early = this.finishedParticipant(barrier, entry.role);
    if (early !== null) {
      callback(early);
      this.forgetIfEmpty(barrier);
      return;
    }
    const timer = this.clock.schedule(entry.timeoutMs, () => this.timeout(barrier, entry.role));
    barrier.waiting.set(entry.role, { entry, enteredAt: this.clock.now(), callback, timer });
    barrier.arrived.add(entry.role);
    this.completeIfReady(barrier);
  }

  /**
   * A role finished `testId`. If it failed, every barrier of that test it takes part in fails for the
   * others as a consequence; if it passed without entering a barrier, that barrier fails naming it.
   * Barriers of the test entered later fail at once for the same reasons.
   */
  roleFinishedTest(role: string, testId: string, failure: RoleFailure | null): void {
    let roles = this.finished.get(testId);
    if (roles === undefined) {
      roles = new Map();
      this.finished.set(testId, roles);
    }
    if (!roles.has(role) || failure !== null) roles.set(role, failure);
    for (const barrier of [...this.barriers.values()]) {
      if (barrier.testId !== testId || !barrier.participants.has(role)) continue;
      if (failure === null && barrier.arrived.has(role)) continue;
      this.fail(barrier, (waiter) => (waiter.entry.role === role ? null : this.finishedError(barrier, role, failure)));
    }
  }

  /** Forgets what is known about a finished test. */
  forgetTest(testId: string): void {
    this.finished.delete(testId);
  }

  /** A role is gone for good (terminated): barriers stop waiting for it. */
  roleGone(role: string): void {
    this.gone.add(role);
    for (const barrier of [...this.barriers.values()]) {
      if (!barrier.participants.has(role)) continue;
      (barrier.participants as Set<string>).delete(role);
      const waiter = barrier.waiting.get(role);
      if (waiter !== undefined) {
        waiter.timer.cancel();
        barrier.waiting.delete(role);
        waiter.callback(new BarrierFailedError(`Role '${role}' was terminated while waiting at barrier '${barrier.name}'.`, false));
      }
      this.completeIfReady(barrier);
    }
  }

  /** Fails every pending barrier (used at teardown); callbacks still fire once. */
  abortAll(reason: string): void {
    for (const barrier of [...this.barriers.values()]) {
      this.fail(barrier, () => new BarrierFailedError(`Barrier '${barrier.name}' was aborted: ${reason}`, false));
    }
  }

  /** The roles that `role` waits for: participants of its barriers that have not arrived. */
  missingAt(role: string): string[] {
    const missing = new Set<string>();
    for (const barrier of this.barriers.values()) {
      if (!barrier.waiting.has(role)) continue;
      for (const r of barrier.participants) if (!barrier.arrived.has(r)) missing.add(r);
    }
    return [...missing];
  }

  /** The names of the barriers `role` is waiting at. */
  waitingAt(role: string): string[] {
    return [...this.barriers.values()].filter((b) => b.waiting.has(role)).map((b) => b.name);
  }

  private finishedParticipant(barrier: Barrier, entering: string): Error | null {
    if (barrier.testId === null) return null;
    const roles = this.finished.get(barrier.testId);
    if (roles === undefined) return null;
    for (const role of barrier.participants) {
      if (role === entering || !roles.has(role)) continue;
      const failure = roles.get(role) ?? null;
      if (failure !== null || !barrier.arrived.has(role)) return this.finishedError(barrier, role, failure);
    }
    return null;
  }

  private finishedError(barrier: Barrier, role: string, failure: RoleFailure | null): Error {
    if (failure === null) {
      return new BarrierFailedError(`Role '${role}' finished the test without entering barrier '${barrier.name}', so the barrier cannot complete.`, false);
    }
    const root = failure.rootRole;
    return new BarrierFailedError(
      `Barrier '${barrier.name}' was abandoned because role '${root}' failed this test (${failure.summary}). This is a consequence of role ${root}'s failure, not a second root cause.`,
      true,
      { role: root, summary: failure.summary },
    );
  }

  private completeIfReady(barrier: Barrier): void {
    for (const role of barrier.participants) if (!barrier.arrived.has(role)) return;
    const everyoneWaiting = [...barrier.participants].every((r) => barrier.waiting.has(r));
    if (!everyoneWaiting) return; // someone arrived and timed out: the rest fail on their own timers
    this.barriers.delete(barrier.key);
    for (const waiter of barrier.waiting.values()) {
      waiter.timer.cancel();
      waiter.callback(null);
    }
  }

  private timeout(barrier: Barrier, role: string): void {
    const waiter = barrier.waiting.get(role);
    if (waiter === undefined) return;
    barrier.waiting.delete(role);
    const missing = [...barrier.participants].filter((r) => !barrier.waiting.has(r) && r !== role && !barrier.arrived.has(r));
    const detail = missing.map((r) => `role '${r}' ${this.describeRole(r)}`).join('; ');
    const elapsed = Math.round(this.clock.now() - waiter.enteredAt);
    waiter.callback(
      new BarrierTimeoutError(
        missing.length > 0
          ? `Role '${role}' waited ${elapsed} ms (timeout ${waiter.entry.timeoutMs} ms) at barrier '${barrier.name}', but ${list(missing)} did not arrive: ${detail}.`
          : `Role '${role}' waited ${elapsed} ms (timeout ${waiter.entry.timeoutMs} ms) at barrier '${barrier.name}'; every role arrived, but some had already given up waiting.`,
      ),
    );
    this.forgetIfEmpty(barrier);
  }

  private fail(barrier: Barrier, errorFor: (waiter: Waiter) => Error | null): void {
    this.barriers.delete(barrier.key);
    for (const waiter of barrier.waiting.values()) {
      waiter.timer.cancel();
      waiter.callback(errorFor(waiter) ?? new BarrierFailedError(`Barrier '${barrier.name}' was abandoned.`, true));
    }
    barrier.waiting.clear();
  }

  private forgetIfEmpty(barrier: Barrier): void {
    if (barrier.waiting.size === 0) this.barriers.delete(barrier.key);
  }
}

function sameMembers(a: ReadonlySet<string>, b: readonly string[]): boolean {
  return a.size === new Set(b).size && b.every((r) => a.has(r));
}

function list(roles: readonly string[]): string {
  return roles.map((r) => `'${r}'`).join(', ');
}
