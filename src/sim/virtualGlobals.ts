import type { Rng } from '../util';
import type { SimQueue } from './SimWorld';
import { createSeededCrypto } from './seededCrypto';
import { VirtualGlobalsInstalledError } from './timeErrors';
import { createVirtualDate } from './virtualDate';
import { createVirtualTimers } from './virtualTimers';

/** What `installVirtualGlobals` puts a role on. */
export interface VirtualGlobalsOptions {
  /** The file's scheduler; the role's timers become its events and its time is the scheduler's. */
  scheduler: SimQueue;
  /** The role (event owner) the timers belong to and errors are reported against. */
  owner: string;
  /** The role's seeded generator, e.g. `createRng(seed).fork(role)`; forked again for `Math.random` and `crypto`. */
  rng: Rng;
}

// Like real hrtime, an arbitrary fixed origin (1000 s before the virtual start), never 0.
const HRTIME_ORIGIN_NS = 1_000_000_000_000n;

const installedOn = new WeakMap<object, string>();

/**
 * Puts one role's globals on virtual time and seeded randomness, on `global` only: a vm
 * context's global object (a Jest environment's `this.global`) with its own intrinsics.
 *
 * Replaced: `setTimeout`, `setInterval`, `setImmediate` and their clears (events of `owner`;
 * a callback's throw goes to the scheduler's `onError` with `owner`); `Date` (same `prototype`,
 * so `instanceof Date` holds for every date); `performance` (a per-role object whose `now()` counts
 * from `timeOrigin` = the scheduler's `startMs`, other members delegating to the original);
 * `process.hrtime` and `hrtime.bigint` on the context's own `process` object; `Math.random`;
 * `crypto` (a per-role object whose `randomUUID` and `getRandomValues` are seeded, `subtle` the
 * original's). Members the global lacks are left out. `queueMicrotask` and `process.nextTick`
 * are left alone. Module objects shared between realms (`node:timers`, `node:crypto`,
 * `perf_hooks`) are not touched here.
 *
 * Install before the role's code and before Jest's fake timers are constructed on this global
 * (see `fakeTimersStartAt`). Returns the uninstall, which restores every original property
 * descriptor; calling it twice is a no-op. Throws `VirtualGlobalsInstalledError` when `global`
 * already has virtual globals.
 */
export function installVirtualGlobals(global: object, options: VirtualGlobalsOptions): () => void {
  const { scheduler, owner, rng } = options;
  const already = installedOn.get(global);
  if (already !== undefined) throw new VirtualGlobalsInstalledError(owner, already);
  const g = global as typeof globalThis;
  const realm = { TypeError: g.TypeError ?? TypeError, RangeError: g.RangeError ?? RangeError, Promise: g.Promise ?? Promise };
  const now = (): number => scheduler.now();
  const restores: Array<() => void> = [];
  const replace = (target: object, key: PropertyKey, value: unknown): void => {
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: descriptor?.enumerable ?? false });
    restores.push(() => {
      if (descriptor === undefined) Reflect.deleteProperty(target, key);
      else Object.defineProperty(target, key, descriptor);
    });
  };

  for (const [name, fn] of Object.entries(createVirtualTimers(scheduler, owner, realm))) replace(g, name, fn);

  const originalDate = g.Date;
  const virtualDate = createVirtualDate(originalDate, now);
  replace(g, 'Date', virtualDate);
  // `new Date().constructor === Date` holds in Node; keep it so on this context's own prototype.
  if (originalDate.prototype.constructor === originalDate) replace(originalDate.prototype, 'constructor', virtualDate);

  const originalPerformance = g.performance as Performance | undefined;
  if (originalPerformance !== undefined) replace(g, 'performance', createVirtualPerformance(originalPerformance, now, scheduler.startMs));

  const processObject = g.process as NodeJS.Process | undefined;
  if (typeof processObject?.hrtime === 'function') {
    // Jest gives each context its own process object but shares the hrtime function: replace, never mutate.
    replace(processObject, 'hrtime', createVirtualHrtime(now, scheduler.startMs, realm.TypeError));
  }

  if (g.Math !== undefined) {
    const random = rng.fork('Math.random');
    replace(g.Math, 'random', () => random.next());
  }

  if (g.crypto !== undefined) replace(g, 'crypto', createSeededCrypto(g.crypto, rng.fork('crypto'), realm));

  installedOn.set(global, owner);
  let installed = true;
  return () => {
    if (!installed) return;
    installed = false;
    for (const restore of restores.reverse()) restore();
    installedOn.delete(global);
  };
}

type Performance = typeof globalThis.performance;

/**
 * A per-role `performance`: `now()` is virtual milliseconds since `startMs`, `timeOrigin` is
 * `startMs`, and every other member (marks, measures, event-loop utilisation) delegates to the
 * original, which keeps real time. Its prototype is the original's, so `instanceof` holds.
 */
function createVirtualPerformance(original: Performance, now: () => number, startMs: number): Performance {
  const virtual = Object.create(Object.getPrototypeOf(original) as object) as Performance;
  const delegate = (owner: object): void => {
    for (const key of Reflect.ownKeys(owner)) {
      if (key === 'constructor' || Object.prototype.hasOwnProperty.call(virtual, key)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(owner, key)!;
      const { value, get } = descriptor;
      // Performance members check their receiver, so they are always called on the original.
      if (typeof value === 'function') Object.defineProperty(virtual, key, { ...descriptor, value: (...args: unknown[]) => Reflect.apply(value, original, args) });
      else if (get !== undefined) Object.defineProperty(virtual, key, { get: () => Reflect.apply(get, original, []), configurable: true, enumerable: descriptor.enumerable });
      else Object.defineProperty(virtual, key, descriptor);
    }
  };
  Object.defineProperties(virtual, {
    now: { value: () => now() - startMs, writable: true, configurable: true, enumerable: true },
    timeOrigin: { value: startMs, writable: true, configurable: true, enumerable: true },
    toJSON: { value: () => ({ ...(original.toJSON() as object), timeOrigin: startMs }), writable: true, configurable: true, enumerable: true },
  });
  delegate(original);
  for (let proto = Object.getPrototypeOf(original) as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    delegate(proto);
  }
  return virtual;
}

/** `process.hrtime` with `bigint`, counting virtual nanoseconds from a fixed origin. */
function createVirtualHrtime(now: () => number, startMs: number, realmTypeError: TypeErrorConstructor): NodeJS.HRTime {
  const nanoseconds = (): bigint => HRTIME_ORIGIN_NS + BigInt(Math.round((now() - startMs) * 1e6));
  const hrtime = (previous?: [number, number]): [number, number] => {
    const ns = nanoseconds();
    let seconds = Number(ns / 1_000_000_000n);
    let nanos = Number(ns % 1_000_000_000n);
    if (previous !== undefined) {
      if (!Array.isArray(previous) || previous.length !== 2) {
        throw new realmTypeError(`process.hrtime needs an array of [seconds, nanoseconds] to measure from; it was given ${String(previous)}.`);
      }
      seconds -= previous[0];
      nanos -= previous[1];
      if (nanos < 0) {
        seconds -= 1;
        nanos += 1e9;
      }
    }
    return [seconds, nanos];
  };
  hrtime.bigint = nanoseconds;
  return hrtime;
}
