import type { Rng } from '../util';
import type { Gossip } from './Gossip';
import { memberKey, sameMember, type UniqueAddress } from './Member';
import { unreachableKeys } from './membershipView';

/**
 * Chooses whom to gossip to this round. It prefers reachable members that have not seen this view
 * (that is where gossip speeds up convergence) and otherwise any reachable member; about one round
 * in ten it picks among unreachable members as well, so a healed link carries views again even
 * before the failure detectors notice. Down and removed members are never chosen.
 */
export function pickGossipTarget(gossip: Gossip, self: UniqueAddress, rng: Rng): UniqueAddress | undefined {
  const unreachable = unreachableKeys(gossip.content);
  const candidates = gossip.content.members.filter((m) => !sameMember(m, self) && m.status !== 'down' && m.status !== 'removed');
  if (candidates.length === 0) return undefined;
  const reachable = candidates.filter((m) => !unreachable.has(memberKey(m)));
  const pool = reachable.length === 0 || rng.next() < 0.1 ? candidates : reachable;
  const seen = new Set(gossip.seen);
  const unseen = pool.filter((m) => !seen.has(memberKey(m)));
  const choices = unseen.length > 0 ? unseen : pool;
  const chosen = choices[rng.nextInt(choices.length)];
  return { address: chosen.address, incarnation: chosen.incarnation };
}
