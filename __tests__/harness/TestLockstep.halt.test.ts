import { beforeEach, describe, expect, it } from '@jest/globals';
import type { TestLockstep } from '../../src/harness/TestLockstep';
import { createLockstep, type FakeHost, passed } from './helpers/lockstepHost';
import { type FakeClock, track } from './helpers';

describe('TestLockstep: halt and verdicts', () => {
  let clock: FakeClock;
  let host: FakeHost;
  let lockstep: TestLockstep;

  beforeEach(() => {
    ({ clock, host, lockstep } = createLockstep());
  });

  describe('halt', () => {
    it('releases roles waiting to begin with the error, and makes later begins fail at once', async () => {
      const reason = new Error('the lead finished the file');
      lockstep.begin('b', 't1', 5_000);
      lockstep.begin('a', 't1', 5_000);
      const collected = track(lockstep.collect('t1'));
      lockstep.halt(reason);
      expect(host.gos).toEqual([
        { role: 'b', testId: 't1', error: reason },
        { role: 'a', testId: 't1', error: reason },
      ]);
      await collected.promise;
      lockstep.begin('c', 't1', 5_000);
      lockstep.begin('b', 't2', 5_000);
      expect(host.gos.slice(2)).toEqual([
        { role: 'c', testId: 't1', error: reason },
        { role: 'b', testId: 't2', error: reason },
      ]);
      expect(clock.pending()).toBe(0);
    });

    it('keeps the first reason when halted twice', () => {
      const first = new Error('first');
      lockstep.halt(first);
      lockstep.halt(new Error('second'));
      lockstep.begin('a', 't1', 5_000);
      expect(host.gos[0]?.error).toBe(first);
    });

    it('resolves a collection asked for after halting at once, with what it has', async () => {
      lockstep.halt(new Error('halted'));
      lockstep.result('b', 't1', passed());
      const results = await lockstep.collect('t1');
      expect([...results.keys()]).toEqual(['b']);
    });

    it('does not tell roles of a test that already went to start again', () => {
      for (const r of host.roles) lockstep.begin(r, 't1', 5_000);
      const before = host.gos.length;
      lockstep.halt(new Error('halted'));
      expect(host.gos.length).toBe(before);
    });
  });

  describe('verdicts', () => {
    it('tells every non-lead role that reported the test its merged verdict when the lead publishes it', async () => {
      for (const r of host.roles) lockstep.begin(r, 't1', 5_000);
      lockstep.result('b', 't1', passed());
      lockstep.result('c', 't1', { status: 'failed', durationMs: 1, errors: [{ name: 'Error', message: 'c broke' }] });
      lockstep.result('a', 't1', passed());
      await lockstep.collect('t1');
      expect(host.verdicts).toEqual([]);
      lockstep.publish('t1', true);
      expect(host.verdicts).toEqual([
        { role: 'b', testId: 't1', failed: true },
        { role: 'c', testId: 't1', failed: true },
      ]);
      lockstep.forget('t1');
      expect(host.verdicts).toHaveLength(2);
    });

    it('answers roles with no verdict when the test is forgotten unpublished, or lockstep has halted', () => {
      for (const r of host.roles) lockstep.begin(r, 't1', 5_000);
      lockstep.result('b', 't1', passed());
      lockstep.forget('t1');
      lockstep.halt(new Error('halted'));
      lockstep.result('c', 't2', passed());
      expect(host.verdicts).toEqual([
        { role: 'b', testId: 't1', failed: null },
        { role: 'c', testId: 't2', failed: null },
      ]);
    });

    it('answers a late result for a test already decided with no verdict, and does not start that test again', async () => {
      for (const r of host.roles) lockstep.begin(r, 't1', 5_000);
      for (const r of host.roles) lockstep.result(r, 't1', passed());
      await lockstep.collect('t1');
      lockstep.publish('t1', false);
      lockstep.forget('t1');
      lockstep.result('b', 't1', passed());
      expect(host.verdicts.at(-1)).toEqual({ role: 'b', testId: 't1', failed: null });
      // A fresh attempt of t1 starts from nothing: the late result is not in it.
      for (const r of host.roles) lockstep.begin(r, 't1', 5_000);
      lockstep.result('a', 't1', passed());
      lockstep.result('c', 't1', passed());
      let collected = false;
      void lockstep.collect('t1').then(() => (collected = true));
      await Promise.resolve();
      expect(collected).toBe(false);
    });
  });
});
