import { createRng } from '../util';

/**
 * `ctx.random` of one node incarnation: numbers in [0, 1) from a stream seeded from the run's seed,
 * the role and the incarnation. The same three give the same sequence on every run, so a node that
 * takes all its randomness from it replays its choices under `MULTINODE_SEED`; a restarted node
 * (a new incarnation) draws a different sequence, as a fresh process would.
 */
export function nodeRandom(seed: number, role: string, incarnation: number): () => number {
  const rng = createRng(seed).fork(`node:${role}#${incarnation}`);
  return () => rng.next();
}
