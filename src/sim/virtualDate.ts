/**
 * A `Date` constructor on virtual time. It shares its `prototype` with the realm's original
 * `Date`, so every date (made before, after or by either constructor) is `instanceof` both.
 */

/**
 * `Date` for a realm whose original constructor is `original`, reading the time from `now`
 * (epoch milliseconds; `Date.now()` floors it). `new Date()`, `Date()` and `Date.now()` give
 * virtual now; every other use (`new Date(ms)`, `new Date(y, m, d)`, `Date.parse`, `Date.UTC`,
 * subclasses) behaves as the original.
 */
export function createVirtualDate(original: DateConstructor, now: () => number): DateConstructor {
  const VirtualDate = function Date(this: unknown, ...args: unknown[]): Date | string {
    // Called without `new`, Date ignores its arguments and returns the current time as a string.
    if (new.target === undefined) return new original(now()).toString();
    return Reflect.construct(original, args.length === 0 ? [now()] : args, new.target) as Date;
  } as unknown as DateConstructor;
  Object.setPrototypeOf(VirtualDate, Object.getPrototypeOf(original));
  Object.defineProperties(VirtualDate, {
    length: { value: original.length },
    prototype: { value: original.prototype, writable: false, enumerable: false, configurable: false },
    now: { value: () => Math.floor(now()), writable: true, configurable: true },
    parse: { value: original.parse, writable: true, configurable: true },
    UTC: { value: original.UTC, writable: true, configurable: true },
  });
  return VirtualDate;
}
