import { beforeEach, describe, expect, it } from '@jest/globals';
import { BarrierCoordinator, type BarrierEntry } from '../../src/harness/BarrierCoordinator';
import { BarrierFailedError, BarrierTimeoutError } from '../../src/harness/errors';
import { FakeClock } from './helpers';

const ROLES = ['a', 'b', 'c'] as const;

/** What one entry's callback received: nothing yet, success, or the error. */
interface Outcome {
  calls: number;
  error: Error | null | undefined;
}

describe('BarrierCoordinator', () => {
  let clock: FakeClock;
  let barriers: BarrierCoordinator;

  beforeEach(() => {
    clock = new FakeClock();
    barriers = new BarrierCoordinator(ROLES, clock, (role) => `was busy with "step ${role}"`);
  });

  const enter = (role: string, name: string, more: Partial<BarrierEntry> = {}): Outcome => {
    const outcome: Outcome = { calls: 0, error: undefined };
    barriers.enter({ role, testId: 't1', name, roles: null, timeoutMs: 1_000, ...more }, (error) => {
      outcome.calls++;
      outcome.error = error;
    });
    return outcome;
  };

  const passed = (o: Outcome): boolean => o.calls === 1 && o.error === null;
  const pending = (o: Outcome): boolean => o.calls === 0;

  describe('completion', () => {
    it('lists what is pending: every barrier some role waits at, with who arrived and who is missing in role order', () => {
      expect(barriers.pending()).toEqual([]);
      enter('c', 'ready');
      enter('a', 'ready');
      enter('b', 'pair', { roles: ['a', 'b'] });
      expect(barriers.pending()).toEqual([
        { kind: 'barrier', name: 'ready', arrived: ['a', 'c'], missing: ['b'] },
        { kind: 'barrier', name: 'pair', arrived: ['b'], missing: ['a'] },
      ]);
      enter('b', 'ready');
      expect(barriers.pending()).toEqual([{ kind: 'barrier', name: 'pair', arrived: ['b'], missing: ['a'] }]);
    });

    it('completes for every role once the last participant enters, and not before', () => {
      const a = enter('a', 'ready');
      const b = enter('b', 'ready');
      expect(pending(a) && pending(b)).toBe(true);
      expect(barriers.waitingAt('a')).toEqual(["barrier 'ready'"]);
      const c = enter('c', 'ready');
      expect([a, b, c].every(passed)).toBe(true);
      expect(barriers.waitingAt('a')).toEqual([]);
      // Every timer was cancelled: advancing far does not call anything a second time.
      clock.advance(10_000);
      expect([a, b, c].every((o) => o.calls === 1)).toBe(true);
      expect(clock.pending()).toBe(0);
    });

    it('says which participants a waiting role still waits for', () => {
      enter('a', 'ready');
      enter('b', 'pair', { roles: ['a', 'b'] });
      expect(barriers.missingAt('a')).toEqual(['b', 'c']);
      expect(barriers.missingAt('b')).toEqual(['a']);
      expect(barriers.missingAt('c')).toEqual([]);
    });

    it('completes a barrier over a role subset without waiting for the other roles', () => {
      const a = enter('a', 'pair', { roles: ['a', 'b'] });
      expect(pending(a)).toBe(true);
      const b = enter('b', 'pair', { roles: ['b', 'a'] });
      expect(passed(a) && passed(b)).toBe(true);
    });

    it('treats a one-role barrier as complete at once', () => {
      expect(passed(enter('c', 'solo', { roles: ['c'] }))).toBe(true);
    });

    it('keeps barriers of different tests apart even when they have the same name', () => {
      const a1 = enter('a', 'x', { testId: 't1' });
      const b2 = enter('b', 'x', { testId: 't2' });
      enter('b', 'x', { testId: 't1' });
      expect(pending(a1)).toBe(true);
      enter('c', 'x', { testId: 't1' });
      expect(passed(a1)).toBe(true);
      expect(pending(b2)).toBe(true);
    });

    it('lets a name be reused in another test after it completed', () => {
      for (const r of ROLES) enter(r, 'sync', { testId: 't1' });
      const again = ROLES.map((r) => enter(r, 'sync', { testId: 't2' }));
      expect(again.every(passed)).toBe(true);
    });

    it('lets a name be entered again within the same test once it has completed', () => {
      const first = ROLES.map((r) => enter(r, 'step'));
      expect(first.every(passed)).toBe(true);
      const a = enter('a', 'step');
      const b = enter('b', 'step');
      expect(pending(a) && pending(b)).toBe(true);
      const c = enter('c', 'step');
      expect([a, b, c].every(passed)).toBe(true);
    });

    it('keeps barriers outside tests (testId null) working and unaffected by finished tests', () => {
      barriers.roleFinishedTest('c', 't1', null);
      const outs = ROLES.map((r) => enter(r, 'setup', { testId: null }));
      expect(outs.every(passed)).toBe(true);
    });
  });

  describe('invalid entries', () => {
    it('rejects a role outside the subset at once, without disturbing the subset', () => {
      const a = enter('a', 'pair', { roles: ['a', 'b'] });
      const c = enter('c', 'pair', { roles: ['a', 'b'] });
      expect(c.calls).toBe(1);
      expect(c.error).toBeInstanceOf(BarrierFailedError);
      expect(c.error?.message).toBe(
        "Role 'c' called barrier 'pair', but it is not one of its roles 'a', 'b'; call it only from those roles (for example inside runOn).",
      );
      expect((c.error as BarrierFailedError).consequence).toBe(false);
      expect(pending(a)).toBe(true);
      const b = enter('b', 'pair', { roles: ['a', 'b'] });
      expect(passed(a) && passed(b)).toBe(true);
    });

    it('rejects a role outside the subset even when it is the first to arrive, and forgets that barrier', () => {
      const c = enter('c', 'pair', { roles: ['a', 'b'] });
      expect(c.error).toBeInstanceOf(BarrierFailedError);
      // The rejected entry did not pin a barrier: a different role list for the name is fine now.
      const outs = ROLES.map((r) => enter(r, 'pair'));
      expect(outs.every(passed)).toBe(true);
    });

    it('rejects an entry whose role list differs from the one the barrier was entered with', () => {
      const a = enter('a', 'x', { roles: ['a', 'b'] });
      const b = enter('b', 'x', { roles: ['a', 'b', 'c'] });
      expect(b.calls).toBe(1);
      expect(b.error).toBeInstanceOf(BarrierFailedError);
      expect(b.error?.message).toBe(
        "Role 'b' entered barrier 'x' with roles 'a', 'b', 'c', but it was already entered with roles 'a', 'b'; every participant must pass the same roles.",
      );
      expect(pending(a)).toBe(true);
    });

    it('treats null roles as all roles when comparing role lists', () => {
      const a = enter('a', 'x', { roles: null });
      const b = enter('b', 'x', { roles: ['c', 'b', 'a'] });
      expect(pending(b)).toBe(true);
      const c = enter('c', 'x', { roles: null });
      expect([a, b, c].every(passed)).toBe(true);
    });
  });

  describe('timeouts', () => {
    it("times each waiter out on its own timeout, naming the missing roles and what describeRole says they were doing", () => {
      const a = enter('a', 'joined', { timeoutMs: 500 });
      clock.advance(200);
      const b = enter('b', 'joined', { timeoutMs: 5_000 });
      clock.advance(299);
      expect(pending(a)).toBe(true);
      clock.advance(1);
      expect(a.calls).toBe(1);
      expect(a.error).toBeInstanceOf(BarrierTimeoutError);
      expect((a.error as BarrierTimeoutError).code).toBe('BARRIER_TIMEOUT');
      expect(a.error?.message).toBe(
        "Role 'a' waited 500 ms (timeout 500 ms) at barrier 'joined', but 'c' did not arrive:\n  role 'c' was busy with \"step c\".",
      );
      expect(pending(b)).toBe(true);
      clock.advance(4_699);
      expect(pending(b)).toBe(true);
      clock.advance(1);
      expect(b.error).toBeInstanceOf(BarrierTimeoutError);
      expect(b.error?.message).toContain("Role 'b' waited 5000 ms (timeout 5000 ms) at barrier 'joined', but 'c' did not arrive");
    });

    it('names every missing role in the timeout message', () => {
      const a = enter('a', 'all', { timeoutMs: 100 });
      clock.advance(100);
      expect(a.error?.message).toBe(
        "Role 'a' waited 100 ms (timeout 100 ms) at barrier 'all', but 'b', 'c' did not arrive:\n  role 'b' was busy with \"step b\".\n  role 'c' was busy with \"step c\".",
      );
    });

    it('does not count a role that arrived and timed out as missing; the others time out saying everyone arrived', () => {
      const a = enter('a', 'late', { timeoutMs: 100 });
      const b = enter('b', 'late', { timeoutMs: 1_000 });
      clock.advance(100);
      expect(a.error).toBeInstanceOf(BarrierTimeoutError);
      const c = enter('c', 'late', { timeoutMs: 1_000 });
      // Everyone has arrived, but a gave up: the barrier does not complete for the rest.
      expect(pending(b) && pending(c)).toBe(true);
      clock.advance(900);
      expect(b.error?.message).toBe(
        "Role 'b' waited 1000 ms (timeout 1000 ms) at barrier 'late'; every role arrived, but some had already given up waiting.",
      );
      expect(pending(c)).toBe(true);
      clock.advance(100);
      expect(c.error).toBeInstanceOf(BarrierTimeoutError);
    });

    it('forgets a barrier whose only waiter timed out, so that role counts as missing again', () => {
      const a = enter('a', 'alone', { timeoutMs: 100 });
      clock.advance(100);
      expect(a.error).toBeInstanceOf(BarrierTimeoutError);
      const b = enter('b', 'alone', { timeoutMs: 100 });
      enter('c', 'alone', { timeoutMs: 100 });
      clock.advance(100);
      expect(b.error?.message).toContain("but 'a' did not arrive");
    });

    it('lets a role that timed out enter again and complete with the others', () => {
      const a1 = enter('a', 'retry', { timeoutMs: 100 });
      const b = enter('b', 'retry', { timeoutMs: 10_000 });
      clock.advance(100);
      expect(a1.error).toBeInstanceOf(BarrierTimeoutError);
      const a2 = enter('a', 'retry');
      const c = enter('c', 'retry');
      expect([a2, b, c].every(passed)).toBe(true);
    });
  });

  describe('roles that finish the test', () => {
    it('fails the barrier at once, naming the participant that passed the test without entering it', () => {
      const a = enter('a', 'sync');
      const b = enter('b', 'sync');
      barriers.roleFinishedTest('c', 't1', null);
      for (const o of [a, b]) {
        expect(o.calls).toBe(1);
        expect(o.error).toBeInstanceOf(BarrierFailedError);
        expect(o.error?.message).toBe("Role 'c' finished the test without entering barrier 'sync', so the barrier cannot complete.");
        expect((o.error as BarrierFailedError).consequence).toBe(false);
      }
      expect(clock.pending()).toBe(0);
    });

    it('fails a barrier entered after a participant finished the test without it, at once', () => {
      barriers.roleFinishedTest('c', 't1', null);
      const a = enter('a', 'sync');
      expect(a.calls).toBe(1);
      expect(a.error?.message).toBe("Role 'c' finished the test without entering barrier 'sync', so the barrier cannot complete.");
      expect(clock.pending()).toBe(0);
    });

    it('does not fail a barrier because of a role that finished the test but is not a participant', () => {
      barriers.roleFinishedTest('c', 't1', null);
      const a = enter('a', 'pair', { roles: ['a', 'b'] });
      const b = enter('b', 'pair', { roles: ['a', 'b'] });
      expect(passed(a) && passed(b)).toBe(true);
    });

    it('does not fail a barrier of another test', () => {
      const a = enter('a', 'sync', { testId: 't2' });
      barriers.roleFinishedTest('c', 't1', null);
      expect(pending(a)).toBe(true);
    });

    it('keeps waiting when the finished role had entered (and timed out at) the barrier', () => {
      const a = enter('a', 'sync', { timeoutMs: 1_000 });
      const c = enter('c', 'sync', { timeoutMs: 10 });
      clock.advance(10);
      expect(c.error).toBeInstanceOf(BarrierTimeoutError);
      barriers.roleFinishedTest('c', 't1', null);
      expect(pending(a)).toBe(true);
    });

    it("fails the others' waits as consequences of a failed role, with rootRole and its summary", () => {
      const a = enter('a', 'sync');
      const b = enter('b', 'sync');
      barriers.roleFinishedTest('c', 't1', { summary: 'expect(received).toBe(expected)', rootRole: 'c' });
      for (const o of [a, b]) {
        const error = o.error as BarrierFailedError;
        expect(o.calls).toBe(1);
        expect(error).toBeInstanceOf(BarrierFailedError);
        expect(error.consequence).toBe(true);
        expect(error.code).toBe('BARRIER_CONSEQUENCE');
        expect(error.rootRole).toBe('c');
        expect(error.rootSummary).toBe('expect(received).toBe(expected)');
        expect(error.message).toBe(
          "Barrier 'sync' was abandoned because role 'c' failed this test (expect(received).toBe(expected)). This is a consequence of role c's failure, not a second root cause.",
        );
      }
    });

    it('fails the others as consequences even when the failed role had already entered the barrier', () => {
      const c = enter('c', 'sync');
      const a = enter('a', 'sync');
      barriers.roleFinishedTest('c', 't1', { summary: 'boom', rootRole: 'c' });
      expect((a.error as BarrierFailedError).rootRole).toBe('c');
      // The failed role's own wait ends too (exactly once), and is not blamed on anybody else.
      expect(c.calls).toBe(1);
      expect((c.error as BarrierFailedError).rootRole).toBeUndefined();
    });

    it('fails a barrier entered after a role failed the test at once, as a consequence', () => {
      barriers.roleFinishedTest('c', 't1', { summary: 'boom', rootRole: 'c' });
      const a = enter('a', 'later');
      expect(a.calls).toBe(1);
      expect((a.error as BarrierFailedError).consequence).toBe(true);
      expect((a.error as BarrierFailedError).rootRole).toBe('c');
      expect(clock.pending()).toBe(0);
    });

    it('names the original root role and summary for a consequence of a consequence', () => {
      // c failed (root cause); b then failed only because of c, and reports c as its root.
      barriers.roleFinishedTest('c', 't1', { summary: 'disk full', rootRole: 'c' });
      const a = enter('a', 'pair', { roles: ['a', 'b'] });
      expect(pending(a)).toBe(true);
      barriers.roleFinishedTest('b', 't1', { summary: 'disk full', rootRole: 'c' });
      const error = a.error as BarrierFailedError;
      expect(error.consequence).toBe(true);
      expect(error.rootRole).toBe('c');
      expect(error.rootSummary).toBe('disk full');
      expect(error.message).toContain("because role 'c' failed this test (disk full)");
      expect(error.message).not.toContain("role 'b'");
    });

    it('keeps the failure when a role reports passing after reporting a failure for the same test', () => {
      barriers.roleFinishedTest('c', 't1', { summary: 'boom', rootRole: 'c' });
      barriers.roleFinishedTest('c', 't1', null);
      const a = enter('a', 'x');
      expect((a.error as BarrierFailedError).consequence).toBe(true);
    });

    it('forgets what it knew about a test after forgetTest', () => {
      barriers.roleFinishedTest('c', 't1', null);
      barriers.forgetTest('t1');
      const outs = ROLES.map((r) => enter(r, 'x'));
      expect(outs.every(passed)).toBe(true);
    });
  });

  describe('roles that are gone', () => {
    it('stops waiting for a terminated role, so the rest complete', () => {
      const a = enter('a', 'sync');
      const b = enter('b', 'sync');
      barriers.roleGone('c');
      expect(passed(a) && passed(b)).toBe(true);
    });

    it('fails the wait of the role that is gone, and leaves it out of later barriers', () => {
      const c = enter('c', 'sync');
      barriers.roleGone('c');
      expect(c.calls).toBe(1);
      expect(c.error?.message).toBe("Role 'c' was terminated while waiting at barrier 'sync'.");
      const a = enter('a', 'next');
      expect(pending(a)).toBe(true);
      const b = enter('b', 'next');
      expect(passed(a) && passed(b)).toBe(true);
    });

    it('leaves a gone role out of an explicit role list', () => {
      barriers.roleGone('b');
      const a = enter('a', 'x', { roles: ['a', 'b'] });
      expect(passed(a)).toBe(true);
    });
  });

  describe('abortAll', () => {
    it('fails every pending barrier once with the reason and cancels their timers', () => {
      const a = enter('a', 'one');
      const b = enter('b', 'two', { testId: 't2' });
      barriers.abortAll('the test file is shutting down');
      expect(a.calls).toBe(1);
      expect(a.error?.message).toBe("Barrier 'one' was aborted: the test file is shutting down");
      expect(b.error?.message).toBe("Barrier 'two' was aborted: the test file is shutting down");
      expect((a.error as BarrierFailedError).consequence).toBe(false);
      expect(clock.pending()).toBe(0);
      clock.advance(10_000);
      expect(a.calls).toBe(1);
      expect(barriers.waitingAt('a')).toEqual([]);
    });
  });

  describe('a role entering the same barrier twice before it completes', () => {
    // BarrierCoordinator.enter documents "`callback` is called exactly once". A second concurrent
    // entry by the same role (e.g. Promise.all([barrier('x'), barrier('x')]) in a test) replaces the
    // first waiter in `barrier.waiting` without answering it or cancelling its timer.
    it('answers each entry exactly once', () => {
      const first = enter('a', 'dup', { timeoutMs: 100 });
      const second = enter('a', 'dup', { timeoutMs: 1_000 });
      enter('b', 'dup');
      enter('c', 'dup');
      clock.advance(5_000);
      expect(first.calls).toBe(1);
      expect(second.calls).toBe(1);
    });
  });
});
