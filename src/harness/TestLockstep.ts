import type { Cancellable, Clock, SerializedError } from '../util';
import type { RoleOutcome } from './traceTypes';
import type { TestPlanEntry } from './protocol';
import { TestMismatchError, withoutFrames } from './errors';

/** One role's result for one test, as the conductor collects it. */
export interface RoleResult {
  readonly status: RoleOutcome;
  readonly durationMs: number;
  readonly errors: readonly SerializedError[];
  /** The snapshots the role took (see the environment's SnapshotExchange), for the lead to check. */
  readonly snapshots?: readonly SnapshotRecordData[];
}

/** A snapshot a role took: its key, the name Jest keys it by, its serialized value, inline or not. */
export interface SnapshotRecordData {
  readonly testName: string;
  readonly key: string;
  readonly actual: string;
  readonly inline: { readonly snapshot: string | undefined } | null;
}

/** What the lockstep needs from the conductor. */
export interface LockstepHost {
  readonly lead: string;
  /** Every role of the file, lead first. */
  readonly roles: readonly string[];
  /** Roles still able to run tests (not terminated, file not finished or failed). */
  activeRoles(): readonly string[];
  /** A synthetic result for a role that cannot run the test (its file failed, it finished early). */
  absentResult(role: string, testId: string): RoleResult | null;
  /** Ends a role's thread; its missing results become `terminated`. */
  terminate(role: string, reason: string): void;
  /** Tells a role to start a test (or fail it at once with `error`). */
  go(role: string, testId: string, error: Error | null): void;
  /** Tells a role that reported a test the test's merged verdict (null: there will be none). */
  verdict(role: string, testId: string, failed: boolean | null): void;
  /** Graceful extra time after a test's own timeout before a role is terminated. */
  readonly graceMs: number;
}

interface Run {
  readonly id: string;
  timeoutMs: number;
  readonly begun: Set<string>;
  leadBegun: boolean;
  went: boolean;
  /** When every role was told to start (clock time); a role that drops out later ran until then. */
  wentAt: number;
  expected: Set<string>;
  readonly results: Map<string, RoleResult>;
  readonly waiters: Array<() => void>;
  /** Non-lead roles that reported their result and wait for the merged verdict. */
  readonly verdictWaiters: Set<string>;
  timer: Cancellable | null;
}

/**
 * Lockstep for tests inside `describe.multinode`: every role starts a test together (the lead says
 * go once all active roles have begun), and the lead's verdict waits for every role's result. Each
 * phase has a deadline of the test's timeout plus a grace period; a role that misses it is terminated.
 */
export class TestLockstep {
  private readonly runs = new Map<string, Run>();
  private readonly plans = new Map<string, readonly TestPlanEntry[]>();
  /**
   * Set once lockstep cannot go on for this file (roles define different tests, or the lead has
   * finished): every later test start fails at once with this error instead of waiting.
   */
  private halted: Error | null = null;

  constructor(
    private readonly host: LockstepHost,
    private readonly clock: Clock,
  ) {}

  /** Records a role's selected multi-node tests and compares them with the lead's. */
  plan(role: string, tests: readonly TestPlanEntry[]): void {
    this.plans.set(role, tests);
    if (this.halted !== null) return;
    const duplicate = findDuplicate(tests.map((t) => t.id));
    if (duplicate !== null) {
      this.setMismatch(
        `The test name "${duplicate}" is used twice inside describe.multinode on role '${role}'. Multi-node tests are matched across roles by full name, so every name must be unique in the file.`,
      );
      return;
    }
    const leadPlan = this.plans.get(this.host.lead);
    const compare = (other: string, otherPlan: readonly TestPlanEntry[]): void => {
      const difference = describeDifference(leadPlan!.map((t) => t.id), otherPlan.map((t) => t.id), `role '${this.host.lead}'`, `role '${other}'`);
      if (difference !== null && this.halted === null) {
        this.setMismatch(
          `Roles define different tests inside describe.multinode: ${difference}. Every role must define the same tests; do not define tests conditionally on multinode.role (use runOn inside the test instead).`,
        );
      }
    };
    if (leadPlan === undefined) return;
    if (role === this.host.lead) {
      for (const [other, otherPlan] of this.plans) if (other !== role) compare(other, otherPlan);
    } else {
      compare(role, tests);
    }
  }

  /** A role begins a test; resolves through `host.go` when the test may start. */
  begin(role: string, testId: string, timeoutMs: number): void {
    if (this.halted !== null) {
      this.host.go(role, testId, this.halted);
      return;
    }
    const run = this.run(testId);
    run.begun.add(role);
    if (run.went) {
      // Already started without this role (it was late but not terminated): let it run and report.
      this.host.go(role, testId, null);
      return;
    }
    if (role === this.host.lead) {
      run.leadBegun = true;
      run.timeoutMs = timeoutMs;
      run.timer = this.clock.schedule(timeoutMs + this.host.graceMs, () => {
        for (const late of this.host.activeRoles()) {
          if (!run.begun.has(late)) {
            this.host.terminate(late, `it did not reach the start of test "${testId}" within ${timeoutMs + this.host.graceMs} ms (the test's timeout plus a grace period)`);
          }
        }
        this.goIfReady(run);
      });
    }
    this.goIfReady(run);
  }

  /** Stores a role's result for a test; a non-lead role then waits for the verdict (see `publish`). */
  result(role: string, testId: string, result: RoleResult): void {
    if (!this.runs.has(testId) && this.halted === null) {
      // Every role begins a test before its result: this one is late, for a test already decided.
      if (role !== this.host.lead) this.host.verdict(role, testId, null);
      return;
    }
    const run = this.run(testId);
    if (!run.results.has(role)) run.results.set(role, result);
    if (role !== this.host.lead) {
      if (this.halted === null) run.verdictWaiters.add(role);
      else this.host.verdict(role, testId, null);
    }
    this.completeIfReady(run);
  }

