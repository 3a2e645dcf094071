import timers = require('node:timers');
import timersPromises = require('node:timers/promises');
import perfHooks = require('node:perf_hooks');
import crypto = require('node:crypto');
import { promisify } from 'node:util';
import { RoleTimeSource, VirtualTimer, timerDelayMs, virtualDelay, virtualInterval } from './sharedTimers';
import { PropertyPatches } from './PropertyPatches';
import { RandomSource, acceptsRandomValues, fillRandomBytes, fillRandomValues, randomIntBounds, seededInt, seededUuid } from './sharedCrypto';

/**
 * How the patched shared modules find the running role's virtual time and seeded randomness. A call
 * made while `currentRole()` names a role known to `timeOf`/`randomOf` uses that role's sources; any
 * other call (no role running, an unknown role) goes to Node's original function.
 */
export interface SharedModuleRoute {
  /** The role whose event runs right now, or null. */
  currentRole(): string | null;
  /** The role's virtual time; its `now()` is what `performance.now()` returns for the role. */
  timeOf(role: string): RoleTimeSource | undefined;
  /** The role's seeded source of numbers in [0, 1). */
  randomOf(role: string): RandomSource | undefined;
}

/**
 * The patch's state, kept on the shared `timers/promises` object itself so that two copies of this
 * module (two module registries in one thread) share one set of wrappers and one reference count.
 */
interface PatchState {
  /** Active routes, newest last; a call uses the newest route that knows the running role. */
  routes: SharedModuleRoute[];
  /** The replaced properties, restored when the last route is removed. */
  patches: PropertyPatches;
}

const STATE_KEY = Symbol.for('jest-environment-multinode.sim.sharedModules');
type StateHolder = { [STATE_KEY]?: PatchState };

/**
 * Patches the built-in module objects that every vm context shares (jest-runtime hands each context
 * Node's own `require('timers')`), so that calls made while a simulated role runs use its virtual
 * time and seeded randomness: `timers` (set/clear Timeout, Interval, Immediate), `timers/promises`
 * (`setTimeout`, `setImmediate`, `setInterval`, `scheduler.wait`/`yield`, with `{ signal }`),
 * `perf_hooks.performance.now`, `crypto.randomUUID`, `randomBytes`, `randomInt`, `getRandomValues`
 * (through `webcrypto.getRandomValues`, which it calls). `node:x` and `x` are the same object, so
 * both are covered.
 *
 * Patches nest: each call adds its route and returns its own undo; the originals come back, with
 * their exact property descriptors, when the last active patch is undone. A binding taken before the
 * patch (`const { setTimeout } = require('node:timers/promises')` in code loaded earlier) keeps the
 * real function and cannot be reached; `watchWakeUps` catches the real timer it creates. Role code
 * loaded after the patch is reached however it binds: destructured, ESM-imported, or a TypeScript
 * named import compiled to CommonJS (which reads the module's property at each call).
 */
export function patchSharedModules(route: SharedModuleRoute): () => void {
  const holder = timersPromises as unknown as StateHolder;
  const state = (holder[STATE_KEY] ??= { routes: [], patches: installWrappers(holder) });
  state.routes.push(route);
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    state.routes.splice(state.routes.indexOf(route), 1);
    if (state.routes.length === 0) {
      delete holder[STATE_KEY];
      state.patches.restore();
    }
  };
}

