import timers = require('node:timers');
import timersPromises = require('node:timers/promises');
import perfHooks = require('node:perf_hooks');
import crypto = require('node:crypto');
import { promisify } from 'node:util';
import { createRng } from '../../src/util';
import { patchSharedModules, VirtualTimer, type SharedModuleRoute } from '../../src/sim';
import { ManualTime, RunningRole, flush } from './helpers/manualTime';

/** Two roles with their own time and seeded randomness; `as(role, fn)` runs fn as that role. */
function twoRoles() {
  const runner = new RunningRole();
  const { as } = runner;
  const time = { a: new ManualTime(1000, (fn) => as('a', fn)), b: new ManualTime(5000, (fn) => as('b', fn)) };
  const random = { a: createRng(1), b: createRng(2) };
  const route: SharedModuleRoute = {
    currentRole: () => runner.current,
    timeOf: (role) => time[role as 'a' | 'b'],
    randomOf: (role) => {
      const rng = random[role as 'a' | 'b'];
      return rng === undefined ? undefined : () => rng.next();
    },
  };
  return { as, time, route };
}

const PATCHED: Array<[object, string]> = [
  [timers, 'setTimeout'],
  [timers, 'setInterval'],
  [timers, 'setImmediate'],
  [timers, 'clearTimeout'],
  [timers, 'clearInterval'],
  [timers, 'clearImmediate'],
  [timersPromises, 'setTimeout'],
  [timersPromises, 'setImmediate'],
  [timersPromises, 'setInterval'],
  [timersPromises.scheduler, 'wait'],
  [timersPromises.scheduler, 'yield'],
  [perfHooks.performance, 'now'],
  [crypto, 'randomUUID'],
  [crypto, 'randomBytes'],
  [crypto, 'randomInt'],
  [crypto.webcrypto, 'getRandomValues'],
];

function descriptors(): Array<PropertyDescriptor | undefined> {
  return PATCHED.map(([target, key]) => Object.getOwnPropertyDescriptor(target, key));
}

let undo: Array<() => void> = [];
afterEach(() => {
  for (const u of undo.reverse()) u();
  undo = [];
});
function patch(route: SharedModuleRoute): () => void {
  const u = patchSharedModules(route);
  undo.push(u);
  return u;
}

