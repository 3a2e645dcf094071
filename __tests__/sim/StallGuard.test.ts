import { describe, expect, it } from '@jest/globals';
import { SimScheduler, SimulationStalledError, StallGuard, type Stall } from '../../src/sim';
import { FakeClock } from '../harness/helpers/FakeClock';

/** A guard over a real `SimScheduler`'s progress, on a fake real-time clock, with the roles a test says are unfinished. */
function guarded(stallTimeoutMs = 3_000): { clock: FakeClock; scheduler: SimScheduler; unfinished: string[]; stalls: Stall[]; guard: StallGuard } {
  const clock = new FakeClock();
  const scheduler = new SimScheduler(1);
  const unfinished = ['a', 'b'];
  const stalls: Stall[] = [];
  const guard = StallGuard.start({ stallTimeoutMs, clock, progress: () => scheduler.progress, unfinished: () => [...unfinished], onStall: (stall) => stalls.push(stall) });
  return { clock, scheduler, unfinished, stalls, guard };
}

describe('StallGuard', () => {
  it('reports once, with the unfinished roles, when nothing moved for the stall timeout', () => {
    const { clock, stalls } = guarded();
    clock.advance(2_999);
    expect(stalls).toEqual([]);
    clock.advance(1_001);
    expect(stalls).toEqual([{ stalledMs: expect.any(Number), roles: ['a', 'b'] }]);
    expect(stalls[0]!.stalledMs).toBeGreaterThanOrEqual(3_000);
    expect(stalls[0]!.stalledMs).toBeLessThanOrEqual(4_000);
    clock.advance(60_000);
    expect(stalls).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });

  it('counts from the last event that ran', () => {
    const { clock, scheduler, stalls } = guarded();
    for (let i = 0; i < 10; i++) {
      scheduler.schedule('a', 1, () => undefined);
      scheduler.step();
      clock.advance(1_000);
    }
    expect(stalls).toEqual([]);
    clock.advance(4_000);
    expect(stalls.map((s) => s.roles)).toEqual([['a', 'b']]);
  });

  it('counts a released hold as the simulation moving on (a role that finished loading its file)', () => {
    const { clock, scheduler, stalls } = guarded();
    const loads = ['a', 'b', 'c', 'd'].map((role) => scheduler.hold(`load:${role}`));
    for (const release of loads) {
      clock.advance(2_000);
      release();
    }
    expect(stalls).toEqual([]);
  });

  it('does not count time during which every role had finished', () => {
    const { clock, unfinished, stalls } = guarded();
    unfinished.splice(0);
    clock.advance(10_000);
    expect(stalls).toEqual([]);
    unfinished.push('b');
    clock.advance(2_000);
    expect(stalls).toEqual([]);
    clock.advance(2_000);
    expect(stalls.map((s) => s.roles)).toEqual([['b']]);
  });

  it('reports nothing once stopped, and leaves no timer behind', () => {
    const { clock, guard, stalls } = guarded();
    clock.advance(1_000);
    guard.stop();
    clock.advance(10_000);
    expect(stalls).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it('refuses a stall timeout that is not a positive number of milliseconds', () => {
    for (const stallTimeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => guarded(stallTimeoutMs)).toThrow(`A StallGuard needs a positive, finite stallTimeoutMs; it was given ${stallTimeoutMs}.`);
    }
  });
});

describe('SimScheduler.releaseHolds', () => {
  it('lets every hold go at once, so that the run loop runs the events it held back', async () => {
    const scheduler = new SimScheduler(1);
    const release = scheduler.hold('load:a');
    scheduler.hold('real work started by b');
    const ran: string[] = [];
    scheduler.schedule('b', 5_000, () => ran.push('deadline'));
    const loop = scheduler.run();
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual([]);
    const before = scheduler.progress;
    expect(scheduler.releaseHolds()).toEqual(['load:a', 'real work started by b']);
    expect(scheduler.progress).toBeGreaterThan(before);
    expect(scheduler.holds()).toEqual([]);
    // A release taken before is a no-op now.
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual(['deadline']);
    scheduler.stop();
    await loop;
  });
});

describe('SimulationStalledError', () => {
  it('names the role, what it was doing, the other unfinished roles, the limit and what held virtual time', () => {
    const report = { stalledMs: 3_012.4, roles: ['a', 'b', 'c'], stallTimeoutMs: 3_000, virtualMs: 0, heldBy: ['load:b'] };
    const error = new SimulationStalledError('b', 'was loading its copy of the test file', report, true);
    expect(error.code).toBe('SIMULATION_STALLED');
    expect(error.message).toBe(
      "The simulation stalled: no event ran for 3012 ms of real time (multinode.simulation.stallTimeoutMs is 3000 ms) while role 'b' was loading its copy " +
        "of the test file; roles 'a', 'c' had not finished either. Virtual time stood still at +0 ms, held by 'load:b' with nothing else to run. " +
        "Role 'b' was ended so that the file fails instead of hanging; raise multinode.simulation.stallTimeoutMs if loading the file or real work legitimately takes longer.",
    );
    // The lead is not ended: it runs in Jest's own context.
    expect(new SimulationStalledError('a', 'was loading its copy of the test file', report, false).message).toMatch(
      /held by 'load:b' with nothing else to run\. Raise multinode\.simulation\.stallTimeoutMs/,
    );
    const alone = new SimulationStalledError('c', 'was running "x"', { stalledMs: 5_000, roles: ['c'], stallTimeoutMs: 5_000, virtualMs: 1_250, heldBy: [] }, true);
    expect(alone.message).toMatch(/while role 'c' was running "x"\. Virtual time stood still at \+1250 ms, with no event left to run\./);
  });
});
