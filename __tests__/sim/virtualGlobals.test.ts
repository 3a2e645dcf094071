import { types } from 'node:util';
import { afterEach, describe, expect, it } from '@jest/globals';
import { SIM_EPOCH_MS, SimScheduler, VirtualGlobalsInstalledError, installVirtualGlobals } from '../../src/sim';
import { createRng } from '../../src/util';
import { createJestContext, type JestContext } from './helpers/jestContext';

const contexts: JestContext[] = [];
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.teardown();
});

interface Role {
  context: JestContext;
  scheduler: SimScheduler;
  errors: Array<[string, unknown]>;
  uninstall: () => void;
}

/** A Jest context for `owner` with virtual globals on a scheduler of `seed`. */
function role(owner = 'a', seed = 1, scheduler?: SimScheduler): Role {
  const context = createJestContext();
  contexts.push(context);
  const errors: Array<[string, unknown]> = [];
  const sim = scheduler ?? new SimScheduler(seed, { onError: (who, error) => errors.push([who, error]) });
  const uninstall = installVirtualGlobals(context.global, { scheduler: sim, owner, rng: createRng(seed).fork(owner) });
  return { context, scheduler: sim, errors, uninstall };
}

function drain(scheduler: SimScheduler): void {
  while (scheduler.step());
}

describe('virtual timers', () => {
  it('run callbacks as events of the role at virtual times, with their extra arguments', () => {
    const { context, scheduler } = role('a');
    const seen: Array<[string, number, string | null]> = [];
    context.expose('record', (label: string) => seen.push([label, scheduler.now() - SIM_EPOCH_MS, scheduler.running]));
    context.run(`setTimeout((x, y) => record('timeout ' + x + y), 250, 'p', 'q');
      setTimeout(() => record('zero'), 0);
      setImmediate((x) => record('immediate ' + x), 'i');`);
    expect(scheduler.pending()).toBe(3);
    drain(scheduler);
    // Like Node: an immediate runs before a 0 ms timeout, which waits 1 ms.
    expect(seen).toEqual([
      ['immediate i', 0, 'a'],
      ['zero', 1, 'a'],
      ['timeout pq', 250, 'a'],
    ]);
  });

  it('repeat setInterval until cleared by the numeric id of its handle', () => {
    const { context, scheduler } = role();
    const times: number[] = [];
    context.expose('record', () => times.push(scheduler.now() - SIM_EPOCH_MS));
    const id = context.run<number>(`const interval = setInterval(() => { record(); if (++globalThis.ticks === 3) clearInterval(id); }, 100);
      globalThis.ticks = 0; const id = +interval; id`);
    expect(typeof id).toBe('number');
    drain(scheduler);
    expect(times).toEqual([100, 200, 300]);
  });

  it('clear timeouts by handle, by id, by string id and with close(); clear immediates by handle', () => {
    const { context, scheduler } = role();
    context.expose('record', () => {
      throw new Error('a cleared timer ran');
    });
    context.run(`clearTimeout(setTimeout(record, 10));
      const t = setTimeout(record, 10); clearTimeout(Number(t));
      const s = setTimeout(record, 10); clearTimeout(String(+s));
      setTimeout(record, 10).close();
      clearImmediate(setImmediate(record));`);
    expect(scheduler.pending()).toBe(0);
  });

  it('refresh() restarts the delay from now, also after the timeout fired, but not once cleared', () => {
    const { context, scheduler } = role();
    const times: number[] = [];
    context.expose('record', () => times.push(scheduler.now() - SIM_EPOCH_MS));
    const timer = context.run<{ refresh(): unknown; close(): unknown }>('setTimeout(record, 100)');
    scheduler.schedule('a', 60, () => timer.refresh());
    drain(scheduler);
    expect(times).toEqual([160]);
    timer.refresh();
    drain(scheduler);
    expect(times).toEqual([160, 260]);
    timer.close();
    timer.refresh();
    expect(scheduler.pending()).toBe(0);
  });

  it('have handles like Node: ref, unref, hasRef, and a callback type check in the role realm', () => {
    const { context } = role();
    expect(context.run('const t = setTimeout(() => {}, 5); [t.hasRef(), t.unref() === t, t.hasRef(), t.ref().hasRef()]')).toEqual([true, true, false, true]);
    expect(context.run('const i = setImmediate(() => {}); [i.hasRef(), i.unref().hasRef()]')).toEqual([true, false]);
    expect(context.run('try { setTimeout("code", 1) } catch (e) { e instanceof TypeError }')).toBe(true);
  });

  it("send a callback's throw to the scheduler's onError for the role, and keep an interval going", () => {
    const { context, scheduler, errors } = role('b');
    context.run(`let n = 0; const i = setInterval(() => { n++; if (n === 3) clearInterval(i); throw new Error('tick ' + n); }, 10);`);
    drain(scheduler);
    expect(errors.map(([owner, error]) => [owner, (error as Error).message])).toEqual([
      ['b', 'tick 1'],
      ['b', 'tick 2'],
      ['b', 'tick 3'],
    ]);
  });

  it('make util.promisify(setTimeout) wait in virtual time', async () => {
    const { context, scheduler } = role();
    context.expose('promisify', (await import('node:util')).promisify);
    const result = context.run<Promise<string>>(`promisify(setTimeout)(5000, 'done')`);
    expect(scheduler.nextAt()).toBe(SIM_EPOCH_MS + 5000);
    drain(scheduler);
    await expect(result).resolves.toBe('done');
  });
});