describe('patchSharedModules', () => {
  it('node:-prefixed and plain names are the same module objects, so one patch covers both', () => {
    expect(require('node:timers/promises')).toBe(require('timers/promises'));
    expect(require('node:timers')).toBe(require('timers'));
    expect(require('node:crypto')).toBe(require('crypto'));
    expect(require('node:perf_hooks')).toBe(require('perf_hooks'));
  });

  it('runs timers callbacks in the running role\'s virtual time, with arguments, and clears them', () => {
    const { as, time, route } = twoRoles();
    patch(route);
    const fired: string[] = [];
    as('a', () => {
      timers.setTimeout((x: string) => fired.push(`timeout ${x} at ${time.a.now()}`), 30, 'x');
      const cleared = timers.setTimeout(() => fired.push('cleared'), 10);
      timers.clearTimeout(cleared);
      timers.setImmediate((y: string) => fired.push(`immediate ${y} at ${time.a.now()}`), 'y');
    });
    as('b', () => {
      const handle = timers.setInterval(() => {
        fired.push(`interval at ${time.b.now()}`);
        if (time.b.now() >= 5020) timers.clearInterval(+handle);
      }, 10);
      expect(handle).toBeInstanceOf(VirtualTimer);
    });
    time.a.advance(100);
    time.b.advance(100);
    expect(fired).toEqual(['immediate y at 1000', 'timeout x at 1030', 'interval at 5010', 'interval at 5020']);
    expect(time.b.pending).toBe(0);
    expect(time.a.delays).toEqual([30, 10, 0]);
  });

  it('leaves calls outside a role (or of an unknown role) to the real functions', () => {
    const { as, time, route } = twoRoles();
    patch(route);
    for (const role of [null, 'stranger']) {
      as(role, () => {
        const handle = timers.setTimeout(() => undefined, 10);
        expect(handle).not.toBeInstanceOf(VirtualTimer);
        timers.clearTimeout(handle);
        expect(Math.abs(perfHooks.performance.now() - performance.now())).toBeLessThan(1000);
      });
    }
    expect(time.a.pending + time.b.pending).toBe(0);
  });

  it('resolves timers/promises in virtual time with their value, including util.promisify(setTimeout)', async () => {
    const { as, time, route } = twoRoles();
    patch(route);
    const results: unknown[] = [];
    as('a', () => {
      void timersPromises.setTimeout(50, 'late').then((v) => results.push([v, time.a.now()]));
      void timersPromises.setImmediate('soon').then((v) => results.push([v, time.a.now()]));
      void promisify(timers.setTimeout)(20, 'promisified').then((v) => results.push([v, time.a.now()]));
      void timersPromises.scheduler.wait(70).then(() => results.push(['wait', time.a.now()]));
    });
    for (let step = 0; step <= 100; step += 10) {
      await flush();
      time.a.advance(step === 0 ? 0 : 10);
    }
    await flush();
    expect(results).toEqual([['soon', 1000], ['promisified', 1020], ['late', 1050], ['wait', 1070]]);
  });

  it('iterates timers/promises setInterval in virtual time', async () => {
    const { as, time, route } = twoRoles();
    patch(route);
    const iterator = as('a', () => timersPromises.setInterval(10, 'tick'));
    time.a.advance(25);
    expect(await iterator.next()).toEqual({ done: false, value: 'tick' });
    expect(await iterator.next()).toEqual({ done: false, value: 'tick' });
    const third = iterator.next();
    time.a.advance(10);
    expect(await third).toEqual({ done: false, value: 'tick' });
    await iterator.return!();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(time.a.pending).toBe(0);
  });

  it('rejects on abort with the same AbortError as Node, before and after the timer starts', async () => {
    const real = await timersPromises.setTimeout(1, 'x', { signal: AbortSignal.abort('why') }).catch((e: unknown) => e);
    const { as, time, route } = twoRoles();
    patch(route);
    const controller = new AbortController();
    const pending = as('a', () => timersPromises.setTimeout(100, 'x', { signal: controller.signal }));
    const immediate = as('a', () => timersPromises.setImmediate('y', { signal: controller.signal }));
    const early = as('a', () => timersPromises.setTimeout(100, 'x', { signal: AbortSignal.abort('why') }));
    controller.abort('why');
    for (const promise of [pending, immediate, early]) {
      const error = (await promise.catch((e: unknown) => e)) as Error & { code: string };
      expect(error.constructor).toBe((real as Error).constructor);
      expect([error.name, error.code, error.message, error.cause]).toEqual(['AbortError', 'ABORT_ERR', (real as Error).message, 'why']);
    }
    expect(time.a.pending).toBe(0);
  });

  it('reads performance.now from the running role', () => {
    const { as, time, route } = twoRoles();
    patch(route);
    expect(as('a', () => perfHooks.performance.now())).toBe(1000);
    expect(as('b', () => performance.now())).toBe(5000);
    time.a.advance(7);
    expect(as('a', () => perfHooks.performance.now())).toBe(1007);
  });

  it('draws crypto randomness from the running role\'s seeded source: the same seed gives the same values', () => {
    const draw = () => {
      const { as, route } = twoRoles();
      const u = patchSharedModules(route);
      try {
        return as('a', () => ({
          uuid: crypto.randomUUID(),
          bytes: crypto.randomBytes(8).toString('hex'),
          int: crypto.randomInt(10, 1000),
          values: Array.from(crypto.getRandomValues(new Uint32Array(2))),
          web: Array.from(crypto.webcrypto.getRandomValues(new Uint8Array(4))),
          global: Array.from(globalThis.crypto.getRandomValues(new Uint16Array(2))),
        }));
      } finally {
        u();
      }
    };
    const first = draw();
    expect(draw()).toEqual(first);
    expect(first.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.int).toBeGreaterThanOrEqual(10);
    expect(first.int).toBeLessThan(1000);
    const { as, route } = twoRoles();
    patch(route);
    expect(as('b', () => crypto.randomUUID())).not.toBe(first.uuid);
    expect(as(null, () => crypto.randomUUID())).not.toBe(as(null, () => crypto.randomUUID()));
  });

  it('delivers callback-form randomBytes and randomInt as role events', () => {
    const { as, time, route } = twoRoles();
    patch(route);
    const got: unknown[] = [];
    as('a', () => {
      crypto.randomBytes(4, (error, bytes) => got.push([error, bytes.length]));
      crypto.randomInt(3, (error, n) => got.push([error, n < 3]));
    });
    expect(got).toEqual([]);
    time.a.advance(0);
    expect(got).toEqual([[null, 4], [null, true]]);
  });

  it('leaves invalid arguments to Node, which throws its own errors', () => {
    const { as, route } = twoRoles();
    patch(route);
    as('a', () => {
      expect(() => crypto.randomInt(5, 5)).toThrow(/max/);
      expect(() => crypto.getRandomValues(new Float64Array(2) as never)).toThrow();
    });
  });

  it('restores the exact original property descriptors', () => {
    const before = descriptors();
    const u = patchSharedModules(twoRoles().route);
    expect(descriptors()).not.toEqual(before);
    u();
    const after = descriptors();
    after.forEach((descriptor, i) => expect(descriptor).toStrictEqual(before[i]));
    expect(Object.getOwnPropertyDescriptor(perfHooks.performance, 'now')).toBeUndefined();
  });

  it('nests: the originals come back only when the last patch is undone, each undo once', () => {
    const before = descriptors();
    const first = twoRoles();
    const second = twoRoles();
    const undoFirst = patchSharedModules(first.route);
    const undoSecond = patchSharedModules(second.route);
    undoFirst();
    undoFirst();
    expect(second.as('a', () => perfHooks.performance.now())).toBe(1000);
    const real = first.as('a', () => timers.setTimeout(() => undefined, 1));
    timers.clearTimeout(real);
    expect(real).not.toBeInstanceOf(VirtualTimer);
    const third = patchSharedModules(first.route);
    undoSecond();
    expect(descriptors()).not.toEqual(before);
    third();
    expect(descriptors()).toStrictEqual(before);
  });
});
