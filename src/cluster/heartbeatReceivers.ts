/**
 * Which members one node probes with heartbeats. Probing every member from every member costs
 * n·(n-1) probes and as many answers per interval: with 32 members and the default 100 ms interval
 * that is about 20 000 messages a second, every one a wake-up of another thread, and that load alone
 * delayed the answers of healthy members past the unreachable deadline on two cores. So, as in Akka's
 * heartbeat ring, each member probes only the next `monitoredByNrOfMembers` reachable members after
 * itself in address order (wrapping round), which keeps the traffic linear in the cluster size and
 * still has every member watched by that many others.
 *
 * Unreachable members met on the walk are probed too and do not count towards the number: that is
 * how a member is seen reachable again, and how a stretch of unreachable members (one side of a
 * partition) does not leave the members beyond it unwatched; the walk goes on past them until it
 * has enough reachable ones, so each side of a partition ends up observing the whole other side.
 */
import { compareAddresses, memberKey, sameMember, type UniqueAddress } from './Member';

/**
 * The members `self` probes: walking the ring of `candidates` (the members expected to answer,
 * self included or not) in address order from just after `self`, every unreachable member met and
 * the first `count` reachable ones. With `count` at least the number of other candidates, everyone.
 */
export function heartbeatReceivers(
  candidates: readonly UniqueAddress[],
  self: UniqueAddress,
  count: number,
  unreachable: ReadonlySet<string>,
): UniqueAddress[] {
  const others = candidates.filter((m) => !sameMember(m, self)).sort(compareAddresses);
  if (others.length <= count) return others;
  const start = others.findIndex((m) => compareAddresses(m, self) > 0);
  const receivers: UniqueAddress[] = [];
  let reachable = 0;
  for (let i = 0; i < others.length && reachable < count; i++) {
    const member = others[(Math.max(start, 0) + i) % others.length];
    receivers.push(member);
    if (!unreachable.has(memberKey(member))) reachable++;
  }
  return receivers;
}
