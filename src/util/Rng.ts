/**
 * Seeded pseudo-random numbers. Every random choice of the harness and the runtime comes from an
 * `Rng` derived from the run's seed, so a seed replays the same choices.
 */

/** A deterministic random number generator. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, bound). `bound` must be a positive integer. */
  nextInt(bound: number): number;
  /** An independent generator derived from this one's seed and `label`; the same label gives the same stream. */
  fork(label: string): Rng;
}

/** 32-bit FNV-1a hash of a string, used to derive seeds from labels. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The largest seed: seeds are integers from 0 to 2^32 - 1. */
export const MAX_SEED = 0xffffffff;

/** Creates a mulberry32 generator from a 32-bit seed. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    nextInt(bound) {
      if (!Number.isInteger(bound) || bound <= 0) {
        throw new RangeError(`Rng.nextInt needs a positive integer bound; it was given ${String(bound)}.`);
      }
      return Math.floor(next() * bound);
    },
    fork: (label) => createRng((seed ^ hashString(label)) >>> 0),
  };
}
