import { Actor, Props, Terminated, type ActorContext, type ActorRef } from '../../actors';
import { Cluster, type ClusterEvent } from '../../cluster';
import { describeValue } from '../../util';
import { regionKey, shardOfId, type ToCoordinator, type ToRegion } from './protocol';
import type { RegionTable } from './RegionTable';
import { shardProps, type EntityChanged, type EntityFactory, type ShardControl } from './Shard';
import type { ShardingSettings } from './settings';

/** @internal Local messages of a region to itself. */
type RegionInternal = { readonly type: 'sharding.RegionTick' } | { readonly type: 'sharding.ClusterEvent'; readonly event: ClusterEvent };

/** @internal What a region is made with. */
export interface RegionConfig {
  readonly typeName: string;
  readonly settings: ShardingSettings;
  readonly factory: EntityFactory;
  /** The coordinator (in the cluster: the singleton proxy). */
  readonly coordinator: ActorRef;
  /** The bookkeeping, shared with `ClusterSharding` for read access. */
  readonly table: RegionTable;
}

/** The path of the region of `typeName` on every node. */
export function regionPath(typeName: string): string {
  return `/system/sharding-${typeName}`;
}

/**
 * The region of one entity type on one node: routes each message to the shard of its entity id,
 * wherever that shard lives; hosts the shards the coordinator allocates here; buffers while a home
 * is unknown or moving; answers the coordinator's hand-off protocol. Every coordinator message is
 * checked against the newest coordinator epoch and the newest allocation of its shard seen here,
 * so duplicates and late ones change nothing (see docs/sharding.md).
 */
export class ShardRegion extends Actor {
  private unsubscribe: (() => void) | undefined;
  /** Entities to start when a shard that is still stopping here is allocated here again. */
  private readonly restartWith = new Map<number, readonly string[]>();

  constructor(private readonly config: RegionConfig) {
    super();
  }

  private get table(): RegionTable {
    return this.config.table;
  }

  override preStart(ctx: ActorContext): void {
    this.unsubscribe = Cluster.get(ctx.system).onEvent((event) => {
      if (['MemberDowned', 'MemberRemoved', 'SelfDowned', 'SelfRemoved'].includes(event.type)) {
        const message: RegionInternal = { type: 'sharding.ClusterEvent', event };
        ctx.self.tell(message);
      }
    });
    const tick: RegionInternal = { type: 'sharding.RegionTick' };
    ctx.timers.startTimerWithFixedDelay('retry', tick, this.config.settings.retryIntervalMs);
    this.register(ctx);
  }

  override postStop(): void {
    this.unsubscribe?.();
  }

  receive(message: unknown, ctx: ActorContext): void {
    if (message instanceof Terminated) return this.onShardStopped(message.ref, ctx);
    const typed = message as ToRegion | RegionInternal | EntityChanged;
    switch (typed?.type) {
      case 'sharding.RegionTick':
        return this.tick(ctx);
      case 'sharding.ClusterEvent':
        return this.onClusterEvent(typed.event, ctx);
      case 'sharding.EntityChanged':
        return this.onEntityChanged(typed);
      case 'sharding.Hello':
        if (!this.acceptEpoch(typed.epoch)) return;
        this.table.registered = false;
        return this.register(ctx);
      case 'sharding.RegisterAck':
        if (!this.acceptEpoch(typed.epoch)) return;
        this.table.registered = true;
        for (const shard of this.table.waitingShards()) this.requestHome(shard, ctx);
        return;
      case 'sharding.HostShard':
        return this.onHome(typed.epoch, typed.shard, typed.version, undefined, typed.entities, ctx);
      case 'sharding.ShardHome':
        return this.onHome(typed.epoch, typed.shard, typed.version, typed, [], ctx);
      case 'sharding.BeginHandOff':
        if (!this.acceptEpoch(typed.epoch) || this.table.observe(typed.shard, typed.epoch, typed.version) === 'older') return;
        this.table.end(typed.shard);
        return this.send({ type: 'sharding.BeginHandOffAck', region: this.table.self, epoch: typed.epoch, shard: typed.shard, version: typed.version });
      case 'sharding.HandOff':
        if (!this.acceptEpoch(typed.epoch) || this.table.observe(typed.shard, typed.epoch, typed.version) === 'older') return;
        this.table.end(typed.shard);
        return this.stopShard(typed.shard, { epoch: typed.epoch, version: typed.version, confirm: true });
      default:
        return this.route(message, ctx.sender, ctx);
    }
  }

  // ------------------------------------------------------------------ routing

