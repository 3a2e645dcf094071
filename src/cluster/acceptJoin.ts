/**
 * What a member does with a Join request, as a pure function: add the joiner as joining and down
 * every older incarnation at the same address (a node restarted at an address replaces its
 * predecessor), or refuse an incarnation that is already downed, removed or superseded.
 */
import { findMember, raiseMember, type GossipContent } from './Gossip';
import { formatMember, type UniqueAddress } from './Member';

/** The outcome of a Join request in one member's view. */
export type JoinOutcome =
  /** The joiner is (now) in the membership; `content` is the new view, `downed` the replaced incarnations. */
  | { readonly type: 'accepted'; readonly content: GossipContent; readonly downed: readonly UniqueAddress[] }
  /** The joiner can never join with this incarnation; `reason` is a sentence for its error message. */
  | { readonly type: 'rejected'; readonly reason: string };

/** Decides a Join from `joiner` against `content`. Idempotent: a repeated Join is accepted unchanged. */
export function acceptJoin(content: GossipContent, joiner: UniqueAddress): JoinOutcome {
  const existing = findMember(content, joiner);
  if (existing && (existing.status === 'down' || existing.status === 'removed')) {
    return {
      type: 'rejected',
      reason: `Member ${formatMember(joiner)} is already ${existing.status} in the cluster; a node can rejoin only as a new incarnation.`,
    };
  }
  const newer = content.members.find((m) => m.address === joiner.address && m.incarnation > joiner.incarnation);
  if (newer) {
    return {
      type: 'rejected',
      reason: `Member ${formatMember(joiner)} was superseded by the newer incarnation ${formatMember(newer)} at the same address.`,
    };
  }
  let next = raiseMember(content, joiner, 'joining');
  const downed: UniqueAddress[] = [];
  for (const older of content.members) {
    if (older.address !== joiner.address || older.incarnation >= joiner.incarnation) continue;
    if (older.status === 'down' || older.status === 'removed') continue;
    next = raiseMember(next, older, 'down');
    downed.push({ address: older.address, incarnation: older.incarnation });
  }
  return { type: 'accepted', content: next, downed };
}
