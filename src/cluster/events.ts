/**
 * Cluster events and how they are derived: by comparing the view before and after each change,
 * as Akka does, so that every path into the state (merge, leader action, local command) yields the
 * same events and no transition can be reported twice or skipped.
 */
import type { Gossip, MemberEntry } from './Gossip';
import { isMonitoredStatus, memberKey, type Member, type MemberStatus, type UniqueAddress } from './Member';
import { leaderOf, unreachableKeys } from './membershipView';
import { toPublicMember } from './ClusterState';

/** Something that changed in this node's view of the cluster. Switch on `type`. */
export type ClusterEvent =
  /** A member was added as joining. */
  | { readonly type: 'MemberJoined'; readonly member: Member }
  /** A member became Up (or was first seen Up). */
  | { readonly type: 'MemberUp'; readonly member: Member }
  /** A member started leaving gracefully. */
  | { readonly type: 'MemberLeft'; readonly member: Member }
  /** A leaving member was moved to exiting by the leader; it no longer counts. */
  | { readonly type: 'MemberExited'; readonly member: Member }
  /** A member was downed (by the split-brain resolver, `cluster.down`, or a newer incarnation). */
  | { readonly type: 'MemberDowned'; readonly member: Member }
  /** A member was removed from the cluster; `previousStatus` is exiting or down. */
  | { readonly type: 'MemberRemoved'; readonly member: Member; readonly previousStatus: MemberStatus }
  /** A member became unreachable in some live member's failure detector. */
  | { readonly type: 'UnreachableMember'; readonly member: Member }
  /** A member that was unreachable answers heartbeats again everywhere. */
  | { readonly type: 'ReachableMember'; readonly member: Member }
  /** The leader in this view changed (undefined when there is none). */
  | { readonly type: 'LeaderChanged'; readonly leader: UniqueAddress | undefined }
  /** This node saw itself downed and has stopped its membership. */
  | { readonly type: 'SelfDowned'; readonly reason: string }
  /** This node saw itself removed (after `leave()`) and has stopped its membership. */
  | { readonly type: 'SelfRemoved' };

/** The `type` of every cluster event. */
export type ClusterEventType = ClusterEvent['type'];

const STATUS_EVENT: Readonly<Record<Exclude<MemberStatus, 'removed'>, 'MemberJoined' | 'MemberUp' | 'MemberLeft' | 'MemberExited' | 'MemberDowned'>> = {
  joining: 'MemberJoined',
  up: 'MemberUp',
  leaving: 'MemberLeft',
  exiting: 'MemberExited',
  down: 'MemberDowned',
};

/**
 * The member, reachability and leader events that turn view `before` into view `after`, in that
 * order (members in address order). Self events are emitted by the runtime, which knows why.
 */
export function diffEvents(before: Gossip, after: Gossip, self: UniqueAddress): ClusterEvent[] {
  const events: ClusterEvent[] = [];
  const beforeEntries = new Map(before.content.members.map((m) => [memberKey(m), m] as const));
  const unreachableAfter = unreachableKeys(after.content);
  const unreachableBefore = unreachableKeys(before.content);
  const toMember = (entry: MemberEntry): Member => toPublicMember(entry, unreachableAfter);

  for (const entry of after.content.members) {
    const previous = beforeEntries.get(memberKey(entry));
    if (previous?.status === entry.status) continue;
    if (entry.status === 'removed') {
      if (previous) events.push({ type: 'MemberRemoved', member: toMember(entry), previousStatus: previous.status });
    } else {
      events.push({ type: STATUS_EVENT[entry.status], member: toMember(entry) });
    }
  }
  for (const entry of after.content.members) {
    const key = memberKey(entry);
    if (unreachableAfter.has(key) && !unreachableBefore.has(key)) events.push({ type: 'UnreachableMember', member: toMember(entry) });
    else if (!unreachableAfter.has(key) && unreachableBefore.has(key) && isMonitoredStatus(entry.status)) {
      events.push({ type: 'ReachableMember', member: toMember(entry) });
    }
  }
  const leaderBefore = leaderOf(before.content, self);
  const leaderAfter = leaderOf(after.content, self);
  if ((leaderBefore && memberKey(leaderBefore)) !== (leaderAfter && memberKey(leaderAfter))) {
    events.push({
      type: 'LeaderChanged',
      leader: leaderAfter ? Object.freeze({ address: leaderAfter.address, incarnation: leaderAfter.incarnation }) : undefined,
    });
  }
  return events;
}
