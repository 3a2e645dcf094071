import { types } from 'node:util';

/**
 * The randomness functions of `node:crypto`, computed from a role's seeded random source so that a
 * seed replays them. Arguments these functions do not handle are left to Node's originals (which
 * validate and throw as usual); see `sharedModules.ts`.
 */

/** A seeded source of numbers in [0, 1). */
export type RandomSource = () => number;

/** Fills `bytes` with seeded random bytes. */
export function fillRandomBytes(random: RandomSource, bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

/** A version-4 UUID (RFC 9562) made from 16 seeded random bytes. */
export function seededUuid(random: RandomSource): string {
  const bytes = fillRandomBytes(random, new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Node's bound on `randomInt`'s range (max - min). */
const RANDOM_INT_MAX_RANGE = 2 ** 48 - 1;

/**
 * The `[min, max)` bounds of a `randomInt(min?, max)` call when they are valid safe integers within
 * Node's range, else undefined (Node's original then throws its own error).
 */
export function randomIntBounds(args: readonly unknown[]): { min: number; max: number } | undefined {
  const [min, max] = args.length >= 2 && typeof args[1] !== 'function' ? [args[0], args[1]] : [0, args[0]];
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max)) return undefined;
  const range = (max as number) - (min as number);
  return range > 0 && range <= RANDOM_INT_MAX_RANGE ? { min: min as number, max: max as number } : undefined;
}

/** A seeded integer in `[min, max)`. */
export function seededInt(random: RandomSource, bounds: { min: number; max: number }): number {
  return bounds.min + Math.floor(random() * (bounds.max - bounds.min));
}

/** Web Crypto's limit on one `getRandomValues` call. */
const GET_RANDOM_VALUES_MAX_BYTES = 65536;

/**
 * Whether `getRandomValues` accepts `value`: an integer typed array of at most 65536 bytes, from any
 * realm (a role's arrays come from its own context, so `instanceof` would not do).
 */
export function acceptsRandomValues(value: unknown): value is NodeJS.TypedArray {
  return (
    types.isTypedArray(value) &&
    !types.isFloat32Array(value) &&
    !types.isFloat64Array(value) &&
    value.byteLength <= GET_RANDOM_VALUES_MAX_BYTES
  );
}

/** Fills an integer typed array's bytes with seeded random bytes, as `getRandomValues` does. */
export function fillRandomValues<T extends NodeJS.TypedArray>(random: RandomSource, array: T): T {
  fillRandomBytes(random, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return array;
}
