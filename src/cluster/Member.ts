/**
 * Members and their identity. A member is identified by its transport address *and* its
 * incarnation: a node restarted at the same address is a different member, and the older
 * incarnation is downed and removed when the newer one joins.
 */

/** The identity of one member: its transport address plus the incarnation of the node at that address. */
export interface UniqueAddress {
  /** The transport address (a role name inside the harness). */
  readonly address: string;
  /** 0 for a node's first start, then higher for every restart at the same address. */
  readonly incarnation: number;
}

/**
 * The life cycle of a member. Every allowed transition goes to a higher rank (see `statusRank`):
 * joining -> up -> leaving -> exiting -> removed, and any live status -> down -> removed.
 * That monotonicity is what lets gossip merge concurrent views by taking the highest rank.
 */
export type MemberStatus = 'joining' | 'up' | 'leaving' | 'exiting' | 'down' | 'removed';

/** Every status, in rank order. */
export const MEMBER_STATUSES: readonly MemberStatus[] = ['joining', 'up', 'leaving', 'exiting', 'down', 'removed'];

const RANK: Readonly<Record<MemberStatus, number>> = { joining: 0, up: 1, leaving: 2, exiting: 3, down: 4, removed: 5 };

/** The position of `status` in the monotone order; a transition is allowed only to a higher rank. */
export function statusRank(status: MemberStatus): number {
  return RANK[status];
}

/** The later of two statuses in the monotone order (the gossip merge of a member's status). */
export function maxStatus(a: MemberStatus, b: MemberStatus): MemberStatus {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * Statuses whose members take part in heartbeating and can be observed unreachable. Exiting,
 * down and removed members are no longer expected to answer, so they never become unreachable.
 */
export function isMonitoredStatus(status: MemberStatus): boolean {
  return status === 'joining' || status === 'up' || status === 'leaving';
}

/**
 * Up or Leaving: a member that serves the cluster. It counts for "oldest" (`ClusterState.oldest`),
 * hosts singletons and shards, and takes part in the tools' gossip; a joining member has not started
 * serving yet, an exiting one has stopped.
 */
export function isUpOrLeaving(status: MemberStatus): boolean {
  return status === 'up' || status === 'leaving';
}

/**
 * Statuses of members whose failure-detector observations count: Up and Leaving. A joining member
 * is still starting (and may be starved while it does), an exiting one is on its way out.
 */
export function isObserverStatus(status: MemberStatus): boolean {
  return isUpOrLeaving(status);
}

/** A member in a snapshot of the cluster state. Immutable. */
export interface Member extends UniqueAddress {
  readonly status: MemberStatus;
  /** Assigned by the leader when the member becomes Up (1, 2, ...); lower is older. Undefined before that. */
  readonly upNumber: number | undefined;
  /** False when some live member's failure detector currently observes this member as unreachable. */
  readonly reachable: boolean;
}

/** The map key of a unique address, e.g. `b#2`. Addresses in the harness never contain `#`. */
export function memberKey(member: UniqueAddress): string {
  return `${member.address}#${member.incarnation}`;
}

/** A human-readable rendering of a unique address, e.g. `b#2` (same as the key). */
export function formatMember(member: UniqueAddress): string {
  return memberKey(member);
}

/** True when both values name the same member (same address and incarnation). */
export function sameMember(a: UniqueAddress, b: UniqueAddress): boolean {
  return a.address === b.address && a.incarnation === b.incarnation;
}

/**
 * The deterministic order used for leader election and for listing members: by address
 * (code-unit order, so role 'a' sorts before 'b'), then by incarnation.
 */
export function compareAddresses(a: UniqueAddress, b: UniqueAddress): number {
  if (a.address !== b.address) return a.address < b.address ? -1 : 1;
  return a.incarnation - b.incarnation;
}

/**
 * Age order: the member that became Up first (lowest up-number) is the oldest. Members not yet Up
 * sort after every Up member; ties (possible only after concurrent leaders in a partition) fall back
 * to address order so every node picks the same oldest member.
 */
export function compareAge(a: { upNumber: number | undefined } & UniqueAddress, b: { upNumber: number | undefined } & UniqueAddress): number {
  const ua = a.upNumber ?? Number.POSITIVE_INFINITY;
  const ub = b.upNumber ?? Number.POSITIVE_INFINITY;
  if (ua !== ub) return ua < ub ? -1 : 1;
  return compareAddresses(a, b);
}