describe('virtual Date, performance and hrtime', () => {
  it('give virtual now from new Date(), Date() and Date.now(), and keep the other uses', () => {
    const { context, scheduler } = role();
    scheduler.schedule('a', 1234, () => undefined);
    drain(scheduler);
    const now = SIM_EPOCH_MS + 1234;
    expect(context.run('[new Date().getTime(), Date.now()]')).toEqual([now, now]);
    expect(context.run('Date()')).toBe(new Date(now).toString());
    expect(context.run('[new Date(0).getTime(), new Date(2020, 1, 3).getMonth(), Date.UTC(2020, 0, 1), Date.parse("2020-01-01T00:00:00Z")]')).toEqual([0, 1, Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 1)]);
    expect(context.run('class Later extends Date {}; new Later().getTime()')).toBe(now);
  });

  it('keep instanceof Date for dates of the original constructor and of the virtual one', () => {
    const context = createJestContext();
    contexts.push(context);
    const before = context.run<Date>('globalThis.early = new Date(5); early');
    installVirtualGlobals(context.global, { scheduler: new SimScheduler(1), owner: 'a', rng: createRng(1) });
    expect(context.run('[early instanceof Date, new Date() instanceof Date, new Date().constructor === Date, Object.prototype.toString.call(new Date())]')).toEqual([true, true, true, '[object Date]']);
    const made = context.run<Date>('new Date()');
    expect(types.isDate(made)).toBe(true);
    expect(made instanceof Date).toBe(false); // another realm's Date, as without simulation
    expect(Object.getPrototypeOf(made)).toBe(Object.getPrototypeOf(before));
  });

  it('count performance.now() from timeOrigin = the virtual start, delegating the rest', () => {
    const { context, scheduler } = role();
    expect(context.run('[performance.timeOrigin, performance.now()]')).toEqual([SIM_EPOCH_MS, 0]);
    scheduler.schedule('a', 2.5, () => undefined);
    drain(scheduler);
    expect(context.run('performance.now()')).toBe(2.5);
    expect(context.run('performance.toJSON().timeOrigin')).toBe(SIM_EPOCH_MS);
    expect(context.run('performance.mark("m").name')).toBe('m');
    expect(context.run('typeof performance.eventLoopUtilization().utilization')).toBe('number');
    expect(context.run('performance instanceof Performance')).toBe(true);
  });

  it("patch hrtime on the role's own process object only, in virtual nanoseconds", () => {
    const realHrtime = process.hrtime;
    const realBigint = process.hrtime.bigint;
    const { context, scheduler } = role();
    const start = context.run<[number, number]>('globalThis.start = process.hrtime(); start');
    const startBig = context.run<bigint>('globalThis.startBig = process.hrtime.bigint(); startBig');
    expect(startBig).toBeGreaterThan(0n);
    scheduler.schedule('a', 1500.25, () => undefined);
    drain(scheduler);
    expect(context.run('process.hrtime(start)')).toEqual([1, 500_250_000]);
    expect(context.run('process.hrtime.bigint() - startBig')).toBe(1_500_250_000n);
    expect(start[0] * 1e9 + start[1]).toBe(Number(startBig));
    expect(process.hrtime).toBe(realHrtime);
    expect(process.hrtime.bigint).toBe(realBigint);
  });
});

