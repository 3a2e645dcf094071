import { compareAge, isUpOrLeaving, sameMember, type ClusterState, type Member, type UniqueAddress } from '../../cluster';

/** Which addresses may host a singleton: every address, or only those named by its `role`. */
export type HostFilter = (address: string) => boolean;

/** The `HostFilter` of a singleton's `role` option: undefined allows every address. */
export function hostFilter(role: readonly string[] | undefined): HostFilter {
  if (role === undefined) return () => true;
  const allowed = new Set(role);
  return (address) => allowed.has(address);
}

/**
 * Where the singleton belongs in `state`: the oldest member (lowest up-number) that is Up or
 * Leaving and whose address `allowed` accepts, reachable or not. An unreachable oldest stays the
 * host until it is downed, so the rest of its side never starts a second instance meanwhile.
 */
export function oldestHost(state: ClusterState, allowed: HostFilter): Member | undefined {
  let best: Member | undefined;
  for (const member of state.members) {
    if (!isUpOrLeaving(member.status) || member.upNumber === undefined || !allowed(member.address)) continue;
    if (best === undefined || compareAge(member, best) < 0) best = member;
  }
  return best;
}

/**
 * The members of `state` that became Up before `self` and may host the singleton: when `self` is
 * the oldest, these are the previous hosts that are exiting or downed but not yet removed, and the
 * ones a hand-over must hear from.
 */
export function olderHosts(state: ClusterState, self: UniqueAddress, allowed: HostFilter): Member[] {
  const selfMember = state.members.find((m) => sameMember(m, self));
  if (selfMember === undefined) return [];
  return state.members.filter((m) => !sameMember(m, self) && m.upNumber !== undefined && allowed(m.address) && compareAge(m, selfMember) < 0);
}
