import type { GossipContent } from './Gossip';
import { isMonitoredStatus, memberKey, type UniqueAddress } from './Member';
import { decideKeepMajority, type DowningDecision } from './keepMajority';
import { indirectlyConnectedKeys, unreachableKeys } from './membershipView';

/**
 * The split-brain resolver's timing: it lets `decideKeepMajority` act only after the picture has
 * been stable for `stableAfterMs`. "The picture" is the set of unreachable members, the set of
 * indirectly connected members and the set of live members; any change (a new unreachable member,
 * a heal, a join) restarts the wait. This gives a short glitch the chance to heal before anybody is
 * downed, and lets both sides of a partition see the same final split before they decide.
 */
export class SplitBrainResolver {
  private signature = '';
  private stableSince = 0;

  constructor(private readonly stableAfterMs: number) {}

  /**
   * Called on every heartbeat tick with the current view. Returns the decision once the picture has
   * been stable for long enough, and `no-action` otherwise. After a decision the wait restarts, so the
   * same decision is not repeated every tick while its downing spreads.
   */
  evaluate(content: GossipContent, self: UniqueAddress, now: number): DowningDecision {
    const unreachable = [...unreachableKeys(content)].filter((key) => key !== memberKey(self)).sort();
    const indirect = [...indirectlyConnectedKeys(content)].sort();
    const live = content.members.filter((m) => isMonitoredStatus(m.status)).map(memberKey);
    const signature = `${unreachable.join(',')}|${indirect.join(',')}|${live.join(',')}`;
    if (signature !== this.signature) {
      this.signature = signature;
      this.stableSince = now;
      return { type: 'no-action' };
    }
    if (unreachable.length === 0 && indirect.length === 0) return { type: 'no-action' };
    if (now - this.stableSince < this.stableAfterMs) return { type: 'no-action' };
    this.stableSince = now;
    return decideKeepMajority(content, self);
  }

  /** How long the current picture has been stable, for diagnostics. */
  stableForMs(now: number): number {
    return now - this.stableSince;
  }
}
