import type { Cancellable, Clock } from '../util';
import { BarrierFailedError, BarrierTimeoutError } from './errors';
import type { ProgressWait } from './progress';

/** One role's request to enter a barrier. */
export interface BarrierEntry {
  readonly role: string;
  /** The test the barrier belongs to (null outside tests, e.g. in `beforeAll`). */
  readonly testId: string | null;
  readonly name: string;
  /** Participating roles (already validated; null = all live roles). */
  readonly roles: readonly string[] | null;
  readonly timeoutMs: number;
  /** Set for a gather: the value this role contributes (already a structured-clone copy). */
  readonly gather?: { readonly value: unknown };
}

/** Why a role failed a test: the first line of its root error, and the role that caused it. */
export interface RoleFailure {
  readonly summary: string;
  /** The role whose failure started it all (the role itself unless it failed only as a consequence). */
  readonly rootRole: string;
}

/**
 * Called once per entry: with null and, for a gather, every participant's value by role when the
 * barrier completed; with the error otherwise.
 */
export type BarrierCallback = (error: Error | null, values?: Record<string, unknown>) => void;

/** Barriers and gathers share one name space per test; this is which one a name is. */
type Kind = 'barrier' | 'gather';

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
  readonly kind: Kind;
  readonly participants: ReadonlySet<string>;
  readonly waiting: Map<string, Waiter>;
  /** Roles that entered and have left (timed out); they are not waited for again. */
  readonly arrived: Set<string>;
}

/**
 * Barriers and gathers of one test file, as a state machine driven by the conductor. A gather is a
 * barrier whose participants each bring a value and get every participant's value back. Names are
 * scoped to the test, so a name can be reused in another test; a barrier is forgotten once it
 * completes or fails, so the same name can also be entered again later in the same test, but only
 * as the same kind: a barrier and a gather of one name in one test is an error.
 */
export class BarrierCoordinator {
  private readonly barriers = new Map<string, Barrier>();
  private readonly gone = new Set<string>();
  /** Per test: roles that finished it, with their failure (null = passed). */
  private readonly finished = new Map<string, Map<string, RoleFailure | null>>();
  /** Per test (null outside tests): the kind each name was first used as, and by whom. */
  private readonly kinds = new Map<string | null, Map<string, { readonly kind: Kind; readonly role: string }>>();

  constructor(
    private readonly allRoles: readonly string[],
    private readonly clock: Clock,
    /** Describes what a role was doing, for timeout messages. */
    private readonly describeRole: (role: string) => string,
  ) {}

