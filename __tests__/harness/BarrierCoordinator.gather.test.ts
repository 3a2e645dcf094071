import { beforeEach, describe, expect, it } from '@jest/globals';
import { BarrierCoordinator, type BarrierEntry } from '../../src/harness/BarrierCoordinator';
import { BarrierFailedError, BarrierTimeoutError } from '../../src/harness/errors';
import { FakeClock } from './helpers';

const ROLES = ['a', 'b', 'c'] as const;

/** What one entry's callback received: nothing yet, or the error and the values. */
interface Outcome {
  calls: number;
  error: Error | null | undefined;
  values: Record<string, unknown> | undefined;
}

describe('BarrierCoordinator gathers', () => {
  let clock: FakeClock;
  let barriers: BarrierCoordinator;

  beforeEach(() => {
    clock = new FakeClock();
    barriers = new BarrierCoordinator(ROLES, clock, (role) => `was busy with "step ${role}"`);
  });

  const enter = (role: string, name: string, more: Partial<BarrierEntry> = {}): Outcome => {
    const outcome: Outcome = { calls: 0, error: undefined, values: undefined };
    barriers.enter({ role, testId: 't1', name, roles: null, timeoutMs: 1_000, ...more }, (error, values) => {
      outcome.calls++;
      outcome.error = error;
      outcome.values = values;
    });
    return outcome;
  };
  const gather = (role: string, name: string, value: unknown, more: Partial<BarrierEntry> = {}): Outcome => enter(role, name, { ...more, gather: { value } });

  it("resolves every participant with every participant's value by role, in the file's role order, once the last one enters", () => {
    const c = gather('c', 'shards', [3]);
    const a = gather('a', 'shards', [1, 2]);
    expect(a.calls + c.calls).toBe(0);
    expect(barriers.waitingAt('a')).toEqual(["gather 'shards'"]);
    const b = gather('b', 'shards', undefined);
    for (const o of [a, b, c]) {
      expect(o).toEqual({ calls: 1, error: null, values: { a: [1, 2], b: undefined, c: [3] } });
      expect(Object.keys(o.values!)).toEqual(['a', 'b', 'c']);
    }
  });

  it('gathers over a role subset, leaving the other roles out', () => {
    const a = gather('a', 'pair', 'x', { roles: ['a', 'c'] });
    const c = gather('c', 'pair', 'z', { roles: ['a', 'c'] });
    expect(a.values).toEqual({ a: 'x', c: 'z' });
    expect(c.values).toEqual({ a: 'x', c: 'z' });
  });

  it('gives a plain barrier no values', () => {
    const a = enter('a', 'ready', { roles: ['a'] });
    expect(a).toEqual({ calls: 1, error: null, values: undefined });
  });

  it('leaves a terminated role out of the result (no key)', () => {
    const a = gather('a', 'g', 1);
    const b = gather('b', 'g', 2);
    barriers.roleGone('c');
    expect(a.values).toEqual({ a: 1, b: 2 });
    expect(b.values).toEqual({ a: 1, b: 2 });
    expect('c' in a.values!).toBe(false);
  });

  it('times out like a barrier, naming the gather and the missing roles', () => {
    const a = gather('a', 'g', 1);
    gather('b', 'g', 2, { timeoutMs: 5_000 });
    clock.advance(1_000);
    expect(a.error).toBeInstanceOf(BarrierTimeoutError);
    expect(a.error!.message).toBe(
      "Role 'a' waited 1000 ms (timeout 1000 ms) at gather 'g', but 'c' did not arrive:\n  role 'c' was busy with \"step c\".",
    );
  });

  it('fails at once, naming the participant that finished the test without entering it', () => {
    const a = gather('a', 'g', 1);
    barriers.roleFinishedTest('c', 't1', null);
    expect(a.error).toBeInstanceOf(BarrierFailedError);
    expect(a.error!.message).toBe("Role 'c' finished the test without entering gather 'g', so the gather cannot complete.");
  });

  it("fails the others as consequences of a participant's failure", () => {
    const a = gather('a', 'g', 1);
    barriers.roleFinishedTest('b', 't1', { summary: 'boom', rootRole: 'b' });
    expect((a.error as BarrierFailedError).consequence).toBe(true);
    expect(a.error!.message).toContain("Gather 'g' was abandoned because role 'b' failed this test (boom).");
  });

  describe('one name space with barriers per test', () => {
    it('rejects a gather whose name a barrier waits on, naming both, and leaves the barrier waiting', () => {
      const a = enter('a', 'x');
      const b = gather('b', 'x', 1);
      expect(b.calls).toBe(1);
      expect(b.error).toBeInstanceOf(BarrierFailedError);
      expect(b.error!.message).toBe(
        "Role 'b' called gather('x'), but role 'a' already used barrier('x') in this test; barriers and gathers share one name space per test, so give them different names.",
      );
      expect(a.calls).toBe(0);
    });

    it('rejects a barrier whose name a gather already used in the test, even after the gather completed', () => {
      for (const role of ROLES) gather(role, 'x', role);
      const a = enter('a', 'x');
      expect(a.error!.message).toContain("Role 'a' called barrier('x'), but role 'a' already used gather('x') in this test");
    });

    it('lets another test use the name as the other kind, and the same test again after forgetTest', () => {
      gather('a', 'x', 1, { roles: ['a'] });
      const other = enter('a', 'x', { testId: 't2', roles: ['a'] });
      expect(other.error).toBeNull();
      barriers.forgetTest('t1');
      expect(enter('a', 'x', { roles: ['a'] }).error).toBeNull();
    });
  });
});

describe('BarrierCoordinator root causes for a late entry', () => {
  it('names the participant that skipped the barrier rather than one that failed because of it', () => {
    const barriers = new BarrierCoordinator(ROLES, new FakeClock(), () => '');
    let error: Error | null | undefined;
    barriers.roleFinishedTest('a', 't1', { summary: "Role 'b' finished the test without entering gather 'g'", rootRole: 'a' });
    barriers.roleFinishedTest('b', 't1', null);
    barriers.enter({ role: 'c', testId: 't1', name: 'g', roles: null, timeoutMs: 1_000, gather: { value: 1 } }, (e) => (error = e));
    expect(error!.message).toBe("Role 'b' finished the test without entering gather 'g', so the gather cannot complete.");
  });
});
