import { Actor, Terminated, type ActorContext, type ActorRef } from '../../actors';
import { isUpOrLeaving, memberKey, type Cluster, type ClusterState, type Member } from '../../cluster';
import type { Rng } from '../../util';
import { MEDIATOR_NAME, type GossipMessage, type MediatorMessage } from './protocol';
import type { PubSubSettings } from './settings';
import type { TopicRegistry } from './TopicRegistry';

/** Members that take part in spreading the registry: Up or Leaving, as in Akka. */
function isGossipPeer(member: Member, self: string): boolean {
  return member.address !== self && isUpOrLeaving(member.status);
}

/**
 * The pub/sub mediator of one node, at `/system/distributedPubSubMediator`: the only writer of the
 * node's `TopicRegistry`. It watches every local subscriber (a stopped one is removed), pushes each
 * change of its own bucket to every Up member at once, and every `gossipIntervalMs` compares
 * versions with one Up member chosen with the seeded `Rng`, which repairs lost pushes. It keeps
 * buckets only of live members: a downed or removed member's subscriptions are dropped on the
 * cluster event, and deltas about it that arrive late are ignored.
 */
export class Mediator extends Actor<MediatorMessage> {
  private stopFollowing: (() => void) | undefined;
  private liveCache: { state: ClusterState; keys: ReadonlySet<string> } | undefined;

  constructor(
    private readonly registry: TopicRegistry<ActorRef>,
    private readonly cluster: Cluster,
    private readonly settings: PubSubSettings,
    private readonly rng: Rng,
  ) {
    super();
  }

  preStart(ctx: ActorContext<MediatorMessage>): void {
    // After a restart the registry survives but the watches do not.
    for (const ref of this.registry.localSubscribers()) ctx.watch(ref);
    this.stopFollowing = this.cluster.onEvent((event) => ctx.self.tell({ type: 'ClusterChanged', event }));
    ctx.timers.startTimerWithFixedDelay('gossip', { type: 'GossipTick' }, this.settings.gossipIntervalMs);
  }

  postStop(): void {
    this.stopFollowing?.();
  }

  receive(message: MediatorMessage, ctx: ActorContext<MediatorMessage>): void {
    if (message instanceof Terminated) {
      this.change(ctx, () => this.registry.removeSubscriber(message.ref).length > 0);
      return;
    }
    switch (message.type) {
      case 'Subscribe': {
        const changed = this.change(ctx, () => this.registry.subscribe(message.topic, message.ref));
        if (changed) ctx.watch(message.ref);
        ctx.reply({ type: 'Ack', changed });
        return;
      }
      case 'Unsubscribe': {
        const changed = this.change(ctx, () => this.registry.unsubscribe(message.topic, message.ref));
        if (changed && !this.registry.hasLocalSubscriber(message.ref)) ctx.unwatch(message.ref);
        ctx.reply({ type: 'Ack', changed });
        return;
      }
      case 'GossipTick':
        this.forgetGoneMembers(ctx);
        this.gossip(ctx);
        return;
      case 'ClusterChanged':
        this.forgetGoneMembers(ctx);
        return;
      case 'PubSubStatus': {
        const sender = ctx.sender;
        if (sender === undefined) return;
        const accepts = (owner: string): boolean => this.isLive(owner);
        const deltas = this.registry.deltasFor(message.versions).filter((d) => accepts(d.owner));
        if (deltas.length > 0) sender.tell({ type: 'PubSubDelta', buckets: deltas } satisfies GossipMessage, ctx.self);
        if (message.reply && this.registry.isBehind(message.versions, accepts)) sender.tell(this.status(false), ctx.self);
        return;
      }
      case 'PubSubDelta': {
        let gap = false;
        for (const delta of message.buckets) {
          if (this.isLive(delta.owner) && this.registry.apply(delta) === 'gap') gap = true;
        }
        // A push that starts after what we hold means one before it was lost: ask for everything since.
        if (gap) {
          ctx.log.debug(`a registry delta from ${String(ctx.sender?.node)} follows one that never arrived; asking it for everything since`);
          ctx.sender?.tell(this.status(false), ctx.self);
        }
        return;
      }
      default:
        ctx.unhandled(message);
    }
  }

  /** Runs a write of this node's bucket and pushes what it changed to every Up member. */
  private change(ctx: ActorContext<MediatorMessage>, write: () => boolean): boolean {
    const before = this.registry.version;
    if (!write()) return false;
    const delta = this.registry.deltaSince(this.registry.self, before);
    if (delta === undefined || !this.isMember()) return true;
    for (const peer of this.peers()) this.mediatorAt(ctx, peer.address).tell({ type: 'PubSubDelta', buckets: [delta] } satisfies GossipMessage, ctx.self);
    return true;
  }

  private gossip(ctx: ActorContext<MediatorMessage>): void {
    if (!this.isMember()) return;
    const peers = this.peers();
    const reachable = peers.filter((m) => m.reachable);
    const pool = reachable.length > 0 ? reachable : peers;
    if (pool.length === 0) return;
    const target = pool[this.rng.nextInt(pool.length)];
    this.mediatorAt(ctx, target.address).tell(this.status(true), ctx.self);
  }

  private forgetGoneMembers(ctx: ActorContext<MediatorMessage>): void {
    const dropped = this.registry.retainOwners((owner) => this.isLive(owner));
    if (dropped.length > 0) ctx.log.debug(`forgot the subscriptions of ${dropped.join(', ')}: no longer a live member`);
  }

  private status(reply: boolean): GossipMessage {
    return { type: 'PubSubStatus', versions: this.registry.versions(), reply };
  }

  private peers(): Member[] {
    const self = this.cluster.self.address;
    return this.cluster.state().members.filter((m) => isGossipPeer(m, self));
  }

  private isMember(): boolean {
    return this.cluster.state().phase === 'member';
  }

  /** Whether `owner` (`address#incarnation`) is a member that is neither downed nor removed in this node's view. */
  private isLive(owner: string): boolean {
    const state = this.cluster.state();
    if (this.liveCache?.state !== state) {
      // `members` leaves removed ones out already; a downed member's mediator no longer counts.
      const keys = new Set(state.members.filter((m) => m.status !== 'down').map(memberKey));
      keys.add(memberKey(this.cluster.self));
      this.liveCache = { state, keys };
    }
    return this.liveCache.keys.has(owner);
  }

  private mediatorAt(ctx: ActorContext<MediatorMessage>, address: string): ActorRef<MediatorMessage> {
    return ctx.system.refFor<MediatorMessage>(address, `/system/${MEDIATOR_NAME}`);
  }
}
