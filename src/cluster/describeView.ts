import type { ClusterPhase } from './ClusterState';
import type { Gossip } from './Gossip';
import { formatMember, memberKey, sameMember, type UniqueAddress } from './Member';
import { convergenceBlockers, hasConvergence, leaderOf, observersOf, oldestOf, unreachableKeys } from './membershipView';

/**
 * A multi-line, human-readable rendering of one node's view, for error messages such as an
 * `awaitMembersUp` timeout. It names the leader, whether the view converged and what blocks it,
 * and for every unreachable member which members observe it so.
 *
 * ```
 * Cluster view of b#0 (member; leader a#0; oldest a#0; not converged: c#0 is unreachable):
 *   a#0  up       up-number 1  reachable
 *   b#0  up       up-number 2  reachable  (self)
 *   c#0  up       up-number 3  UNREACHABLE (observed by a#0, b#0)
 * ```
 */
export function describeView(gossip: Gossip, self: UniqueAddress, phase: ClusterPhase, notes: readonly string[] = []): string {
  const content = gossip.content;
  const leader = leaderOf(content, self);
  const oldest = oldestOf(content);
  const joined = content.members.some((m) => sameMember(m, self));
  const convergence = !joined
    ? 'not joined yet'
    : hasConvergence(gossip, self)
      ? 'converged'
      : `not converged: ${convergenceBlockers(gossip, self).join(', ')}`;
  const header =
    `Cluster view of ${formatMember(self)} (${phase}; leader ${leader ? formatMember(leader) : 'none'}; ` +
    `oldest ${oldest ? formatMember(oldest) : 'none'}; ${convergence}):`;
  const unreachable = unreachableKeys(content);
  const live = content.members.filter((m) => m.status !== 'removed');
  const width = Math.max(4, ...live.map((m) => memberKey(m).length));
  const lines = live.map((m) => {
    const key = memberKey(m);
    const reach = unreachable.has(key) ? `UNREACHABLE (observed by ${observersOf(content, m).map(formatMember).join(', ')})` : 'reachable';
    const upNumber = m.upNumber > 0 ? `up-number ${m.upNumber}` : 'no up-number';
    return `  ${key.padEnd(width)}  ${m.status.padEnd(8)} ${upNumber.padEnd(13)} ${reach}${sameMember(m, self) ? '  (self)' : ''}`;
  });
  if (live.length === 0) lines.push('  (no members known)');
  const removed = content.members.filter((m) => m.status === 'removed').map(formatMember);
  if (removed.length > 0) lines.push(`  removed earlier: ${removed.join(', ')}`);
  return [header, ...lines, ...notes.map((note) => `  ${note}`)].join('\n');
}
