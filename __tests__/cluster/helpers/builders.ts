import { normalizeGossip, type Gossip, type GossipContent } from '../../../src/cluster/Gossip';
import { MEMBER_STATUSES, type MemberStatus, type UniqueAddress } from '../../../src/cluster/Member';
import type { Rng } from '../../../src/util/Rng';

/** `'b#2'` -> `{ address: 'b', incarnation: 2 }`. */
export function ua(key: string): UniqueAddress {
  const [address, inc] = key.split('#');
  return { address, incarnation: Number(inc ?? 0) };
}

/**
 * Builds canonical content from compact specs: members as `'a#0 up 1'` (key, status, up-number;
 * the up-number defaults to 0 = none) and observations as `{ 'a#0': [version, ['c#0']] }`.
 */
export function content(members: readonly string[], observations: Record<string, [number, readonly string[]]> = {}): GossipContent {
  return gossip(members, observations).content;
}

/** Like `content`, plus the seen set. */
export function gossip(
  members: readonly string[],
  observations: Record<string, [number, readonly string[]]> = {},
  seen: readonly string[] = [],
): Gossip {
  return normalizeGossip({
    content: {
      members: members.map((spec) => {
        const [key, status, upNumber] = spec.split(/\s+/);
        return { ...ua(key), status: status as MemberStatus, upNumber: Number(upNumber ?? 0) };
      }),
      reachability: Object.entries(observations).map(([observer, [version, unreachable]]) => ({
        observer: ua(observer),
        version,
        unreachable: unreachable.map(ua),
      })),
    },
    seen,
  });
}

/**
 * A random canonical gossip over a small universe of members, so that merges of several random
 * gossips often touch the same entries (which is where merge bugs hide).
 */
export function randomGossip(rng: Rng): Gossip {
  const universe = ['a#0', 'a#1', 'b#0', 'c#0', 'd#0'];
  const members: string[] = [];
  for (const key of universe) {
    if (rng.next() < 0.3) continue;
    const status = MEMBER_STATUSES[rng.nextInt(MEMBER_STATUSES.length)];
    members.push(`${key} ${status} ${rng.next() < 0.5 ? 0 : 1 + rng.nextInt(4)}`);
  }
  const observations: Record<string, [number, string[]]> = {};
  for (const key of universe) {
    if (rng.next() < 0.5) continue;
    observations[key] = [1 + rng.nextInt(3), universe.filter(() => rng.next() < 0.3)];
  }
  const seen = universe.filter(() => rng.next() < 0.4);
  return gossip(members, observations, seen);
}
