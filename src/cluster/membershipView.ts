/**
 * Pure reads over one node's gossip: who is unreachable, who leads, who is oldest, and whether the
 * view has converged. Every node evaluates these on its own view; with converged gossip they agree.
 */
import type { Gossip, GossipContent, MemberEntry } from './Gossip';
import { compareAddresses, compareAge, isMonitoredStatus, isObserverStatus, memberKey, sameMember, type MemberStatus, type UniqueAddress } from './Member';

/**
 * Keys of the members that some observer (an Up or Leaving member) currently finds unreachable.
 * Only monitored statuses (joining, up, leaving) can be unreachable: exiting, down and removed
 * members are not expected to answer heartbeats any more, so a departing node never shows up here.
 * Records of joining, exiting, down or removed observers do not count (see `isObserverStatus`).
 */
export function unreachableKeys(content: GossipContent): Set<string> {
  const status = new Map(content.members.map((m) => [memberKey(m), m.status] as const));
  const result = new Set<string>();
  for (const record of content.reachability) {
    const observerStatus = status.get(memberKey(record.observer));
    if (observerStatus === undefined || !isObserverStatus(observerStatus)) continue;
    for (const subject of record.unreachable) {
      const subjectStatus = status.get(memberKey(subject));
      if (subjectStatus !== undefined && isMonitoredStatus(subjectStatus)) result.add(memberKey(subject));
    }
  }
  return result;
}

/** The observers (Up or Leaving members) that currently find `subject` unreachable (for `describe()`). */
export function observersOf(content: GossipContent, subject: UniqueAddress): UniqueAddress[] {
  const live = new Set(content.members.filter((m) => isObserverStatus(m.status)).map(memberKey));
  return content.reachability
    .filter((r) => live.has(memberKey(r.observer)) && r.unreachable.some((s) => sameMember(s, subject)))
    .map((r) => r.observer);
}

/**
 * Members that both observe someone as unreachable and are observed unreachable themselves: the
 * signature of an asymmetric fault (a one-way blackhole, or a node that reaches only part of the
 * cluster). Clean partitions never produce such members, because no gossip crosses them.
 */
export function indirectlyConnectedKeys(content: GossipContent): Set<string> {
  const unreachable = unreachableKeys(content);
  const status = new Map(content.members.map((m) => [memberKey(m), m.status] as const));
  const result = new Set<string>();
  for (const record of content.reachability) {
    const key = memberKey(record.observer);
    const observerStatus = status.get(key);
    if (observerStatus === undefined || !isMonitoredStatus(observerStatus) || !unreachable.has(key)) continue;
    if (record.unreachable.some((s) => unreachable.has(memberKey(s)))) result.add(key);
  }
  return result;
}

/** Leader eligibility groups: Up and Leaving members lead; Joining, then Exiting, only as a fallback. */
function leaderGroup(status: MemberStatus): number {
  switch (status) {
    case 'up':
    case 'leaving':
      return 0;
    case 'joining':
      return 1;
    case 'exiting':
      return 2;
    default:
      return -1;
  }
}

/**
 * The leader in `self`'s view: the first member in address order that is Up or Leaving and
 * reachable (self always counts as reachable to itself). The fallbacks (Joining, then Exiting) let a
 * lone first seed promote itself to Up and let the last member of a cluster remove itself.
 */
export function leaderOf(content: GossipContent, self: UniqueAddress): MemberEntry | undefined {
  const unreachable = unreachableKeys(content);
  let best: MemberEntry | undefined;
  let bestGroup = Number.POSITIVE_INFINITY;
  for (const member of content.members) {
    const group = leaderGroup(member.status);
    if (group < 0) continue;
    if (unreachable.has(memberKey(member)) && !sameMember(member, self)) continue;
    if (group < bestGroup || (group === bestGroup && best !== undefined && compareAddresses(member, best) < 0)) {
      best = member;
      bestGroup = group;
    }
  }
  return best;
}

/** The oldest Up or Leaving member (lowest up-number), whether reachable or not. */
export function oldestOf(content: GossipContent): MemberEntry | undefined {
  const candidates = content.members.filter((m) => (m.status === 'up' || m.status === 'leaving') && m.upNumber > 0);
  return candidates.sort(compareEntryAge)[0];
}

/** `compareAge` for replicated entries, whose up-number 0 means "not Up yet". */
export function compareEntryAge(a: MemberEntry, b: MemberEntry): number {
  return compareAge(ageKey(a), ageKey(b));
}

function ageKey(entry: MemberEntry): UniqueAddress & { upNumber: number | undefined } {
  return { address: entry.address, incarnation: entry.incarnation, upNumber: entry.upNumber > 0 ? entry.upNumber : undefined };
}

/**
 * Convergence in `self`'s view: no member other than self is unreachable (an unreachable member
 * must first be downed, which takes it out of the picture), and every Up or Leaving member has seen
 * exactly this content. Joining members need not have seen it, so a slow joiner cannot block the
 * leader; exiting, down and removed members are on their way out and are not waited for.
 */
export function hasConvergence(gossip: Gossip, self: UniqueAddress): boolean {
  const unreachable = unreachableKeys(gossip.content);
  unreachable.delete(memberKey(self));
  if (unreachable.size > 0) return false;
  const seen = new Set(gossip.seen);
  return gossip.content.members.every((m) => !(m.status === 'up' || m.status === 'leaving') || seen.has(memberKey(m)));
}

/** The members that block convergence, with the reason, for `describe()` and error messages. */
export function convergenceBlockers(gossip: Gossip, self: UniqueAddress): string[] {
  const unreachable = unreachableKeys(gossip.content);
  const seen = new Set(gossip.seen);
  const blockers: string[] = [];
  for (const m of gossip.content.members) {
    const key = memberKey(m);
    if (key !== memberKey(self) && unreachable.has(key)) blockers.push(`${key} is unreachable`);
    else if ((m.status === 'up' || m.status === 'leaving') && !seen.has(key)) blockers.push(`${key} has not seen the latest state`);
  }
  return blockers;
}
