import { assertNever } from '../util';
import type { ClusterCore } from './ClusterCore';
import { findMember, setObservation } from './Gossip';
import { isObserverStatus, memberKey, sameMember, type UniqueAddress } from './Member';
import { leaderOf } from './membershipView';
import { pickGossipTarget } from './pickGossipTarget';
import { SplitBrainResolver } from './SplitBrainResolver';

/**
 * The periodic work of a running member: a gossip round (full gossip, or a digest to a peer that
 * has already seen this view) and a heartbeat round, after which the split-brain resolver decides
 * whether anyone must be downed and the leader makes its moves.
 */
export class MemberDuties {
  private readonly resolver: SplitBrainResolver;

  constructor(private readonly core: ClusterCore) {
    this.resolver = new SplitBrainResolver(core.settings.stableAfterMs, core.settings.heartbeatIntervalMs);
  }

  /** Starts the gossip and heartbeat timers; they stop with the membership. */
  start(): void {
    this.core.timers.every(this.core.settings.gossipIntervalMs, () => this.gossipTick());
    this.core.timers.every(this.core.settings.heartbeatIntervalMs, () => this.heartbeatTick());
  }

  private gossipTick(): void {
    const { core } = this;
    const target = pickGossipTarget(core.gossip, core.self, core.rng);
    if (target) {
      if (core.gossip.seen.includes(memberKey(target))) core.send(target.address, { type: 'GossipStatus', from: core.self, digest: core.digest() });
      else core.sendGossip(target.address);
    }
    core.runLeaderActions();
  }

  private heartbeatTick(): void {
    const { core } = this;
    core.changeContent(setObservation(core.gossip.content, core.self, core.heartbeats.tick(core.gossip.content)));
    this.applySplitBrainResolver(core.clock.now());
    core.runLeaderActions();
  }

  private applySplitBrainResolver(now: number): void {
    const { core } = this;
    if (core.settings.splitBrainResolver === 'off' || core.phase !== 'member') return;
    // Only a member that is Up (or Leaving) decides: a joining node is still starting, and before it
    // is Up its view of who is reachable is neither its own (it watches nobody yet) nor settled.
    const selfStatus = findMember(core.gossip.content, core.self)?.status;
    if (selfStatus === undefined || !isObserverStatus(selfStatus)) return;
    const decision = this.resolver.evaluate(core.gossip.content, core.self, now);
    const isLeader = sameMemberOrFalse(leaderOf(core.gossip.content, core.self), core.self);
    switch (decision.type) {
      case 'no-action':
        return;
      case 'down-others':
        if (!isLeader) return;
        core.log('warn', decision.reason);
        core.downMembers(decision.down);
        return;
      case 'down-own-side': {
        // The leader downs its whole side; every other member downs at least itself, in case the
        // leader's gossip never reaches it.
        const down = isLeader ? decision.down : decision.down.filter((m) => sameMember(m, core.self));
        if (down.length === 0) return;
        core.log('warn', decision.reason);
        if (down.some((m) => sameMember(m, core.self))) core.selfDownReason = decision.reason;
        core.downMembers(down);
        return;
      }
      default:
        return assertNever(decision, 'downing decision');
    }
  }
}

function sameMemberOrFalse(a: UniqueAddress | undefined, b: UniqueAddress): boolean {
  return a !== undefined && sameMember(a, b);
}
