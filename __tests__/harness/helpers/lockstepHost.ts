import { TestLockstep, type LockstepHost, type RoleResult } from '../../../src/harness/TestLockstep';
import { FakeClock } from './FakeClock';

export const GRACE_MS = 1_000;

export const passed = (durationMs = 5): RoleResult => ({ status: 'passed', durationMs, errors: [] });

/** A conductor stand-in: it records go/terminate calls and, like the real one, re-evaluates after a termination. */
export class FakeHost implements LockstepHost {
  readonly lead = 'a';
  readonly roles = ['a', 'b', 'c'] as const;
  readonly graceMs = GRACE_MS;
  readonly active = new Set<string>(this.roles);
  /** Synthetic results of roles that cannot run tests any more. */
  readonly absent = new Map<string, RoleResult>();
  readonly gos: Array<{ role: string; testId: string; error: Error | null }> = [];
  readonly terminated: Array<{ role: string; reason: string }> = [];
  readonly verdicts: Array<{ role: string; testId: string; failed: boolean | null }> = [];
  lockstep: TestLockstep | null = null;

  activeRoles(): readonly string[] {
    return this.roles.filter((r) => this.active.has(r));
  }

  absentResult(role: string): RoleResult | null {
    return this.absent.get(role) ?? null;
  }

  terminate(role: string, reason: string): void {
    this.terminated.push({ role, reason });
    this.leave(role, { status: 'terminated', durationMs: 0, errors: [{ name: 'RoleTerminatedError', message: `Role '${role}' was terminated: ${reason}.` }] });
  }

  go(role: string, testId: string, error: Error | null): void {
    this.gos.push({ role, testId, error });
  }

  verdict(role: string, testId: string, failed: boolean | null): void {
    this.verdicts.push({ role, testId, failed });
  }

  /** A role stops being active (finished, file failed, terminated) with the result it stands for. */
  leave(role: string, result: RoleResult): void {
    this.active.delete(role);
    this.absent.set(role, result);
    this.lockstep?.rolesChanged();
  }

  goneTo(testId: string): string[] {
    return this.gos.filter((g) => g.testId === testId).map((g) => g.role);
  }
}


/** A lockstep on a fake clock and a fake host, wired to each other as the conductor wires them. */
export function createLockstep(): { clock: FakeClock; host: FakeHost; lockstep: TestLockstep } {
  const clock = new FakeClock();
  const host = new FakeHost();
  const lockstep = new TestLockstep(host, clock);
  host.lockstep = lockstep;
  return { clock, host, lockstep };
}
