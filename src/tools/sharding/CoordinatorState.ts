/**
 * The shard coordinator's state and transitions, pure: every method takes one input (a message, a
 * membership change, a tick with the time) and returns the messages to send. The actor around it
 * (`ShardCoordinator`) only delivers inputs and sends outputs, so every rule about duplicates and
 * stale senders lives here, where the unit tests reach it directly.
 */
import type { ActorRef } from '../../actors';
import { allocateLeastShards, selectRebalance, type RegionLoad } from './allocation';
import { regionKey, type HostedShard, type RegionId, type ToCoordinator, type ToRegion } from './protocol';
import type { ShardingSettings } from './settings';

/** One message to send. */
export interface Outgoing {
  readonly to: ActorRef;
  readonly message: ToRegion;
}

interface RegionEntry {
  readonly id: RegionId;
  ref: ActorRef;
  readonly shards: Set<number>;
  /** Its member is leaving: nothing new is allocated to it and its shards are moved away. */
  draining: boolean;
}

interface Allocation {
  readonly region: string;
  readonly version: number;
  /** Confirmed by `ShardStarted`; until then `HostShard` is re-sent. */
  started: boolean;
  sentAt: number;
}

interface HandOffProgress {
  readonly version: number;
  readonly owner: string;
  phase: 'begin' | 'handoff';
  /** Regions whose `BeginHandOffAck` is still missing. */
  readonly awaiting: Set<string>;
  deadline: number;
  /** Started by a periodic rebalance (counts against `maxSimultaneousRebalance`). */
  readonly rebalance: boolean;
}

/** A read-only snapshot of the coordinator, for `inspect`-style checks and tests. */
export interface CoordinatorSnapshot {
  readonly epoch: number;
  /** Region key -> shards it hosts, sorted. */
  readonly regions: Readonly<Record<string, readonly number[]>>;
  /** Shard -> region key. */
  readonly shards: Readonly<Record<number, string>>;
  /** Shards in a hand-off, with the step they are at. */
  readonly handOffs: Readonly<Record<number, 'begin' | 'handoff'>>;
  /** Remembered entities per shard (only with `rememberEntities`). */
  readonly remembered: Readonly<Record<number, readonly string[]>>;
  /** Regions (member keys) a recovering coordinator still waits for. */
  readonly awaitingRegions: readonly string[];
}

/** The coordinator of one entity type. Create one per coordinator instance, with a fresh epoch. */
export class CoordinatorState {
  readonly epoch: number;
  private readonly settings: ShardingSettings;
  private readonly regions = new Map<string, RegionEntry>();
  private readonly shards = new Map<number, Allocation>();
  private readonly handOffs = new Map<number, HandOffProgress>();
  private readonly remembered = new Map<number, Set<string>>();
  /** Shard -> regions waiting for its home. */
  private readonly pending = new Map<number, Map<string, ActorRef>>();
  /** Highest incarnation seen per address; anything older is a dead incarnation. */
  private readonly latestIncarnation = new Map<string, number>();
  /** Members downed or removed: their regions are gone for good. */
  private readonly dead = new Set<string>();
  /** Region keys a recovering coordinator waits for. */
  private readonly awaiting: Set<string>;
  private readonly recoveryDeadline: number;
  private nextVersion = 0;

  /**
   * `awaitMembers`: the members whose regions may host shards from an earlier coordinator; no
   * unknown shard is allocated until each has registered (or gone), or `coordinatorRecoveryTimeoutMs` passed.
   */
  constructor(epoch: number, settings: ShardingSettings, awaitMembers: readonly RegionId[], now: number) {
    this.epoch = epoch;
    this.settings = settings;
    this.awaiting = new Set(awaitMembers.map(regionKey));
    this.recoveryDeadline = now + settings.coordinatorRecoveryTimeoutMs;
  }

