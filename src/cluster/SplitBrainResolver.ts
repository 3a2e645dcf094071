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
 *
 * The wait counts only time this node was running: when an evaluation comes much later than the
 * tick interval, this node was stalled (on a loaded machine, a thread starved of CPU), and it did
 * not watch the picture meanwhile; the wait restarts, as `DeadlineFailureDetector` credits the same
 * stall to the members it monitors. Without this, a node back from a 2 s stall would find a stale
 * unreachable set "stable for 2 s" and act on it before its own detector had caught up.
 */
export class SplitBrainResolver {
  private signature = '';
  private stableSince = 0;
  private lastEvaluatedAt: number | undefined;

  /**
   * @param stableAfterMs how long the picture must stay unchanged before the resolver acts.
   * @param tickIntervalMs how often `evaluate` is called; a call later than twice this is a stall.
   */
  constructor(
    private readonly stableAfterMs: number,
    private readonly tickIntervalMs: number,
  ) {}

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
    const stalled = this.lastEvaluatedAt !== undefined && now - this.lastEvaluatedAt > 2 * this.tickIntervalMs;
    this.lastEvaluatedAt = now;
    if (signature !== this.signature || stalled) {
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
