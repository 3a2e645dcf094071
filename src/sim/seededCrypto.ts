import type { webcrypto } from 'node:crypto';
import type { Rng } from '../util';

type Crypto = webcrypto.Crypto;

/**
 * A per-role stand-in for the Web Crypto global whose randomness comes from a seeded `Rng`:
 * `randomUUID()` and `getRandomValues()` replay with the seed, `subtle` is the original's.
 */

// Web Crypto's limit for one getRandomValues call.
const MAX_RANDOM_BYTES = 65536;

/**
 * A `crypto` object for one role: `getRandomValues` and `randomUUID` draw from `rng`, `subtle` is
 * `original.subtle`, and the prototype is `original`'s so `instanceof Crypto` holds. `realm`
 * supplies the errors thrown, so code in a vm context sees errors of its own realm.
 */
export function createSeededCrypto(original: Crypto, rng: Rng, realm: { TypeError: TypeErrorConstructor; RangeError: RangeErrorConstructor }): Crypto {
  const fill = (bytes: Uint8Array): void => {
    for (let i = 0; i < bytes.length; i += 4) {
      let word = rng.nextInt(2 ** 32);
      for (let j = i; j < Math.min(i + 4, bytes.length); j++) {
        bytes[j] = word & 0xff;
        word >>>= 8;
      }
    }
  };
  const getRandomValues = <T extends ArrayBufferView | null>(array: T): T => {
    if (!isIntegerTypedArray(array)) {
      throw new realm.TypeError(`crypto.getRandomValues needs an integer-typed array; it was given ${describeArray(array)}.`);
    }
    if (array.byteLength > MAX_RANDOM_BYTES) {
      throw new realm.RangeError(`crypto.getRandomValues fills at most ${MAX_RANDOM_BYTES} bytes at once; it was given ${array.byteLength}.`);
    }
    fill(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    return array;
  };
  const randomUUID = (): `${string}-${string}-${string}-${string}-${string}` => {
    const bytes = new Uint8Array(16);
    fill(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
  const seeded = Object.create(Object.getPrototypeOf(original) as object) as Crypto;
  Object.defineProperties(seeded, {
    getRandomValues: { value: getRandomValues, writable: true, configurable: true, enumerable: true },
    randomUUID: { value: randomUUID, writable: true, configurable: true, enumerable: true },
    subtle: { get: () => original.subtle, configurable: true, enumerable: true },
  });
  return seeded;
}

function isIntegerTypedArray(value: unknown): value is ArrayBufferView {
  if (!ArrayBuffer.isView(value)) return false;
  // Cross-realm safe: the tag names the kind of view whatever realm made it.
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  return tag !== 'DataView' && tag !== 'Float32Array' && tag !== 'Float64Array' && tag !== 'Float16Array';
}

function describeArray(value: unknown): string {
  return value === null || typeof value !== 'object' ? String(value) : `a ${Object.prototype.toString.call(value).slice(8, -1)}`;
}