/** Replaces each patched property with a wrapper that looks up the running role at each call. */
function installWrappers(holder: StateHolder): PropertyPatches {
  const lookup = <T>(pick: (route: SharedModuleRoute, role: string) => T | undefined): T | undefined => {
    const routes = holder[STATE_KEY]?.routes ?? [];
    for (let i = routes.length - 1; i >= 0; i--) {
      const role = routes[i]!.currentRole();
      const found = role === null ? undefined : pick(routes[i]!, role);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const timeNow = (): RoleTimeSource | undefined => lookup((route, role) => route.timeOf(role));
  const randomNow = (): RandomSource | undefined => lookup((route, role) => route.randomOf(role));
  const patches = new PropertyPatches();
  patchTimers(patches, timeNow);
  patchTimersPromises(patches, timeNow);
  patches.replace(perfHooks.performance, 'now', (original) => function now(this: unknown) {
    return timeNow()?.now() ?? original.call(perfHooks.performance);
  });
  patchCrypto(patches, timeNow, randomNow);
  return patches;
}

type AnyFunction = (...args: any[]) => any;

function patchTimers(patches: PropertyPatches, timeNow: () => RoleTimeSource | undefined): void {
  const live = new Map<number, VirtualTimer>();
  /** A `set*` wrapper; `hasDelay` says whether the argument after the callback is a delay. */
  const start = (original: AnyFunction, hasDelay: boolean, repeat: boolean): AnyFunction =>
    function (this: unknown, callback: unknown, ...rest: unknown[]) {
      const time = timeNow();
      if (time === undefined || typeof callback !== 'function') return original.call(this, callback, ...rest);
      const delayMs = hasDelay ? timerDelayMs(rest[0]) : 0;
      const args = hasDelay ? rest.slice(1) : rest;
      const timer = new VirtualTimer(time, delayMs, repeat, () => callback(...args), (done) => live.delete(done.id));
      live.set(timer.id, timer);
      return timer;
    };
  const clear = (original: AnyFunction): AnyFunction =>
    function (this: unknown, handle: unknown) {
      const byId = typeof handle === 'number' || typeof handle === 'string' ? live.get(Number(handle)) : undefined;
      const timer = handle instanceof VirtualTimer ? handle : byId;
      if (timer !== undefined) timer.close();
      else original.call(this, handle);
    };
  patches.replace(timers, 'setTimeout', (original) => withPromisified(start(original, true, false), () => timersPromises.setTimeout) as never);
  patches.replace(timers, 'setInterval', (original) => start(original, true, true) as never);
  patches.replace(timers, 'setImmediate', (original) => withPromisified(start(original, false, false), () => timersPromises.setImmediate) as never);
  patches.replace(timers, 'clearTimeout', (original) => clear(original) as never);
  patches.replace(timers, 'clearInterval', (original) => clear(original) as never);
  patches.replace(timers, 'clearImmediate', (original) => clear(original) as never);
}

/** Keeps `util.promisify(setTimeout)` working: it reads the wrapper's `promisify.custom`. */
function withPromisified(fn: AnyFunction, promised: () => AnyFunction): AnyFunction {
  Object.defineProperty(fn, promisify.custom, { get: promised, enumerable: true });
  return fn;
}

function signalOf(options: unknown): AbortSignal | undefined {
  return (options as { signal?: AbortSignal } | undefined)?.signal ?? undefined;
}

function patchTimersPromises(patches: PropertyPatches, timeNow: () => RoleTimeSource | undefined): void {
  /** A wrapper calling `virtual` with the running role's time, else the original on `self`. */
  const inVirtualTime =
    (self: object, virtual: (time: RoleTimeSource, args: unknown[]) => unknown) =>
    (original: AnyFunction): never =>
      function (...args: unknown[]) {
        const time = timeNow();
        return time === undefined ? original.apply(self, args) : virtual(time, args);
      } as never;
  const { scheduler } = timersPromises;
  patches.replace(
    timersPromises,
    'setTimeout',
    inVirtualTime(timersPromises, (time, [delay, value, options]) => virtualDelay(time, timerDelayMs(delay), value, signalOf(options))),
  );
  patches.replace(
    timersPromises,
    'setImmediate',
    inVirtualTime(timersPromises, (time, [value, options]) => virtualDelay(time, 0, value, signalOf(options))),
  );
  patches.replace(
    timersPromises,
    'setInterval',
    inVirtualTime(timersPromises, (time, [delay, value, options]) => virtualInterval(time, timerDelayMs(delay), value, signalOf(options))),
  );
  patches.replace(
    scheduler,
    'wait',
    inVirtualTime(scheduler, (time, [delay, options]) => virtualDelay(time, timerDelayMs(delay), undefined, signalOf(options))),
  );
  patches.replace(scheduler, 'yield', inVirtualTime(scheduler, (time) => virtualDelay(time, 0, undefined, undefined)));
}

function patchCrypto(patches: PropertyPatches, timeNow: () => RoleTimeSource | undefined, randomNow: () => RandomSource | undefined): void {
  /** Delivers a callback-form result as a zero-delay event of the role. */
  const later = (callback: AnyFunction, value: unknown): void => {
    const time = timeNow();
    if (time === undefined) queueMicrotask(() => callback(null, value));
    else time.schedule(0, () => callback(null, value));
  };
  patches.replace(crypto, 'randomUUID', (original) => function randomUUID(this: unknown, ...args: unknown[]) {
    const random = randomNow();
    return random === undefined ? original.apply(this, args as never) : seededUuid(random);
  } as never);
  patches.replace(crypto, 'randomBytes', (original) => function randomBytes(this: unknown, ...args: unknown[]) {
    const random = randomNow();
    const [size, callback] = args;
    const valid = Number.isSafeInteger(size) && (size as number) >= 0 && (size as number) <= 2 ** 31 - 1;
    if (random === undefined || !valid || (callback !== undefined && typeof callback !== 'function')) {
      return original.apply(this, args as never);
    }
    const bytes = fillRandomBytes(random, Buffer.alloc(size as number)) as Buffer;
    if (callback === undefined) return bytes;
    later(callback as AnyFunction, bytes);
    return undefined;
  } as never);
  patches.replace(crypto, 'randomInt', (original) => function randomInt(this: unknown, ...args: unknown[]) {
    const random = randomNow();
    const bounds = randomIntBounds(args);
    const callback = args.find((arg) => typeof arg === 'function') as AnyFunction | undefined;
    if (random === undefined || bounds === undefined) return original.apply(this, args as never);
    const value = seededInt(random, bounds);
    if (callback === undefined) return value;
    later(callback, value);
    return undefined;
  } as never);
  const webcrypto = crypto.webcrypto as unknown as { getRandomValues: AnyFunction };
  // `crypto.getRandomValues` is a non-configurable getter whose function calls
  // `webcrypto.getRandomValues` at each call, so this one patch covers both (and `globalThis.crypto`,
  // the same object as `webcrypto`).
  patches.replace(webcrypto, 'getRandomValues', (original) => function getRandomValues(array: unknown) {
    const random = randomNow();
    return random !== undefined && acceptsRandomValues(array) ? fillRandomValues(random, array) : original.call(webcrypto, array);
  });
}