  private route(message: unknown, sender: ActorRef | undefined, ctx: ActorContext): void {
    if (this.table.stopped) return this.deadLetter(message, sender, ctx, `the '${this.config.typeName}' shard region on '${ctx.system.address}' has stopped: its node was downed or removed`);
    let entityId: unknown;
    try {
      entityId = this.config.factory.extractEntityId(message);
    } catch (error) {
      return this.deadLetter(message, sender, ctx, `extractEntityId of '${this.config.typeName}' threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof entityId !== 'string' || entityId.length === 0) {
      return this.deadLetter(message, sender, ctx, `extractEntityId of '${this.config.typeName}' gave ${describeValue(entityId)}, not a non-empty string`);
    }
    const shard = this.shardOf(message, entityId);
    if (typeof shard === 'string') return this.deadLetter(message, sender, ctx, shard);
    const home = this.table.home(shard);
    const running = this.table.hosting.get(shard);
    if (home?.kind === 'remote') return home.ref.tell(message, sender);
    if (home?.kind === 'local' && running !== undefined && running.stopping === undefined) return running.ref.tell(message, sender);
    // One request per shard that starts waiting; the retry tick asks again while it waits.
    const firstWaiting = home === undefined && !this.table.isWaiting(shard);
    if (!this.table.buffer(shard, { message, sender }, this.config.settings.bufferSize)) {
      ctx.log.warn(`The '${this.config.typeName}' region dropped a message for shard ${shard}: its buffer is full (bufferSize ${this.config.settings.bufferSize}).`);
      return this.deadLetter(message, sender, ctx, `the '${this.config.typeName}' shard region's buffer is full (bufferSize ${this.config.settings.bufferSize} messages held while shard homes are unknown or moving)`);
    }
    if (firstWaiting) this.requestHome(shard, ctx);
  }

  /** The shard of a message: `extractShardId` if the type has one, else the entity id's hash; a string says why there is none. */
  private shardOf(message: unknown, entityId: string): number | string {
    const { extractShardId } = this.config.factory;
    const numShards = this.config.settings.numShards;
    if (extractShardId === undefined) return shardOfId(entityId, numShards);
    let shard: unknown;
    try {
      shard = extractShardId(message);
    } catch (error) {
      return `extractShardId of '${this.config.typeName}' threw: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (typeof shard !== 'number' || !Number.isInteger(shard) || shard < 0 || shard >= numShards) {
      return `extractShardId of '${this.config.typeName}' gave ${describeValue(shard)}, not a whole number from 0 to ${numShards - 1}`;
    }
    return shard;
  }

  private flush(shard: number, ctx: ActorContext): void {
    for (const { message, sender } of this.table.takeBuffer(shard)) this.route(message, sender, ctx);
  }

  private requestHome(shard: number, ctx: ActorContext): void {
    this.send({ type: 'sharding.GetShardHome', region: this.table.self, ref: ctx.self, shard });
  }

  private tick(ctx: ActorContext): void {
    if (this.table.stopped) return;
    if (!this.table.registered) this.register(ctx);
    for (const shard of this.table.waitingShards()) this.requestHome(shard, ctx);
  }

  // ------------------------------------------------------------------ coordinator messages

  /** A newer epoch replaces the coordinator this region knows; an older one is a dead coordinator. */
  private acceptEpoch(epoch: number): boolean {
    if (this.table.stopped || epoch < this.table.coordinatorEpoch) return false;
    if (epoch > this.table.coordinatorEpoch) {
      this.table.coordinatorEpoch = epoch;
      this.table.registered = false;
    }
    return true;
  }

  private register(ctx: ActorContext): void {
    if (this.table.stopped) return;
    // A shard still stopping for a hand-off is still ours (its entities run until stopped): a new
    // coordinator must not allocate it elsewhere meanwhile. A copy stopping quietly belongs to another region.
    const hosted = [...this.table.hosting].filter(([, h]) => h.stopping === undefined || h.stopping.confirm).map(([shard, h]) => ({ shard, entities: [...h.entities].sort() }));
    this.send({ type: 'sharding.Register', region: this.table.self, ref: ctx.self, hosted });
  }

  private onHome(epoch: number, shard: number, version: number, remote: { home: { address: string; incarnation: number }; ref: ActorRef } | undefined, entities: readonly string[], ctx: ActorContext): void {
    if (!this.acceptEpoch(epoch)) return;
    // Only registered regions get these, so one from a newer coordinator also says it knows us.
    this.table.registered = true;
    const seen = this.table.observe(shard, epoch, version);
    if (seen === 'older' || (seen === 'same' && this.table.isEnded(shard))) return;
    const isSelf = remote === undefined || regionKey(remote.home) === regionKey(this.table.self);
    if (isSelf) {
      this.table.setHome(shard, { kind: 'local' });
      const running = this.table.hosting.get(shard);
      if (running === undefined) this.startShard(shard, entities, ctx);
      else if (running.stopping !== undefined) this.restartWith.set(shard, entities);
      this.send({ type: 'sharding.ShardStarted', region: this.table.self, epoch, shard, version });
    } else {
      // Another region owns it: a copy here (two homes after a coordinator moved) stops quietly.
      this.stopShard(shard, { epoch, version, confirm: false });
      this.table.setHome(shard, { kind: 'remote', id: remote.home, ref: remote.ref });
    }
    this.flush(shard, ctx);
  }

  private startShard(shard: number, entities: readonly string[], ctx: ActorContext): void {
    const ref = ctx.spawn(shardProps(shard, this.config.factory, this.config.settings.passivateIdleAfterMs, entities), String(shard));
    ctx.watch(ref);
    this.table.hosting.set(shard, { ref, entities: new Set(this.config.settings.rememberEntities ? entities : []), stopping: undefined });
  }

  private stopShard(shard: number, stopping: { epoch: number; version: number; confirm: boolean }): void {
    const running = this.table.hosting.get(shard);
    if (running === undefined) {
      if (stopping.confirm) this.send({ type: 'sharding.ShardStopped', region: this.table.self, epoch: stopping.epoch, shard, version: stopping.version });
      return;
    }
    const wasStopping = running.stopping !== undefined;
    if (!wasStopping || stopping.confirm) running.stopping = stopping;
    if (!wasStopping) {
      const stop: ShardControl = { type: 'sharding.StopShard' };
      running.ref.tell(stop);
    }
  }

  private onShardStopped(ref: ActorRef, ctx: ActorContext): void {
    const shard = Number(ref.name);
    const running = this.table.hosting.get(shard);
    if (running === undefined || !running.ref.equals(ref)) return;
    this.table.hosting.delete(shard);
    const stopping = running.stopping;
    if (stopping?.confirm === true) this.send({ type: 'sharding.ShardStopped', region: this.table.self, epoch: stopping.epoch, shard, version: stopping.version });
    if (this.table.stopped) return;
    const restart = this.restartWith.get(shard);
    this.restartWith.delete(shard);
    if (this.table.home(shard)?.kind === 'local') {
      this.startShard(shard, restart ?? [], ctx);
      this.flush(shard, ctx);
    } else if (stopping === undefined) {
      // It stopped on its own (it failed to start): forget the home and ask again.
      this.table.end(shard);
    }
  }

  private onEntityChanged(changed: EntityChanged): void {
    const running = this.table.hosting.get(changed.shard);
    if (!this.config.settings.rememberEntities || running === undefined) return;
    if (changed.started) running.entities.add(changed.entityId);
    else running.entities.delete(changed.entityId);
    const { epoch, version } = this.table.stamp(changed.shard);
    this.send({ type: 'sharding.EntityUpdate', region: this.table.self, epoch, shard: changed.shard, version, entityId: changed.entityId, started: changed.started });
  }

  private onClusterEvent(event: ClusterEvent, ctx: ActorContext): void {
    if (event.type === 'SelfDowned' || event.type === 'SelfRemoved') {
      if (this.table.stopped) return;
      this.table.stopped = true;
      ctx.log.info(`The '${this.config.typeName}' region stops its ${this.table.hosting.size} shards: this node ${event.type === 'SelfDowned' ? 'was downed' : 'was removed'}.`);
      for (const running of this.table.hosting.values()) ctx.stop(running.ref);
      for (const shard of this.table.waitingShards()) {
        for (const { message, sender } of this.table.takeBuffer(shard)) this.deadLetter(message, sender, ctx, `the '${this.config.typeName}' shard region stopped: its node was downed or removed`);
      }
      return;
    }
    if ((event.type === 'MemberDowned' || event.type === 'MemberRemoved') && event.member.address !== this.table.self.address) {
      for (const shard of this.table.forgetAddress(event.member.address)) if (this.table.isWaiting(shard)) this.requestHome(shard, ctx);
    }
  }

  // ------------------------------------------------------------------ plumbing

  private send(message: ToCoordinator): void {
    this.config.coordinator.tell(message);
  }

  private deadLetter(message: unknown, sender: ActorRef | undefined, ctx: ActorContext, reason: string): void {
    ctx.system.eventStream.publish({ type: 'DeadLetter', message, sender, recipient: ctx.self, reason });
  }
}

/** @internal The props of a region. */
export function regionProps(config: RegionConfig): Props {
  return Props.create(() => new ShardRegion(config));
}