describe('seeded randomness', () => {
  const randoms = (seed: number, owner = 'a'): number[] => role(owner, seed).context.run('Array.from({ length: 5 }, () => Math.random())');

  it('gives Math.random the same sequence for the same seed and role, another for another seed or role', () => {
    const first = randoms(1);
    expect(randoms(1)).toEqual(first);
    expect(randoms(2)).not.toEqual(first);
    expect(randoms(1, 'b')).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('leaves the outer Math.random alone', () => {
    const outer = Math.random;
    role();
    expect(Math.random).toBe(outer);
  });

  it('seeds crypto.randomUUID (v4 format) and getRandomValues, and keeps crypto.subtle working', async () => {
    const uuids = (seed: number): string[] => role('a', seed).context.run('[crypto.randomUUID(), crypto.randomUUID()]');
    const first = uuids(3);
    expect(first[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first[0]).not.toBe(first[1]);
    expect(uuids(3)).toEqual(first);
    expect(uuids(4)).not.toEqual(first);

    const fill = (seed: number): Array<{ same: boolean; values: number[] }> =>
      role('a', seed).context.run('[new Uint8Array(7), new Uint32Array(3), new Int16Array(2), new BigInt64Array(1)].map((a) => ({ same: crypto.getRandomValues(a) === a, values: Array.from(a, Number) }))');
    const filled = fill(5);
    expect(filled.map(({ same }) => same)).toEqual([true, true, true, true]);
    expect(filled.every(({ values }) => values.some((value) => value !== 0))).toBe(true);
    expect(fill(5)).toEqual(filled);
    expect(fill(6)).not.toEqual(filled);

    const { context } = role();
    expect(context.run('try { crypto.getRandomValues(new Float64Array(2)) } catch (e) { e instanceof TypeError }')).toBe(true);
    expect(context.run('try { crypto.getRandomValues(new Uint8Array(65537)) } catch (e) { e instanceof RangeError }')).toBe(true);
    const digest = await context.run<Promise<ArrayBuffer>>('crypto.subtle.digest("SHA-256", new Uint8Array([1, 2, 3]))');
    expect(Buffer.from(digest).toString('hex')).toBe('039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81');
  });
});

describe('install and uninstall', () => {
  it('restores every original on uninstall, once', () => {
    const context = createJestContext();
    contexts.push(context);
    const g = context.global;
    const names = ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'Date', 'performance', 'crypto'] as const;
    const originals = names.map((name) => g[name]);
    const originalRandom = g.Math.random;
    const originalHrtime = g.process.hrtime;
    const uninstall = installVirtualGlobals(g, { scheduler: new SimScheduler(1), owner: 'a', rng: createRng(1) });
    expect(names.map((name) => g[name] === originals[names.indexOf(name)])).toEqual(names.map(() => false));
    expect(g.Math.random).not.toBe(originalRandom);
    expect(g.process.hrtime).not.toBe(originalHrtime);
    uninstall();
    uninstall();
    expect(names.map((name) => g[name])).toEqual(originals);
    expect(g.Math.random).toBe(originalRandom);
    expect(g.process.hrtime).toBe(originalHrtime);
    expect(context.run('new Date().constructor === Date')).toBe(true);
    expect(Math.abs(context.run<number>('Date.now()') - Date.now())).toBeLessThan(60_000);
  });

  it('refuses a second install on the same global until the first is undone', () => {
    const { context, uninstall } = role('a');
    const again = () => installVirtualGlobals(context.global, { scheduler: new SimScheduler(1), owner: 'b', rng: createRng(1) });
    expect(again).toThrow(VirtualGlobalsInstalledError);
    expect(again).toThrow("Virtual globals for 'b' cannot be installed on a global that already has those of 'a'");
    uninstall();
    expect(again).not.toThrow();
  });
});
