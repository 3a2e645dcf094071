import { Actor, Props, type ActorContext } from '../../actors';
import { Cluster, isUpOrLeaving, type ClusterEvent } from '../../cluster';
import { CoordinatorState, type Outgoing } from './CoordinatorState';
import { isProtocolMessage, type ToCoordinator } from './protocol';
import { regionPath } from './ShardRegion';
import type { ShardingSettings } from './settings';

type CoordinatorInternal =
  | { readonly type: 'sharding.CoordinatorTick' }
  | { readonly type: 'sharding.RebalanceTick' }
  | { readonly type: 'sharding.ClusterEvent'; readonly event: ClusterEvent };

/** @internal What a coordinator is made with. */
export interface CoordinatorConfig {
  readonly typeName: string;
  readonly settings: ShardingSettings;
  /** A number that grows with every coordinator started on this node (part of the epoch). */
  readonly nextLocalSeq: () => number;
  /** Called with the state when this instance starts, and with undefined when it stops (read access). */
  readonly publish: (state: CoordinatorState | undefined) => void;
}

/** Epochs of coordinators on one member: `upNumber * EPOCH_SPAN + local sequence`. */
const EPOCH_SPAN = 1_000_000;

/**
 * The coordinator of one entity type: runs as a cluster singleton (on the oldest member), decides
 * every shard's home, and drives hand-offs and rebalancing. Its epoch grows with every move: the
 * singleton only moves to a younger member (higher up-number), and restarts on one member count up.
 * On start it asks the region of every Up member to register what it hosts (its state lives only in
 * memory) and allocates no unreported shard until they have, or `coordinatorRecoveryTimeoutMs` passed.
 */
export class ShardCoordinator extends Actor {
  private state: CoordinatorState | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly config: CoordinatorConfig) {
    super();
  }

  override preStart(ctx: ActorContext): void {
    const cluster = Cluster.get(ctx.system);
    const view = cluster.state();
    const epoch = (view.selfMember?.upNumber ?? 0) * EPOCH_SPAN + (this.config.nextLocalSeq() % EPOCH_SPAN);
    const members = view.members.filter((m) => isUpOrLeaving(m.status));
    const state = new CoordinatorState(epoch, this.config.settings, members, ctx.system.clock.now());
    this.state = state;
    this.config.publish(state);
    ctx.log.info(`Coordinator of '${this.config.typeName}' started with epoch ${epoch}; waiting for the regions of ${members.map((m) => `'${m.address}'`).join(', ')} to register.`);
    for (const member of members) ctx.system.refFor(member.address, regionPath(this.config.typeName)).tell({ type: 'sharding.Hello', epoch });
    this.unsubscribe = cluster.onEvent((event) => {
      if (event.type === 'MemberDowned' || event.type === 'MemberRemoved' || event.type === 'MemberLeft') {
        const message: CoordinatorInternal = { type: 'sharding.ClusterEvent', event };
        ctx.self.tell(message);
      }
    });
    const tick: CoordinatorInternal = { type: 'sharding.CoordinatorTick' };
    ctx.timers.startTimerWithFixedDelay('tick', tick, this.config.settings.retryIntervalMs);
    if (this.config.settings.rebalanceIntervalMs > 0) {
      const rebalance: CoordinatorInternal = { type: 'sharding.RebalanceTick' };
      ctx.timers.startTimerWithFixedDelay('rebalance', rebalance, this.config.settings.rebalanceIntervalMs);
    }
  }

  override postStop(): void {
    this.unsubscribe?.();
    this.config.publish(undefined);
  }

  receive(message: unknown, ctx: ActorContext): void {
    const state = this.state!;
    const now = ctx.system.clock.now();
    const internal = message as CoordinatorInternal;
    switch (internal?.type) {
      case 'sharding.CoordinatorTick': {
        const out = state.tick(now);
        for (const warning of state.takeWarnings()) ctx.log.warn(`Coordinator of '${this.config.typeName}': ${warning}`);
        return this.send(out);
      }
      case 'sharding.RebalanceTick':
        return this.send(state.rebalance(now));
      case 'sharding.ClusterEvent': {
        const { event } = internal;
        if (event.type === 'MemberLeft') return this.send(state.memberLeaving(event.member, now));
        if (event.type === 'MemberDowned' || event.type === 'MemberRemoved') return this.send(state.memberGone(event.member, now));
        return;
      }
      default:
        if (isProtocolMessage(message)) return this.send(state.receive(message as ToCoordinator, now));
        ctx.unhandled(message);
    }
  }

  private send(out: readonly Outgoing[]): void {
    for (const { to, message } of out) to.tell(message);
  }
}

/** @internal The props of a coordinator. */
export function coordinatorProps(config: CoordinatorConfig): Props {
  return Props.create(() => new ShardCoordinator(config));
}
