import { AsyncLocalStorage } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { HARNESS_OWNER, ReentrantStepError, SIM_EPOCH_MS, SimScheduler, type EventError } from '../../src/sim';

/** Runs every queued event and returns the labels they logged, in order. */
function drain(scheduler: SimScheduler, log: string[]): string[] {
  while (scheduler.step());
  return log;
}

/** Schedules `count` same-time events for each owner, in the real-time order `ownersInOrder` gives. */
function scheduleRound(scheduler: SimScheduler, ownersInOrder: string[], log: string[]): void {
  const counts = new Map<string, number>();
  for (const owner of ownersInOrder) {
    const n = (counts.get(owner) ?? 0) + 1;
    counts.set(owner, n);
    scheduler.schedule(owner, 10, () => log.push(`${owner}${n}`));
  }
}

const realTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SimScheduler order', () => {
  it('runs same-time events of different owners in an order that does not depend on who scheduled first', () => {
    const first = new SimScheduler(7);
    const second = new SimScheduler(7);
    const firstLog: string[] = [];
    const secondLog: string[] = [];
    scheduleRound(first, ['a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c'], firstLog);
    scheduleRound(second, ['c', 'b', 'a', 'c', 'a', 'b', 'b', 'c', 'a'], secondLog);
    expect(drain(first, firstLog)).toEqual(drain(second, secondLog));
  });

  it('gives different seeds different orders', () => {
    const orders = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      const scheduler = new SimScheduler(seed);
      const log: string[] = [];
      scheduleRound(scheduler, ['a', 'b', 'c', 'd', 'a', 'b', 'c', 'd'], log);
      orders.add(drain(scheduler, log).join(' '));
    }
    expect(orders.size).toBeGreaterThanOrEqual(15);
  });

  it("keeps one owner's same-time events in the order it scheduled them, among other owners' events", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const scheduler = new SimScheduler(seed);
      const log: string[] = [];
      for (let i = 1; i <= 8; i++) {
        scheduler.schedule('a', 5, () => log.push(`a${i}`));
        scheduler.schedule('b', 5, () => log.push(`b${i}`));
        if (i === 4) scheduler.schedule('a', 9, () => log.push('a-later'));
      }
      drain(scheduler, log);
      expect(log.filter((label) => label.startsWith('a'))).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a-later']);
      expect(log.filter((label) => label.startsWith('b'))).toEqual(['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8']);
    }
  });

  it('runs events in virtual time order and moves now to each event', () => {
    const scheduler = new SimScheduler(1);
    const seen: Array<[string, number]> = [];
    scheduler.schedule('a', 30, () => seen.push(['a', scheduler.now()]));
    scheduler.schedule('b', 10, () => {
      seen.push(['b', scheduler.now()]);
      scheduler.schedule('b', 5, () => seen.push(['b2', scheduler.now()]));
    });
    expect(scheduler.now()).toBe(SIM_EPOCH_MS);
    expect(scheduler.nextAt()).toBe(SIM_EPOCH_MS + 10);
    drain(scheduler, []);
    expect(seen).toEqual([
      ['b', SIM_EPOCH_MS + 10],
      ['b2', SIM_EPOCH_MS + 15],
      ['a', SIM_EPOCH_MS + 30],
    ]);
    expect(new SimScheduler(1, { startMs: 5000 }).now()).toBe(5000);
  });

  it('treats negative and NaN delays as 0', () => {
    const scheduler = new SimScheduler(1);
    scheduler.schedule('a', -50, () => undefined);
    scheduler.schedule('a', Number.NaN, () => undefined);
    expect(scheduler.nextAt()).toBe(SIM_EPOCH_MS);
    drain(scheduler, []);
    expect(scheduler.now()).toBe(SIM_EPOCH_MS);
  });

  it('never runs a cancelled event, and cancelling after it ran is a no-op', () => {
    const scheduler = new SimScheduler(1);
    const log: string[] = [];
    const cancelled = scheduler.schedule('a', 1, () => log.push('cancelled'));
    const ran = scheduler.schedule('a', 2, () => log.push('ran'));
    expect(scheduler.pending()).toBe(2);
    cancelled.cancel();
    cancelled.cancel();
    expect(scheduler.pending()).toBe(1);
    expect(scheduler.nextAt()).toBe(SIM_EPOCH_MS + 2);
    drain(scheduler, log);
    ran.cancel();
    expect(log).toEqual(['ran']);
    expect(scheduler.pending()).toBe(0);
    expect(scheduler.step()).toBe(false);
  });

  it('returns a handle whose cancel() stops that event only', () => {
    const scheduler = new SimScheduler(1);
    const log: string[] = [];
    const first = scheduler.schedule('a', 5, () => log.push('first'));
    scheduler.schedule('a', 5, () => log.push('second'));
    first.cancel();
    first.cancel();
    expect(scheduler.pending()).toBe(1);
    expect(drain(scheduler, log)).toEqual(['second']);
  });

  it('names the owner of the running event, and gives each owner a clock on virtual time', () => {
    const scheduler = new SimScheduler(1);
    const clock = scheduler.clockFor('a');
    const seen: Array<string | null> = [];
    clock.schedule(4, () => seen.push(scheduler.running));
    clock.defer!(() => seen.push(scheduler.running));
    scheduler.clockFor(HARNESS_OWNER).schedule(2, () => seen.push(scheduler.running));
    expect(scheduler.clockFor('a')).toBe(clock);
    drain(scheduler, []);
    expect(seen).toEqual(['a', HARNESS_OWNER, 'a']);
    expect(scheduler.running).toBeNull();
    expect(clock.now()).toBe(SIM_EPOCH_MS + 4);
  });
});

