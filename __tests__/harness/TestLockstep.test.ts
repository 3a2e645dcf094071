import { beforeEach, describe, expect, it } from '@jest/globals';
import { TestMismatchError } from '../../src/harness/errors';
import type { RoleResult, TestLockstep } from '../../src/harness/TestLockstep';
import { createLockstep, type FakeHost, GRACE_MS, passed } from './helpers/lockstepHost';
import { type FakeClock, flush, track } from './helpers';

describe('TestLockstep', () => {
  let clock: FakeClock;
  let host: FakeHost;
  let lockstep: TestLockstep;

  beforeEach(() => {
    ({ clock, host, lockstep } = createLockstep());
  });

  const plan = (role: string, ids: readonly string[]): void => lockstep.plan(role, ids.map((id) => ({ id, timeoutMs: 5_000 })));

  describe('start', () => {
    it('says go only once the lead and every active role have begun, to every role once', () => {
      lockstep.begin('b', 't1', 5_000);
      lockstep.begin('a', 't1', 5_000);
      expect(host.gos).toEqual([]);
      lockstep.begin('c', 't1', 5_000);
      expect(host.gos).toEqual([
        { role: 'b', testId: 't1', error: null },
        { role: 'a', testId: 't1', error: null },
        { role: 'c', testId: 't1', error: null },
      ]);
    });

    it('waits for the lead even when every other role has begun', () => {
      lockstep.begin('b', 't1', 5_000);
      lockstep.begin('c', 't1', 5_000);
      clock.advance(60_000);
      expect(host.gos).toEqual([]);
      expect(host.terminated).toEqual([]);
      lockstep.begin('a', 't1', 5_000);
      expect(host.goneTo('t1').sort()).toEqual(['a', 'b', 'c']);
    });

    it('does not wait for a role that is no longer active', () => {
      host.leave('c', { status: 'missing', durationMs: 0, errors: [] });
      lockstep.begin('a', 't1', 5_000);
      lockstep.begin('b', 't1', 5_000);
      expect(host.goneTo('t1')).toEqual(['a', 'b']);
    });

    it('says go when the last missing role stops being active', () => {
      lockstep.begin('a', 't1', 5_000);
      lockstep.begin('b', 't1', 5_000);
      expect(host.gos).toEqual([]);
      host.leave('c', { status: 'missing', durationMs: 0, errors: [] });
      expect(host.goneTo('t1')).toEqual(['a', 'b']);
    });

    it('goes at the start deadline without late roles, terminating them through the host', () => {
      lockstep.begin('a', 't1', 5_000);
      lockstep.begin('b', 't1', 5_000);
      clock.advance(5_000 + GRACE_MS - 1);
      expect(host.gos).toEqual([]);
      expect(host.terminated).toEqual([]);
      clock.advance(1);
      expect(host.terminated).toEqual([
        { role: 'c', reason: 'it did not reach the start of test "t1" within 6000 ms (the test\'s timeout plus a grace period)' },
      ]);
      expect(host.goneTo('t1')).toEqual(['a', 'b']);
    });

    it('goes at the start deadline even when the host does not re-evaluate after terminating', () => {
      // A host whose terminate only deactivates the role: the lockstep itself must still go.
      host.lockstep = null;
      lockstep.begin('a', 't1', 100);
      lockstep.begin('b', 't1', 100);
      clock.advance(100 + GRACE_MS);
      expect(host.terminated.map((t) => t.role)).toEqual(['c']);
      expect(host.goneTo('t1')).toEqual(['a', 'b']);
    });

    it('lets a role that begins after go (late but not terminated) start at once', () => {
      host.leave('c', { status: 'missing', durationMs: 0, errors: [] });
      lockstep.begin('a', 't1', 5_000);
      lockstep.begin('b', 't1', 5_000);
      lockstep.begin('c', 't1', 5_000);
      expect(host.gos.at(-1)).toEqual({ role: 'c', testId: 't1', error: null });
    });

    it('cancels the start deadline once it has gone', () => {
      lockstep.begin('a', 't1', 5_000);
      lockstep.begin('b', 't1', 5_000);
      lockstep.begin('c', 't1', 5_000);
      lockstep.result('a', 't1', passed());
      lockstep.result('b', 't1', passed());
      lockstep.result('c', 't1', passed());
      clock.advance(60_000);
      expect(host.terminated).toEqual([]);
    });
  });

  describe('results', () => {
    const startAll = (testId = 't1', timeoutMs = 5_000): void => {
      for (const r of host.roles) lockstep.begin(r, testId, timeoutMs);
    };

    it("collects every role's result once all are in", async () => {
      startAll();
      lockstep.result('a', 't1', passed(1));
      const collected = track(lockstep.collect('t1'));
      lockstep.result('b', 't1', passed(2));
      await flush();
      expect(collected.settled).toBe(false);
      lockstep.result('c', 't1', { status: 'failed', durationMs: 3, errors: [{ name: 'Error', message: 'boom' }] });
      const results = await collected.promise;
      expect(Object.fromEntries(results)).toEqual({
        a: passed(1),
        b: passed(2),
        c: { status: 'failed', durationMs: 3, errors: [{ name: 'Error', message: 'boom' }] },
      });
    });

    it('says a role waits while it has begun a test that has not started everywhere, or finished one that others have not', () => {
      lockstep.begin('b', 't1', 5_000);
      expect(['a', 'b', 'c'].filter((r) => lockstep.isWaiting(r))).toEqual(['b']);
      lockstep.begin('a', 't1', 5_000);
      lockstep.begin('c', 't1', 5_000);
      expect(['a', 'b', 'c'].filter((r) => lockstep.isWaiting(r))).toEqual([]);
      lockstep.result('a', 't1', passed());
      lockstep.result('c', 't1', passed());
      expect(['a', 'b', 'c'].filter((r) => lockstep.isWaiting(r))).toEqual(['a', 'c']);
      lockstep.result('b', 't1', passed());
      expect(['a', 'b', 'c'].filter((r) => lockstep.isWaiting(r))).toEqual([]);
    });

    it('keeps the first result a role reports for a test', async () => {
      startAll();
      lockstep.result('b', 't1', passed(1));
      lockstep.result('b', 't1', { status: 'failed', durationMs: 9, errors: [] });
      lockstep.result('a', 't1', passed());
      lockstep.result('c', 't1', passed());
      expect((await lockstep.collect('t1')).get('b')).toEqual(passed(1));
    });

    it('terminates roles without a result at the run deadline, and the collection then completes', async () => {
      startAll('t1', 2_000);
      lockstep.result('a', 't1', passed());
      lockstep.result('b', 't1', passed());
      const collected = track(lockstep.collect('t1'));
      clock.advance(2_000 + GRACE_MS - 1);
      await flush();
      expect(host.terminated).toEqual([]);
      expect(collected.settled).toBe(false);
      clock.advance(1);
      expect(host.terminated).toEqual([
        { role: 'c', reason: 'it did not finish test "t1" within 2000 ms (the test\'s timeout) plus a grace period of 1000 ms' },
      ]);
      const results = await collected.promise;
      expect(results.get('c')?.status).toBe('terminated');
      // It ran the test from its start until it was terminated.
      expect(results.get('c')?.durationMs).toBe(2_000 + GRACE_MS);
      expect(results.get('b')).toEqual(passed());
    });

    it('never terminates the lead at the run deadline', () => {
      startAll('t1', 2_000);
      lockstep.result('b', 't1', passed());
      lockstep.result('c', 't1', passed());
      clock.advance(60_000);
      expect(host.terminated).toEqual([]);
    });

    it('fills in absent results for roles whose file failed or finished before the test', async () => {
      const fileFailed: RoleResult = { status: 'failed', durationMs: 0, errors: [{ name: 'RoleTerminatedError', message: 'file failed on b' }] };
      const missing: RoleResult = { status: 'missing', durationMs: 0, errors: [{ name: 'Error', message: 'c finished' }] };
      host.leave('b', fileFailed);
      host.leave('c', missing);
      lockstep.begin('a', 't1', 5_000);
      expect(host.goneTo('t1')).toEqual(['a']);
      lockstep.result('a', 't1', passed());
      const results = await lockstep.collect('t1');
      expect(results.get('a')).toEqual(passed());
      expect(results.get('b')).toEqual(fileFailed);
      expect(results.get('c')).toEqual(missing);
    });

    it('fills in the absent result of a role that stops being active while the test runs', async () => {
      startAll();
      lockstep.result('a', 't1', passed());
      lockstep.result('b', 't1', passed());
      const collected = track(lockstep.collect('t1'));
      await flush();
      expect(collected.settled).toBe(false);
      host.leave('c', { status: 'failed', durationMs: 0, errors: [{ name: 'Error', message: 'worker died' }] });
      const results = await collected.promise;
      expect(results.get('c')?.errors[0]?.message).toBe('worker died');
    });

    it('cancels its timers on forget and close', () => {
      startAll();
      expect(clock.pending()).toBe(1);
      lockstep.forget('t1');
      expect(clock.pending()).toBe(0);
      lockstep.begin('a', 't2', 5_000);
      expect(clock.pending()).toBe(1);
      lockstep.close();
      expect(clock.pending()).toBe(0);
      clock.advance(60_000);
      expect(host.terminated).toEqual([]);
    });

    // TestLockstep.collect documents "Resolves with every role's result for `testId` (the lead's
    // first)", and CircusBridge.mergeErrors relies on the order ("other roles' in role order"), but the
    // Map is in arrival order (absent results of inactive roles even go in before anybody reports).
    it("resolves with the lead's result first even when another role reported before it", async () => {
      startAll();
      lockstep.result('c', 't1', passed());
      lockstep.result('b', 't1', passed());
      lockstep.result('a', 't1', passed());
      const results = await lockstep.collect('t1');
      expect([...results.keys()][0]).toBe('a');
    });
  });

  describe('plan mismatch', () => {
    const expectMismatch = (message: string): void => {
      lockstep.begin('a', 'anything', 5_000);
      const error = host.gos.at(-1)?.error;
      expect(error).toBeInstanceOf(TestMismatchError);
      expect((error as TestMismatchError).code).toBe('TEST_MISMATCH');
      expect(error?.message).toBe(message);
    };

    it('accepts identical plans, whichever role announces first', () => {
      plan('b', ['x', 'y']);
      plan('a', ['x', 'y']);
      plan('c', ['x', 'y']);
      lockstep.begin('a', 'x', 5_000);
      expect(host.gos).toEqual([]);
    });

    it('halts with a clear error when a role has an extra test', () => {
      plan('a', ['x']);
      plan('b', ['x', 'y']);
      expectMismatch(
        `Roles define different tests inside describe.multinode: role 'b' has the extra test "y". Every role must define the same tests; do not define tests conditionally on multinode.role (use runOn inside the test instead).`,
      );
    });

    it('halts when a role lacks a test of the lead, even if the lead announces its plan last', () => {
      plan('c', ['x']);
      plan('a', ['x', 'y']);
      expectMismatch(
        `Roles define different tests inside describe.multinode: role 'a' has the test "y", which role 'c' does not define. Every role must define the same tests; do not define tests conditionally on multinode.role (use runOn inside the test instead).`,
      );
    });

    it('halts when roles run the same tests in a different order', () => {
      plan('a', ['x', 'y']);
      plan('b', ['y', 'x']);
      expectMismatch(
        `Roles define different tests inside describe.multinode: test 1 is "x" on role 'a' but "y" on role 'b'. Every role must define the same tests; do not define tests conditionally on multinode.role (use runOn inside the test instead).`,
      );
    });

    it('halts when a role uses a test name twice', () => {
      plan('b', ['x', 'x']);
      expectMismatch(
        `The test name "x" is used twice inside describe.multinode on role 'b'. Multi-node tests are matched across roles by full name, so every name must be unique in the file.`,
      );
    });

    it('gives the mismatch error a stack of its message alone (no harness frames)', () => {
      plan('a', ['x']);
      plan('b', ['y']);
      lockstep.begin('a', 'x', 5_000);
      const error = host.gos.at(-1)?.error;
      expect(error?.stack).toBe(`TestMismatchError: ${error?.message}`);
    });

    it('releases every waiter: roles waiting to begin and a pending collection', async () => {
      lockstep.begin('a', 't1', 5_000);
      lockstep.begin('b', 't1', 5_000);
      const collected = track(lockstep.collect('t1'));
      plan('a', ['t1']);
      plan('c', ['t2']);
      expect(host.goneTo('t1')).toEqual(['a', 'b']);
      expect(host.gos.every((g) => g.error instanceof TestMismatchError)).toBe(true);
      await collected.promise;
      expect(clock.pending()).toBe(0);
    });

    it('keeps the first mismatch when more follow', () => {
      plan('a', ['x']);
      plan('b', ['y']);
      plan('c', ['x', 'z']);
      lockstep.begin('a', 'x', 5_000);
      expect(host.gos.at(-1)?.error?.message).toContain(`test 1 is "x" on role 'a' but "y" on role 'b'`);
    });

    // describeDifference fills the role names in with String.replace('{a}', …) on a message that
    // already contains the test names, so a test name containing "{a}" or "{b}" receives the role name
    // and the placeholder after it is left in the message.
    it('quotes test names that contain "{a}" or "{b}" as they are', () => {
      plan('a', ['renders {b}']);
      plan('b', ['renders {a}']);
      lockstep.begin('a', 'x', 5_000);
      expect(host.gos.at(-1)?.error?.message).toContain(`test 1 is "renders {b}" on role 'a' but "renders {a}" on role 'b'`);
    });
  });

});