  /** Enters a barrier on behalf of `entry.role`; `callback` is called exactly once. */
  enter(entry: BarrierEntry, callback: BarrierCallback): void {
    const key = `${entry.testId ?? ''}\u0000${entry.name}`;
    const kind: Kind = entry.gather === undefined ? 'barrier' : 'gather';
    const clash = this.claimKind(entry, kind);
    if (clash !== null) {
      callback(clash);
      return;
    }
    const wanted = (entry.roles ?? this.allRoles).filter((r) => !this.gone.has(r));
    let barrier = this.barriers.get(key);
    if (barrier === undefined) {
      barrier = { key, testId: entry.testId, name: entry.name, kind, participants: new Set(wanted), waiting: new Map(), arrived: new Set() };
      this.barriers.set(key, barrier);
    } else if (!sameMembers(barrier.participants, wanted)) {
      callback(
        new BarrierFailedError(
          `Role '${entry.role}' entered ${label(barrier)} with roles ${list(wanted)}, but it was already entered with roles ${list([...barrier.participants])}; every participant must pass the same roles.`,
          false,
        ),
      );
      return;
    }
    if (!barrier.participants.has(entry.role)) {
      callback(
        new BarrierFailedError(
          `Role '${entry.role}' called ${label(barrier)}, but it is not one of its roles ${list([...barrier.participants])}; call it only from those roles (for example inside runOn).`,
          false,
        ),
      );
      this.forgetIfEmpty(barrier);
      return;
    }
    if (barrier.waiting.has(entry.role)) {
      callback(
        new BarrierFailedError(
          `Role '${entry.role}' entered ${label(barrier)} while it was already waiting there; await each ${barrier.kind} before entering it again.`,
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
    this.kinds.delete(testId);
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
        waiter.callback(new BarrierFailedError(`Role '${role}' was terminated while waiting at ${label(barrier)}.`, false));
      }
      this.completeIfReady(barrier);
    }
  }

  /** Fails every pending barrier (used at teardown); callbacks still fire once. */
  abortAll(reason: string): void {
    for (const barrier of [...this.barriers.values()]) {
      this.fail(barrier, () => new BarrierFailedError(`${capitalized(label(barrier))} was aborted: ${reason}`, false));
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

  /** Every barrier and gather some role waits at now, with who arrived and who is missing, in role order. */
  pending(): ProgressWait[] {
    return [...this.barriers.values()]
      .filter((barrier) => barrier.waiting.size > 0)
      .map((barrier) => ({
        kind: barrier.kind,
        name: barrier.name,
        arrived: this.allRoles.filter((r) => barrier.arrived.has(r)),
        missing: this.allRoles.filter((r) => barrier.participants.has(r) && !barrier.arrived.has(r)),
      }));
  }

  /** The barriers and gathers `role` is waiting at, as `barrier 'name'` or `gather 'name'`. */
  waitingAt(role: string): string[] {
    return [...this.barriers.values()].filter((b) => b.waiting.has(role)).map(label);
  }

  private finishedParticipant(barrier: Barrier, entering: string): Error | null {
    if (barrier.testId === null) return null;
    const roles = this.finished.get(barrier.testId);
    if (roles === undefined) return null;
    const others = [...barrier.participants].filter((role) => role !== entering && roles.has(role));
    // A participant that passed without entering is the root cause: a role that failed meanwhile may
    // only have failed at this same barrier because of it.
    const skipped = others.find((role) => roles.get(role) === null && !barrier.arrived.has(role));
    if (skipped !== undefined) return this.finishedError(barrier, skipped, null);
    const failed = others.find((role) => roles.get(role) != null);
    return failed === undefined ? null : this.finishedError(barrier, failed, roles.get(failed)!);
  }

  private finishedError(barrier: Barrier, role: string, failure: RoleFailure | null): Error {
    if (failure === null) {
      return new BarrierFailedError(`Role '${role}' finished the test without entering ${label(barrier)}, so the ${barrier.kind} cannot complete.`, false);
    }
    const root = failure.rootRole;
    return new BarrierFailedError(
      `${capitalized(label(barrier))} was abandoned because role '${root}' failed this test (${failure.summary}). This is a consequence of role ${root}'s failure, not a second root cause.`,
      true,
      { role: root, summary: failure.summary },
    );
  }

  private completeIfReady(barrier: Barrier): void {
    for (const role of barrier.participants) if (!barrier.arrived.has(role)) return;
    const everyoneWaiting = [...barrier.participants].every((r) => barrier.waiting.has(r));
    if (!everyoneWaiting) return; // someone arrived and timed out: the rest fail on their own timers
    this.barriers.delete(barrier.key);
    const values = barrier.kind === 'gather' ? gathered(barrier, this.allRoles) : undefined;
    for (const waiter of barrier.waiting.values()) {
      waiter.timer.cancel();
      waiter.callback(null, values);
    }
  }

  private timeout(barrier: Barrier, role: string): void {
    const waiter = barrier.waiting.get(role);
    if (waiter === undefined) return;
    barrier.waiting.delete(role);
    const missing = [...barrier.participants].filter((r) => !barrier.waiting.has(r) && r !== role && !barrier.arrived.has(r));
    // One line per missing role, so that each shows where Jest and the reporter cut long messages.
    const detail = missing.map((r) => `\n  role '${r}' ${this.describeRole(r)}.`).join('');
    const elapsed = Math.round(this.clock.now() - waiter.enteredAt);
    waiter.callback(
      new BarrierTimeoutError(
        missing.length > 0
          ? `Role '${role}' waited ${elapsed} ms (timeout ${waiter.entry.timeoutMs} ms) at ${label(barrier)}, but ${list(missing)} did not arrive:${detail}`
          : `Role '${role}' waited ${elapsed} ms (timeout ${waiter.entry.timeoutMs} ms) at ${label(barrier)}; every role arrived, but some had already given up waiting.`,
      ),
    );
    this.forgetIfEmpty(barrier);
  }

  private fail(barrier: Barrier, errorFor: (waiter: Waiter) => Error | null): void {
    this.barriers.delete(barrier.key);
    for (const waiter of barrier.waiting.values()) {
      waiter.timer.cancel();
      waiter.callback(errorFor(waiter) ?? new BarrierFailedError(`${capitalized(label(barrier))} was abandoned.`, true));
    }
    barrier.waiting.clear();
  }

  /** Records the kind of `entry.name` in its test, or returns the error when the name is in use as the other kind. */
  private claimKind(entry: BarrierEntry, kind: Kind): Error | null {
    let names = this.kinds.get(entry.testId);
    if (names === undefined) {
      names = new Map();
      this.kinds.set(entry.testId, names);
    }
    const first = names.get(entry.name);
    if (first === undefined) {
      names.set(entry.name, { kind, role: entry.role });
      return null;
    }
    if (first.kind === kind) return null;
    return new BarrierFailedError(
      `Role '${entry.role}' called ${kind}('${entry.name}'), but role '${first.role}' already used ${first.kind}('${entry.name}') in this test; ` +
        'barriers and gathers share one name space per test, so give them different names.',
      false,
    );
  }

  private forgetIfEmpty(barrier: Barrier): void {
    if (barrier.waiting.size === 0) this.barriers.delete(barrier.key);
  }
}

/** Every waiting participant's value, by role, in the file's role order. */
function gathered(barrier: Barrier, allRoles: readonly string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const role of allRoles) {
    const waiter = barrier.waiting.get(role);
    if (waiter !== undefined) values[role] = waiter.entry.gather?.value;
  }
  return values;
}

function label(barrier: Barrier): string {
  return `${barrier.kind} '${barrier.name}'`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function sameMembers(a: ReadonlySet<string>, b: readonly string[]): boolean {
  return a.size === new Set(b).size && b.every((r) => a.has(r));
}

function list(roles: readonly string[]): string {
  return roles.map((r) => `'${r}'`).join(', ');
}