  /**
   * Tells every role that reported `testId` its merged verdict, so that each role retries it
   * (jest.retryTimes) exactly when the lead does. Call it before `forget`.
   */
  publish(testId: string, failed: boolean): void {
    const run = this.runs.get(testId);
    if (run !== undefined) this.release(run, failed);
  }

  /** Resolves with every role's result for `testId`, in role order (the lead's first). */
  collect(testId: string): Promise<Map<string, RoleResult>> {
    const run = this.run(testId);
    const inRoleOrder = (): Map<string, RoleResult> =>
      new Map(this.host.roles.filter((r) => run.results.has(r)).map((r) => [r, run.results.get(r)!]));
    if (this.halted !== null) return Promise.resolve(inRoleOrder());
    return new Promise((resolve) => {
      run.waiters.push(() => resolve(inRoleOrder()));
      this.completeIfReady(run);
    });
  }

  /** Whether `role` waits on other roles: for a test to start everywhere, or for a test it finished to finish everywhere. */
  isWaiting(role: string): boolean {
    for (const run of this.runs.values()) {
      if (!run.went && run.begun.has(role)) return true;
      if (run.went && run.results.has(role) && [...run.expected].some((r) => !run.results.has(r))) return true;
    }
    return false;
  }

  /** Re-evaluates every run after roles left (terminated or finished). */
  rolesChanged(): void {
    for (const run of this.runs.values()) {
      this.goIfReady(run);
      this.completeIfReady(run);
    }
  }

  /** Forgets a test whose verdict is final and cancels its timers. */
  forget(testId: string): void {
    const run = this.runs.get(testId);
    if (run === undefined) return;
    run.timer?.cancel();
    this.release(run, null);
    this.runs.delete(testId);
  }

  /** Cancels every timer (teardown). */
  close(): void {
    for (const run of this.runs.values()) {
      run.timer?.cancel();
      this.release(run, null);
    }
    this.runs.clear();
  }

  private run(testId: string): Run {
    let run = this.runs.get(testId);
    if (run === undefined) {
      run = { id: testId, timeoutMs: 0, begun: new Set(), leadBegun: false, went: false, expected: new Set(), results: new Map(), waiters: [], verdictWaiters: new Set(), timer: null, wentAt: 0 };
      this.runs.set(testId, run);
    }
    return run;
  }

  private goIfReady(run: Run): void {
    if (run.went || !run.leadBegun) return;
    const active = this.host.activeRoles();
    if (!active.every((r) => run.begun.has(r))) return;
    run.went = true;
    run.wentAt = this.clock.now();
    run.timer?.cancel();
    run.expected = new Set(active);
    for (const role of this.host.roles) {
      if (!run.expected.has(role)) {
        const absent = this.host.absentResult(role, run.id);
        if (absent !== null && !run.results.has(role)) run.results.set(role, absent);
      }
    }
    for (const role of run.begun) this.host.go(role, run.id, null);
    run.timer = this.clock.schedule(run.timeoutMs + this.host.graceMs, () => {
      for (const role of run.expected) {
        if (!run.results.has(role) && role !== this.host.lead) {
          this.host.terminate(role, `it did not finish test "${run.id}" within ${run.timeoutMs} ms (the test's timeout) plus a grace period of ${this.host.graceMs} ms`);
        }
      }
    });
  }

  private completeIfReady(run: Run): void {
    if (!run.went || run.waiters.length === 0) return;
    const active = new Set(this.host.activeRoles());
    for (const role of run.expected) {
      if (run.results.has(role)) continue;
      if (!active.has(role)) {
        const absent = this.host.absentResult(role, run.id);
        if (absent !== null) {
          // It started the test with the others and ran it until it dropped out (now).
          run.results.set(role, { ...absent, durationMs: this.clock.now() - run.wentAt });
          continue;
        }
      }
      return;
    }
    run.timer?.cancel();
    const waiters = run.waiters.splice(0);
    for (const waiter of waiters) waiter();
  }

  private setMismatch(message: string): void {
    this.halt(withoutFrames(new TestMismatchError(message)));
  }

  /** Stops lockstep for the rest of the file: waiting and later test starts fail at once with `error`. */
  halt(error: Error): void {
    if (this.halted !== null) return;
    this.halted = error;
    for (const run of this.runs.values()) {
      run.timer?.cancel();
      if (!run.went) {
        run.went = true;
        for (const role of run.begun) this.host.go(role, run.id, error);
      }
      const waiters = run.waiters.splice(0);
      for (const waiter of waiters) waiter();
      this.release(run, null);
    }
  }

  private release(run: Run, failed: boolean | null): void {
    for (const role of run.verdictWaiters) this.host.verdict(role, run.id, failed);
    run.verdictWaiters.clear();
  }
}

function findDuplicate(ids: readonly string[]): string | null {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) return id;
    seen.add(id);
  }
  return null;
}

/** Describes the first difference between two ordered test lists of the roles named `nameA` and `nameB`. */
function describeDifference(a: readonly string[], b: readonly string[], nameA: string, nameB: string): string | null {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (a[i] === undefined) return `${nameB} has the extra test "${b[i]}"`;
    if (b[i] === undefined) return `${nameA} has the test "${a[i]}", which ${nameB} does not define`;
    return `test ${i + 1} is "${a[i]}" on ${nameA} but "${b[i]}" on ${nameB}`;
  }
  return null;
}