describe('SimScheduler errors', () => {
  it("gives what an event threw to onError with the event's owner, and goes on", () => {
    const errors: EventError[] = [];
    const scheduler = new SimScheduler(1, { onError: (owner, error) => errors.push({ owner, error }) });
    const boom = new Error('boom');
    const log: string[] = [];
    scheduler.schedule('b', 1, () => {
      throw boom;
    });
    scheduler.schedule('c', 2, () => log.push('after'));
    expect(() => drain(scheduler, log)).not.toThrow();
    expect(errors).toEqual([{ owner: 'b', error: boom }]);
    expect(log).toEqual(['after']);
    expect(scheduler.running).toBeNull();
  });

  it('keeps the errors when there is no onError, or when onError itself throws', () => {
    const scheduler = new SimScheduler(1);
    scheduler.schedule('a', 1, () => {
      throw new Error('lost?');
    });
    drain(scheduler, []);
    expect(scheduler.uncaught).toEqual([{ owner: 'a', error: new Error('lost?') }]);

    const failing = new SimScheduler(1, {
      onError: () => {
        throw new Error('handler broke');
      },
    });
    failing.schedule('b', 1, () => {
      throw new Error('first');
    });
    drain(failing, []);
    expect(failing.uncaught).toEqual([
      { owner: 'b', error: new Error('first') },
      { owner: 'b', error: new Error('handler broke') },
    ]);
  });

  it('refuses to step from inside an event', () => {
    const errors: unknown[] = [];
    const scheduler = new SimScheduler(1, { onError: (_owner, error) => errors.push(error) });
    scheduler.schedule('a', 1, () => scheduler.step());
    drain(scheduler, []);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ReentrantStepError);
    expect((errors[0] as Error).message).toContain("an event of 'a' was still running");
  });
});

describe('SimScheduler run loop', () => {
  it("lets an event's promise continuations and async functions finish before the next event", async () => {
    const scheduler = new SimScheduler(1);
    const log: string[] = [];
    const work = async (): Promise<void> => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
      log.push('a: async work done');
    };
    scheduler.schedule('a', 1, () => {
      void work();
      void Promise.resolve()
        .then(() => undefined)
        .then(() => log.push('a: continuation'));
    });
    scheduler.schedule('b', 2, () => {
      log.push('b');
      scheduler.stop();
    });
    await scheduler.run();
    expect(log).toEqual(['a: continuation', 'a: async work done', 'b']);
  });

  it('runs nothing while a hold is open and resumes when every hold is released', async () => {
    const scheduler = new SimScheduler(1);
    const log: string[] = [];
    scheduler.schedule('a', 1, () => log.push('a'));
    const releaseLoad = scheduler.hold('loading role b');
    const releaseOther = scheduler.hold('loading role c');
    expect(scheduler.holds()).toEqual(['loading role b', 'loading role c']);
    const loop = scheduler.run();
    for (let i = 0; i < 5; i++) await realTurn();
    expect(log).toEqual([]);
    releaseLoad();
    releaseLoad();
    expect(scheduler.holds()).toEqual(['loading role c']);
    for (let i = 0; i < 5; i++) await realTurn();
    expect(log).toEqual([]);
    releaseOther();
    for (let i = 0; i < 5; i++) await realTurn();
    expect(log).toEqual(['a']);
    expect(scheduler.holds()).toEqual([]);
    scheduler.stop();
    await loop;
  });

  it('parks while the queue is empty, wakes for a new event and ends on stop', async () => {
    const scheduler = new SimScheduler(1);
    const log: string[] = [];
    const loop = scheduler.run();
    expect(scheduler.run()).toBe(loop);
    for (let i = 0; i < 5; i++) await realTurn();
    scheduler.schedule('a', 100, () => log.push('a'));
    for (let i = 0; i < 5; i++) await realTurn();
    expect(log).toEqual(['a']);
    scheduler.stop();
    await loop;
    scheduler.schedule('a', 1, () => log.push('after stop'));
    for (let i = 0; i < 5; i++) await realTurn();
    expect(log).toEqual(['a']);
  });

  it("runs events in the loop's own async context, never in that of whoever woke it", async () => {
    const store = new AsyncLocalStorage<string>();
    const scheduler = new SimScheduler(1);
    const seen: Array<string | undefined> = [];
    const loop = store.run('loop', () => scheduler.run());
    await realTurn();
    store.run('waker', () => scheduler.schedule('a', 1, () => seen.push(store.getStore())));
    for (let i = 0; i < 5; i++) await realTurn();
    scheduler.schedule('a', 1, () => {
      seen.push(store.getStore());
      scheduler.stop();
    });
    await loop;
    expect(seen).toEqual(['loop', 'loop']);
  });

  it('keeps neither the CPU nor Node busy while parked: a process whose loop is never stopped exits', async () => {
    // A loop that spun on real immediates while parked would keep this process alive forever.
    const script = [
      "const { SimScheduler } = require('./src/sim');",
      'const scheduler = new SimScheduler(1);',
      'void scheduler.run();',
      "setTimeout(() => scheduler.schedule('a', 1000, () => console.log('ran at +' + (scheduler.now() - scheduler.startMs))), 20);",
    ].join('\n');
    const root = join(__dirname, '..', '..');
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: root, timeout: 30_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    });
    expect(output.trim()).toBe('ran at +1000');
  }, 40_000);
});
