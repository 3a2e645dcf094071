/**
 * Jest's modern fake timers (`jest.useFakeTimers()`) on top of virtual time.
 *
 * What `@jest/fake-timers` 30 does, and why a helper is needed:
 * - `ModernFakeTimers` calls `@sinonjs/fake-timers`' `withGlobal(global)` in its constructor,
 *   which captures the global's `Date` (the base of its fake `Date`), `setImmediate` (which the
 *   async APIs such as `advanceTimersByTimeAsync` and `runAllTimersAsync` use to yield) and
 *   `setInterval` (which drives `advanceTimers: true`). Constructed before `installVirtualGlobals`,
 *   as jest-environment-node does in its constructor, those would be the real ones: a real
 *   immediate wakes the role from outside the simulation. So construct it (and
 *   `LegacyFakeTimers`, whose `useRealTimers()` puts back the timers it captured at construction)
 *   again after installing, before Jest's `Runtime` is created, which reads
 *   `environment.fakeTimersModern` once: in the environment's constructor.
 * - `useFakeTimers(config)` starts the fake clock at `config.now ?? Date.now()` with the `Date` of
 *   the realm `@jest/fake-timers` was loaded in, the real one; and `now()` (`jest.now()`) and
 *   `getRealSystemTime()` read that real `Date` too. `fakeTimersStartAt` makes them virtual.
 * - Everything else already works on virtual time once constructed after the install: sinon's
 *   `install` saves the global's members as they are at `useFakeTimers()` (the virtual ones) and
 *   `useRealTimers()` restores exactly those; its fake clock advances only when told
 *   (`advanceTimersByTime`), starting from virtual now.
 */

/** The members of Jest's `ModernFakeTimers` that `fakeTimersStartAt` wraps. */
export interface ModernFakeTimersLike {
  useFakeTimers(config?: { now?: number | Date } & object): void;
  useRealTimers(): void;
  now(): number;
  getRealSystemTime(): number;
}

/**
 * Makes a `ModernFakeTimers` instance start at virtual time and returns it: `useFakeTimers()`
 * without a `now` starts the fake clock at `now()` (virtual now), unless the project's `fakeTimers`
 * config (`configured`) gives one; `jest.now()` while fake timers are off and
 * `jest.getRealSystemTime()` give virtual now. The instance must have been constructed after
 * `installVirtualGlobals` on the same global (see the module comment).
 *
 * ```ts
 * uninstall = installVirtualGlobals(this.global, { scheduler, owner: role, rng });
 * this.fakeTimersModern = fakeTimersStartAt(new ModernFakeTimers({ config: projectConfig, global: this.global }), () => scheduler.now(), projectConfig.fakeTimers);
 * ```
 */
export function fakeTimersStartAt<T extends ModernFakeTimersLike>(fakeTimers: T, now: () => number, configured: object = {}): T {
  const configuredNow = 'now' in configured ? (configured.now as number | Date | undefined) : undefined;
  const useFakeTimers = fakeTimers.useFakeTimers.bind(fakeTimers);
  const useRealTimers = fakeTimers.useRealTimers.bind(fakeTimers);
  const fakeNow = fakeTimers.now.bind(fakeTimers);
  let faking = false;
  // Own properties shadow the class's methods, also for the class's own `this.useRealTimers()` in `dispose()`.
  Object.assign(fakeTimers, {
    useFakeTimers(config?: { now?: number | Date } & object): void {
      useFakeTimers({ ...config, now: config?.now ?? configuredNow ?? Math.floor(now()) });
      faking = true;
    },
    useRealTimers(): void {
      useRealTimers();
      faking = false;
    },
    now: (): number => (faking ? fakeNow() : now()),
    getRealSystemTime: (): number => Math.floor(now()),
  });
  return fakeTimers;
}
