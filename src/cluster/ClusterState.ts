/**
 * The read model of one node's view: an immutable snapshot built from its gossip. This is what
 * `cluster.state()` returns and what events and `describe()` are computed from.
 */
import type { Gossip, MemberEntry } from './Gossip';
import { formatMember, memberKey, sameMember, type Member, type UniqueAddress } from './Member';
import { hasConvergence, leaderOf, oldestOf, unreachableKeys } from './membershipView';

/**
 * Where this node is in its own life cycle: still contacting seed nodes, a member of a cluster, or
 * stopped (aborted, shut down, downed or removed; the view is frozen at its last value).
 */
export type ClusterPhase = 'contacting-seeds' | 'member' | 'stopped';

/** An immutable snapshot of one node's view of the cluster. */
export interface ClusterState {
  /** This node. */
  readonly self: UniqueAddress;
  /** This node's phase. */
  readonly phase: ClusterPhase;
  /** This node's own entry, or undefined before it was welcomed. */
  readonly selfMember: Member | undefined;
  /** Every member that is not removed, in address order (address, then incarnation). */
  readonly members: readonly Member[];
  /** Members some live member currently observes as unreachable; can include self when others cannot reach it. */
  readonly unreachable: readonly Member[];
  /** The leader in this view, or undefined when there is none (e.g. before joining). */
  readonly leader: UniqueAddress | undefined;
  /** The oldest Up or Leaving member (lowest up-number), or undefined. */
  readonly oldest: UniqueAddress | undefined;
  /** True when every Up/Leaving member has seen this view and no other member is unreachable. */
  readonly convergence: boolean;
}

/** The public, frozen view of one member entry; `unreachable` holds the member keys seen unreachable. */
export function toPublicMember(entry: MemberEntry, unreachable: ReadonlySet<string>): Member {
  return Object.freeze({
    address: entry.address,
    incarnation: entry.incarnation,
    status: entry.status,
    upNumber: entry.upNumber > 0 ? entry.upNumber : undefined,
    reachable: !unreachable.has(memberKey(entry)),
  });
}

/** Builds the snapshot of `gossip` as seen by `self`. */
export function buildClusterState(gossip: Gossip, self: UniqueAddress, phase: ClusterPhase): ClusterState {
  const unreachable = unreachableKeys(gossip.content);
  const members = gossip.content.members.filter((m) => m.status !== 'removed').map((entry) => toPublicMember(entry, unreachable));
  const selfEntry = gossip.content.members.find((m) => sameMember(m, self));
  const leader = leaderOf(gossip.content, self);
  const oldest = oldestOf(gossip.content);
  return Object.freeze({
    self: Object.freeze({ address: self.address, incarnation: self.incarnation }),
    phase,
    selfMember: selfEntry ? toPublicMember(selfEntry, unreachable) : undefined,
    members: Object.freeze(members),
    unreachable: Object.freeze(members.filter((m) => !m.reachable)),
    leader: leader ? Object.freeze({ address: leader.address, incarnation: leader.incarnation }) : undefined,
    oldest: oldest ? Object.freeze({ address: oldest.address, incarnation: oldest.incarnation }) : undefined,
    convergence: selfEntry !== undefined && hasConvergence(gossip, self),
  });
}

/**
 * Why `state`'s node can never see `count` members Up, or null while it still can: it stopped its
 * membership (downed, say), or too few members are left that can still be Up, because others were
 * downed, are leaving or were removed. Members that are only unreachable can come back; these cannot.
 */
export function whyNotMembersUp(state: ClusterState, count: number): string | null {
  if (state.phase === 'stopped') return `${formatMember(state.self)} is no longer a cluster member (it was downed, left or was stopped)`;
  if (state.phase !== 'member') return null;
  const possible = state.members.filter((m) => m.status === 'joining' || m.status === 'up');
  if (possible.length >= count) return null;
  const gone = state.members.filter((m) => m.status !== 'joining' && m.status !== 'up');
  const detail = gone.length > 0 ? `: ${gone.map((m) => `${formatMember(m)} is ${m.status}`).join(', ')}` : ' (the others were removed)';
  return `only ${possible.length} members can still be Up in ${formatMember(state.self)}'s view${detail}`;
}

/** The number of members that are Up and reachable in `state` (what `awaitMembersUp` counts). */
export function countMembersUp(state: ClusterState): number {
  if (state.phase !== 'member') return 0;
  return state.members.filter((m) => m.status === 'up' && m.reachable).length;
}
