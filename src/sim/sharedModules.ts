import timers = require('node:timers');
import timersPromises = require('node:timers/promises');
import perfHooks = require('node:perf_hooks');
import crypto = require('node:crypto');
import { promisify } from 'node:util';
import { RoleTimeSource, VirtualTimer, timerDelayMs, virtualDelay, virtualInterval } from './virtualTimers';
import { PropertyPatches } from './PropertyPatches';
import { RandomSource, acceptsRandomValues, fillRandomBytes, fillRandomValues, randomIntBounds, seededInt, seededUuid } from './seededCrypto';

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
  /** Restores every patched property to its original descriptor. */
  restore: () => void;
}

const STATE_KEY = Symbol.for('jest-environment-multinode.sim.sharedModules');
type StateHolder = { [STATE_KEY]?: PatchState };

/**
 * Patches the built-in module objects that every vm context shares (jest-runtime hands each context
 * Node's own `require('timers')`), so that calls made while a simulated role runs use its virtual
 * time and seeded randomness: `timers` (set/clear Timeout, Interval, Immediate), `timers/promises`
 * (`setTimeout`, `setImmediate`, `setInterval`, `scheduler.wait`/`yield`, with `{ signal }`),
 * `perf_hooks.performance.now`, `crypto.randomUUID`, `randomBytes`, `randomInt`, `getRandomValues`
 * (through `webcrypto.getRandomValues`, which it calls). `node:x` and `x` are the same object, so both are covered.
 *
 * Patches nest: each call adds its route and returns its own undo; the originals come back, with
 * their exact property descriptors, when the last active patch is undone. A binding taken before the
 * patch (`const { setTimeout } = require('node:timers/promises')` in code loaded earlier) keeps the
 * real function and cannot be reached; `watchWakeUps` catches the real timer it creates.
 */
export function patchSharedModules(route: SharedModuleRoute): () => void {
  const holder = timersPromises as unknown as StateHolder;
  const state = (holder[STATE_KEY] ??= { routes: [], restore: installWrappers(holder) });
  state.routes.push(route);
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    state.routes.splice(state.routes.indexOf(route), 1);
    if (state.routes.length === 0) {
      delete holder[STATE_KEY];
      state.restore();
    }
  };
}

/** Replaces each patched property and returns the function that puts the originals back. */
function installWrappers(holder: StateHolder): () => void {
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
  const patch: Patch = (target, key, make) => patches.replace(target, key, make);

  patchTimers(patch, timeNow);
  patchTimersPromises(patch, timeNow);
  patch(perfHooks.performance, 'now', (original) => function now(this: unknown) {
    return timeNow()?.now() ?? original.call(perfHooks.performance);
  });
  patchCrypto(patch, timeNow, randomNow);

  return () => patches.restore();
}

type Patch = <T extends object, K extends keyof T>(target: T, key: K, make: (original: T[K]) => T[K]) => void;
type AnyFunction = (...args: any[]) => any;

function patchTimers(patch: Patch, timeNow: () => RoleTimeSource | undefined): void {
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
      const timer = handle instanceof VirtualTimer ? handle : live.get(Number(handle));
      if (timer !== undefined) timer.close();
      else original.call(this, handle);
    };
  patch(timers, 'setTimeout', (original) => withPromisified(start(original, true, false), () => timersPromises.setTimeout) as never);
  patch(timers, 'setInterval', (original) => start(original, true, true) as never);
  patch(timers, 'setImmediate', (original) => withPromisified(start(original, false, false), () => timersPromises.setImmediate) as never);
  patch(timers, 'clearTimeout', (original) => clear(original) as never);
  patch(timers, 'clearInterval', (original) => clear(original) as never);
  patch(timers, 'clearImmediate', (original) => clear(original) as never);
}

/** Keeps `util.promisify(setTimeout)` working: it reads the wrapper's `promisify.custom`. */
function withPromisified(fn: AnyFunction, promised: () => AnyFunction): AnyFunction {
  Object.defineProperty(fn, promisify.custom, { get: promised, enumerable: true });
  return fn;
}

function signalOf(options: unknown): AbortSignal | undefined {
  return (options as { signal?: AbortSignal } | undefined)?.signal ?? undefined;
}

function patchTimersPromises(patch: Patch, timeNow: () => RoleTimeSource | undefined): void {
  const scheduler = timersPromises.scheduler;
  patch(timersPromises, 'setTimeout', (original) => function setTimeout(this: unknown, ...args: unknown[]) {
    const time = timeNow();
    if (time === undefined) return original.apply(this, args as never);
    return virtualDelay(time, timerDelayMs(args[0]), args[1], signalOf(args[2]));
  } as never);
  patch(timersPromises, 'setImmediate', (original) => function setImmediate(this: unknown, ...args: unknown[]) {
    const time = timeNow();
    if (time === undefined) return original.apply(this, args as never);
    return virtualDelay(time, 0, args[0], signalOf(args[1]));
  } as never);
  patch(timersPromises, 'setInterval', (original) => function setInterval(this: unknown, ...args: unknown[]) {
    const time = timeNow();
    if (time === undefined) return original.apply(this, args as never);
    return virtualInterval(time, timerDelayMs(args[0]), args[1], signalOf(args[2]));
  } as never);
  patch(scheduler, 'wait', (original) => function wait(this: unknown, ...args: unknown[]) {
    const time = timeNow();
    if (time === undefined) return original.apply(scheduler, args as never);
    return virtualDelay(time, timerDelayMs(args[0]), undefined, signalOf(args[1]));
  } as never);
  patch(scheduler, 'yield', (original) => function yieldToQueue(this: unknown) {
    const time = timeNow();
    if (time === undefined) return original.call(scheduler);
    return virtualDelay(time, 0, undefined, undefined);
  } as never);
}

function patchCrypto(patch: Patch, timeNow: () => RoleTimeSource | undefined, randomNow: () => RandomSource | undefined): void {
  /** Delivers a callback-form result as a zero-delay event of the role. */
  const later = (callback: AnyFunction, value: unknown): void => {
    const time = timeNow();
    if (time === undefined) queueMicrotask(() => callback(null, value));
    else time.schedule(0, () => callback(null, value));
  };
  patch(crypto, 'randomUUID', (original) => function randomUUID(this: unknown, ...args: unknown[]) {
    const random = randomNow();
    return random === undefined ? original.apply(this, args as never) : seededUuid(random);
  } as never);
  patch(crypto, 'randomBytes', (original) => function randomBytes(this: unknown, ...args: unknown[]) {
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
  patch(crypto, 'randomInt', (original) => function randomInt(this: unknown, ...args: unknown[]) {
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
  patch(webcrypto, 'getRandomValues', (original) => function getRandomValues(array: unknown) {
    const random = randomNow();
    return random !== undefined && acceptsRandomValues(array) ? fillRandomValues(random, array) : original.call(webcrypto, array);
  });
}
