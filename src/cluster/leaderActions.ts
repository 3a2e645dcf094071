/**
 * What the leader does to the membership once its view has converged. Pure: the runtime applies the
 * returned content as a local change, which resets the seen set, so every step needs a fresh round of
 * convergence before the next (leaving -> exiting, then exiting -> removed).
 */
import { findMember, raiseMember, type Gossip, type GossipContent } from './Gossip';
import type { MemberStatus, UniqueAddress } from './Member';
import { hasConvergence, leaderOf } from './membershipView';

/** One status change made by the leader. */
export interface LeaderTransition {
  readonly member: UniqueAddress;
  readonly from: MemberStatus;
  readonly to: MemberStatus;
  /** Set when the member became Up. */
  readonly upNumber?: number;
}

/** The leader's new content and what changed, or undefined when there is nothing to do. */
export interface LeaderActionResult {
  readonly content: GossipContent;
  readonly transitions: readonly LeaderTransition[];
}

const NEXT: Partial<Record<MemberStatus, MemberStatus>> = {
  joining: 'up',
  leaving: 'exiting',
  exiting: 'removed',
  down: 'removed',
};

/**
 * Runs the leader's moves in `self`'s view: joining -> up (with the next up-number, in address
 * order), leaving -> exiting, exiting -> removed and down -> removed. Does nothing unless `self` is
 * the leader and the view has converged.
 */
export function leaderActions(gossip: Gossip, self: UniqueAddress): LeaderActionResult | undefined {
  const leader = leaderOf(gossip.content, self);
  if (!leader || leader.address !== self.address || leader.incarnation !== self.incarnation) return undefined;
  if (!hasConvergence(gossip, self)) return undefined;
  // Up-numbers are never reused, removed tombstones included, so "oldest" stays unambiguous.
  let nextUpNumber = gossip.content.members.reduce((max, m) => Math.max(max, m.upNumber), 0) + 1;
  let content = gossip.content;
  const transitions: LeaderTransition[] = [];
  for (const entry of gossip.content.members) {
    const to = NEXT[entry.status];
    const member: UniqueAddress = { address: entry.address, incarnation: entry.incarnation };
    if (to === undefined) continue;
    const upNumber = to === 'up' ? nextUpNumber++ : 0;
    content = raiseMember(content, member, to, upNumber);
    const changed = findMember(content, member);
    if (changed && changed.status === to) {
      transitions.push(to === 'up' ? { member, from: entry.status, to, upNumber: changed.upNumber } : { member, from: entry.status, to });
    }
  }
  return transitions.length === 0 ? undefined : { content, transitions };
}