  /** Handles one region message; returns what to send. */
  receive(message: ToCoordinator, now: number): Outgoing[] {
    if (this.isStale(message.region)) return [];
    switch (message.type) {
      case 'sharding.Register':
        return this.register(message.region, message.ref, message.hosted, now);
      case 'sharding.GetShardHome':
        return this.getShardHome(message.region, message.ref, message.shard, now);
      default:
        break;
    }
    // The rest answer something this coordinator sent: another epoch's answers are not ours.
    if (message.epoch !== this.epoch) return [];
    const key = regionKey(message.region);
    switch (message.type) {
      case 'sharding.ShardStarted': {
        const allocation = this.shards.get(message.shard);
        if (allocation?.region === key && allocation.version === message.version) allocation.started = true;
        return [];
      }
      case 'sharding.BeginHandOffAck': {
        const progress = this.handOffs.get(message.shard);
        if (progress?.version !== message.version || progress.phase !== 'begin') return [];
        progress.awaiting.delete(key);
        return progress.awaiting.size === 0 ? this.sendHandOff(message.shard, progress, now) : [];
      }
      case 'sharding.ShardStopped': {
        const progress = this.handOffs.get(message.shard);
        if (progress?.version !== message.version || progress.owner !== key) return [];
        // Moved, not lost: it gets its next home at once (the least busy region), not on the next message.
        if (!this.pending.has(message.shard)) this.pending.set(message.shard, new Map());
        return this.deallocate(message.shard, now);
      }
      case 'sharding.EntityUpdate': {
        const allocation = this.shards.get(message.shard);
        if (!this.settings.rememberEntities || allocation?.region !== key || allocation.version !== message.version) return [];
        this.rememberEntity(message.shard, message.entityId, message.started);
        return [];
      }
    }
  }

  /** A member was downed or removed: its region (if any) is gone and its shards have no home. */
  memberGone(member: RegionId, now: number): Outgoing[] {
    const key = regionKey(member);
    this.dead.add(key);
    const wasAwaited = this.awaiting.delete(key);
    const out = this.dropRegion(key, now);
    // The recovery may have been waiting for this member only.
    if (wasAwaited && this.awaiting.size === 0) out.push(...this.allocatePending(now));
    return out;
  }

  /** A member started leaving: allocate nothing more to it and move its shards away. */
  memberLeaving(member: RegionId, now: number): Outgoing[] {
    const region = this.regions.get(regionKey(member));
    if (region === undefined || region.draining) return [];
    region.draining = true;
    return [...region.shards].flatMap((shard) => this.beginHandOff(shard, now, false));
  }

  /** Time passed: recovery deadline, hand-off deadlines, unconfirmed `HostShard`s. */
  tick(now: number): Outgoing[] {
    const out: Outgoing[] = [];
    if (this.awaiting.size > 0 && now >= this.recoveryDeadline) {
      this.awaiting.clear();
      out.push(...this.allocatePending(now));
    }
    for (const [shard, progress] of this.handOffs) {
      if (now < progress.deadline) continue;
      // A region that never acknowledged is given up on; an owner that never confirmed is asked again
      // (it is treated as lost only once its member is downed or removed: see memberGone).
      out.push(...this.sendHandOff(shard, progress, now));
    }
    for (const [shard, allocation] of this.shards) {
      if (allocation.started || now - allocation.sentAt < this.settings.retryIntervalMs) continue;
      const region = this.regions.get(allocation.region);
      if (region === undefined) continue;
      allocation.sentAt = now;
      out.push(this.hostShard(region, shard, allocation));
    }
    return out;
  }

  /** A periodic rebalance: starts hand-offs of shards chosen by `selectRebalance`. */
  rebalance(now: number): Outgoing[] {
    if (this.awaiting.size > 0) return [];
    const moving = new Set([...this.handOffs].filter(([, p]) => p.rebalance).map(([shard]) => shard));
    const loads: RegionLoad[] = [...this.regions.values()].filter((r) => !r.draining).map((r) => ({ key: regionKey(r.id), shards: [...r.shards].filter((s) => this.shards.get(s)?.started === true) }));
    const picked = selectRebalance(loads, this.settings.rebalanceThreshold, this.settings.maxSimultaneousRebalance, moving);
    return picked.flatMap((shard) => this.beginHandOff(shard, now, true));
  }

  /** Starts moving `shard` off its owner (also what `memberLeaving` and rebalancing do). */
  beginHandOff(shard: number, now: number, rebalance = false): Outgoing[] {
    const allocation = this.shards.get(shard);
    if (allocation === undefined || this.handOffs.has(shard)) return [];
    const progress: HandOffProgress = {
      version: allocation.version,
      owner: allocation.region,
      phase: 'begin',
      awaiting: new Set(this.regions.keys()),
      deadline: now + this.settings.handOffTimeoutMs,
      rebalance,
    };
    this.handOffs.set(shard, progress);
    const message: ToRegion = { type: 'sharding.BeginHandOff', epoch: this.epoch, shard, version: allocation.version };
    return [...this.regions.values()].map((r) => ({ to: r.ref, message }));
  }

