/**
 * The split-brain resolver's decision, "keep majority", as a pure function of one node's view.
 * Both sides of a clean partition run it on their own views and reach complementary decisions:
 * the side with more members downs the other side; the smaller side downs itself; on a tie the side
 * holding the oldest member (lowest up-number) survives. Joining members do not count (the other
 * side may not know them) but are downed with their side. Members that are indirectly connected
 * (asymmetric faults; see `indirectlyConnectedKeys`) are downed first and do not count either,
 * which is what Akka's resolver does too.
 */
import type { GossipContent, MemberEntry } from './Gossip';
import { formatMember, isMonitoredStatus, memberKey, sameMember, type UniqueAddress } from './Member';
import { compareEntryAge, indirectlyConnectedKeys, unreachableKeys } from './membershipView';

/** What the resolver decided for one view. */
export type DowningDecision =
  /** Nobody is unreachable: nothing to decide. */
  | { readonly type: 'no-action' }
  /** This side survives; `down` lists the members on the other side (and indirectly connected ones). */
  | { readonly type: 'down-others'; readonly down: readonly UniqueAddress[]; readonly reason: string }
  /** This side loses; `down` includes self and every member still reachable from here. */
  | { readonly type: 'down-own-side'; readonly down: readonly UniqueAddress[]; readonly reason: string };

/** Decides, in `self`'s view, which members the keep-majority strategy downs. */
export function decideKeepMajority(content: GossipContent, self: UniqueAddress): DowningDecision {
  const live = content.members.filter((m) => isMonitoredStatus(m.status));
  const unreachable = unreachableKeys(content);
  unreachable.delete(memberKey(self));
  const indirect = indirectlyConnectedKeys(content);
  const indirectMembers = live.filter((m) => indirect.has(memberKey(m)));
  if (indirectMembers.length === 0 && !live.some((m) => unreachable.has(memberKey(m)))) return { type: 'no-action' };

  const otherSide = live.filter((m) => unreachable.has(memberKey(m)) && !indirect.has(memberKey(m)));
  const ownSide = live.filter((m) => !unreachable.has(memberKey(m)) && !indirect.has(memberKey(m)));
  const counts = (m: MemberEntry): boolean => m.status === 'up' || m.status === 'leaving';
  const own = ownSide.filter(counts).length;
  const other = otherSide.filter(counts).length;
  const total = own + other;
  const indirectNote = indirectMembers.length > 0 ? ` Indirectly connected members ${list(indirectMembers)} are downed as well.` : '';

  let ownSideWins: boolean;
  let why: string;
  if (otherSide.length === 0) {
    ownSideWins = true;
    why = `only indirectly connected members are unreachable`;
  } else if (own !== other) {
    ownSideWins = own > other;
    why = `this side has ${own} of ${total} counted members (${list(ownSide.filter(counts))}), the other side ${other} (${list(otherSide.filter(counts))})`;
  } else {
    const pool = [...ownSide, ...otherSide];
    const counted = pool.filter(counts);
    const oldest = (counted.length > 0 ? counted : pool).sort(compareEntryAge)[0];
    ownSideWins = ownSide.some((m) => sameMember(m, oldest));
    why = `both sides have ${own} counted members, and the oldest member ${formatMember(oldest)}${oldest.upNumber > 0 ? ` (up-number ${oldest.upNumber})` : ''} is on ${ownSideWins ? 'this' : 'the other'} side`;
  }

  const selfIndirect = indirect.has(memberKey(self));
  if (ownSideWins && !selfIndirect) {
    const down = [...otherSide, ...indirectMembers].map(plain);
    return { type: 'down-others', down, reason: `Keep-majority: ${why}; downing ${list(down)}.${indirectNote}` };
  }
  const down = [...(ownSideWins ? [] : ownSide), ...indirectMembers].map(plain);
  const verdict = ownSideWins ? 'this node is indirectly connected' : 'this side is the losing side';
  return { type: 'down-own-side', down, reason: `Keep-majority: ${why}; ${verdict}, downing ${list(down)}.${indirectNote}` };
}

function plain(member: UniqueAddress): UniqueAddress {
  return { address: member.address, incarnation: member.incarnation };
}

function list(members: readonly UniqueAddress[]): string {
  return members.length === 0 ? 'none' : members.map(formatMember).join(', ');
}