  /** The current state, as plain data. */
  snapshot(): CoordinatorSnapshot {
    const regions: Record<string, number[]> = {};
    for (const [key, region] of this.regions) regions[key] = [...region.shards].sort((a, b) => a - b);
    const shards: Record<number, string> = {};
    for (const [shard, allocation] of [...this.shards].sort((a, b) => a[0] - b[0])) shards[shard] = allocation.region;
    const handOffs: Record<number, 'begin' | 'handoff'> = {};
    for (const [shard, progress] of this.handOffs) handOffs[shard] = progress.phase;
    const remembered: Record<number, string[]> = {};
    for (const [shard, ids] of this.remembered) if (ids.size > 0) remembered[shard] = [...ids].sort();
    return { epoch: this.epoch, regions, shards, handOffs, remembered, awaitingRegions: [...this.awaiting].sort() };
  }

  // ------------------------------------------------------------------ transitions

  private register(id: RegionId, ref: ActorRef, hosted: readonly HostedShard[], now: number): Outgoing[] {
    const key = regionKey(id);
    const out: Outgoing[] = [];
    const previous = this.latestIncarnation.get(id.address);
    if (previous !== undefined && previous < id.incarnation) {
      // A newer incarnation at the same address means the older one died.
      out.push(...this.memberGone({ address: id.address, incarnation: previous }, now));
    }
    this.latestIncarnation.set(id.address, id.incarnation);
    let region = this.regions.get(key);
    if (region === undefined) {
      region = { id, ref, shards: new Set(), draining: false };
      this.regions.set(key, region);
    }
    region.ref = ref;
    for (const { shard, entities } of hosted) {
      const allocation = this.shards.get(shard);
      if (allocation === undefined) {
        // Adopted from an earlier coordinator: confirm it with an allocation of this epoch.
        const adopted: Allocation = { region: key, version: ++this.nextVersion, started: true, sentAt: now };
        this.shards.set(shard, adopted);
        region.shards.add(shard);
        out.push(this.hostShard(region, shard, adopted));
      } else if (allocation.region !== key) {
        // Two regions host it (after a coordinator moved): the earlier claim stays, this copy stops.
        const owner = this.regions.get(allocation.region)!;
        out.push({ to: ref, message: { type: 'sharding.ShardHome', epoch: this.epoch, shard, version: allocation.version, home: owner.id, ref: owner.ref } });
        continue;
      }
      for (const entityId of entities) this.rememberEntity(shard, entityId, true);
    }
    out.push({ to: ref, message: { type: 'sharding.RegisterAck', epoch: this.epoch } });
    this.awaiting.delete(key);
    // Requests may be waiting for the recovery to end, or for a first region to allocate to.
    if (this.awaiting.size === 0) out.push(...this.allocatePending(now));
    return out;
  }

  private getShardHome(id: RegionId, ref: ActorRef, shard: number, now: number): Outgoing[] {
    const key = regionKey(id);
    const region = this.regions.get(key);
    // Unknown region (it missed this coordinator's Hello): ask it to register; it asks again after.
    if (region === undefined) return [{ to: ref, message: { type: 'sharding.Hello', epoch: this.epoch } }];
    const allocation = this.shards.get(shard);
    if (allocation !== undefined && !this.handOffs.has(shard)) return [this.homeMessage(region, shard, allocation)];
    let waiting = this.pending.get(shard);
    if (waiting === undefined) {
      waiting = new Map();
      this.pending.set(shard, waiting);
    }
    waiting.set(key, region.ref);
    return allocation === undefined ? this.allocate(shard, now) : [];
  }

  private allocate(shard: number, now: number): Outgoing[] {
    if (this.awaiting.size > 0 || this.shards.has(shard)) return [];
    const candidates = [...this.regions.values()].filter((r) => !r.draining);
    const key = allocateLeastShards(candidates.map((r) => ({ key: regionKey(r.id), shards: [...r.shards] })));
    if (key === undefined) return [];
    const region = this.regions.get(key)!;
    const allocation: Allocation = { region: key, version: ++this.nextVersion, started: false, sentAt: now };
    this.shards.set(shard, allocation);
    region.shards.add(shard);
    const out: Outgoing[] = [this.hostShard(region, shard, allocation)];
    for (const [waiter] of this.pending.get(shard) ?? []) {
      const requester = this.regions.get(waiter);
      if (requester !== undefined && waiter !== key) out.push(this.homeMessage(requester, shard, allocation));
    }
    this.pending.delete(shard);
    return out;
  }

  private allocatePending(now: number): Outgoing[] {
    const out: Outgoing[] = [];
    for (const shard of [...this.pending.keys()].sort((a, b) => a - b)) {
      const allocation = this.shards.get(shard);
      if (allocation === undefined) out.push(...this.allocate(shard, now));
      else if (!this.handOffs.has(shard)) {
        for (const [waiter] of this.pending.get(shard)!) {
          const requester = this.regions.get(waiter);
          if (requester !== undefined) out.push(this.homeMessage(requester, shard, allocation));
        }
        this.pending.delete(shard);
      }
    }
    return out;
  }

  private sendHandOff(shard: number, progress: HandOffProgress, now: number): Outgoing[] {
    const owner = this.regions.get(progress.owner);
    if (owner === undefined) return this.deallocate(shard, now);
    progress.phase = 'handoff';
    progress.awaiting.clear();
    progress.deadline = now + this.settings.handOffTimeoutMs;
    return [{ to: owner.ref, message: { type: 'sharding.HandOff', epoch: this.epoch, shard, version: progress.version } }];
  }

  /** The shard has no home any more; requests waiting for it get a new one. */
  private deallocate(shard: number, now: number): Outgoing[] {
    const allocation = this.shards.get(shard);
    if (allocation !== undefined) this.regions.get(allocation.region)?.shards.delete(shard);
    this.shards.delete(shard);
    this.handOffs.delete(shard);
    // Remembered entities must come back somewhere even if nobody asks for the shard.
    if (this.settings.rememberEntities && (this.remembered.get(shard)?.size ?? 0) > 0 && !this.pending.has(shard)) this.pending.set(shard, new Map());
    return this.pending.has(shard) ? this.allocate(shard, now) : [];
  }

  private dropRegion(key: string, now: number): Outgoing[] {
    const region = this.regions.get(key);
    const out: Outgoing[] = [];
    for (const waiting of this.pending.values()) waiting.delete(key);
    for (const [shard, progress] of this.handOffs) {
      if (progress.owner === key || !progress.awaiting.delete(key) || progress.awaiting.size > 0) continue;
      out.push(...this.sendHandOff(shard, progress, now));
    }
    if (region === undefined) return out;
    this.regions.delete(key);
    for (const shard of [...region.shards].sort((a, b) => a - b)) out.push(...this.deallocate(shard, now));
    return out;
  }

  private rememberEntity(shard: number, entityId: string, started: boolean): void {
    if (!this.settings.rememberEntities) return;
    let ids = this.remembered.get(shard);
    if (ids === undefined) {
      ids = new Set();
      this.remembered.set(shard, ids);
    }
    if (started) ids.add(entityId);
    else ids.delete(entityId);
  }

  private hostShard(region: RegionEntry, shard: number, allocation: Allocation): Outgoing {
    const entities = [...(this.remembered.get(shard) ?? [])].sort();
    return { to: region.ref, message: { type: 'sharding.HostShard', epoch: this.epoch, shard, version: allocation.version, entities } };
  }

  /** `HostShard` to the owner itself (its earlier one may have been lost), `ShardHome` to anyone else. */
  private homeMessage(requester: RegionEntry, shard: number, allocation: Allocation): Outgoing {
    const owner = this.regions.get(allocation.region)!;
    if (owner === requester) return this.hostShard(owner, shard, allocation);
    return { to: requester.ref, message: { type: 'sharding.ShardHome', epoch: this.epoch, shard, version: allocation.version, home: owner.id, ref: owner.ref } };
  }

  private isStale(region: RegionId): boolean {
    const latest = this.latestIncarnation.get(region.address);
    return this.dead.has(regionKey(region)) || (latest !== undefined && latest > region.incarnation);
  }
}
