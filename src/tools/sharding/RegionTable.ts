/**
 * A region's bookkeeping, pure: what it knows of each shard's home, the newest allocation it has
 * heard of per shard (to drop late and duplicate coordinator messages), and the messages it holds
 * while a home is unknown or moving. The region actor owns it; `ClusterSharding.homes` and
 * `regionState` read it.
 */
import type { ActorRef } from '../../actors';
import { compareStamps, regionKey, type RegionId } from './protocol';

/** Where a region believes a shard lives. */
export type ShardHomeView = { readonly kind: 'local' } | { readonly kind: 'remote'; readonly id: RegionId; readonly ref: ActorRef };

/** A message held until its shard has a home. */
export interface Buffered {
  readonly message: unknown;
  readonly sender: ActorRef | undefined;
}

interface ShardEntry {
  /** The newest allocation heard of (coordinator epoch, version); -1/-1 before any. */
  epoch: number;
  version: number;
  /** That allocation is ending (`BeginHandOff`/`HandOff` seen): its home is no longer used. */
  ended: boolean;
  home: ShardHomeView | undefined;
  readonly buffer: Buffered[];
}

/** A shard actor of this region. */
export interface HostedShardActor {
  readonly ref: ActorRef;
  /** Entities running in it (kept only with `rememberEntities`). */
  readonly entities: Set<string>;
  /** Set once it was told to stop: the allocation whose `ShardStopped` to send when it has. */
  stopping: { readonly epoch: number; readonly version: number; readonly confirm: boolean } | undefined;
}

/** A plain-data view of a region, for `inspect`-style checks. */
export interface RegionSnapshot {
  readonly region: string;
  /** Shards whose entities run here, sorted. */
  readonly hosted: readonly number[];
  /** Shard -> address, as this region knows them (local ones included). */
  readonly homes: Readonly<Record<number, string>>;
  /** Messages held, per shard. */
  readonly buffered: Readonly<Record<number, number>>;
  /** The newest coordinator epoch heard from; -1 before any. */
  readonly coordinatorEpoch: number;
  /** Whether the coordinator of that epoch accepted this region. */
  readonly registered: boolean;
  /** True after this node was downed or removed: the region stopped its shards and routes nothing. */
  readonly stopped: boolean;
}

/** The bookkeeping of one region. */
export class RegionTable {
  readonly self: RegionId;
  coordinatorEpoch = -1;
  registered = false;
  stopped = false;
  /** Shard actors running here (a stopping one until it has stopped), with the entities they report. */
  readonly hosting = new Map<number, HostedShardActor>();
  private readonly shards = new Map<number, ShardEntry>();
  private bufferedCount = 0;

  constructor(self: RegionId) {
    this.self = self;
  }

  /** The entry of `shard`, created empty. */
  private entry(shard: number): ShardEntry {
    let entry = this.shards.get(shard);
    if (entry === undefined) {
      entry = { epoch: -1, version: -1, ended: false, home: undefined, buffer: [] };
      this.shards.set(shard, entry);
    }
    return entry;
  }

  /**
   * Compares the stamp of an incoming allocation with the newest one heard for `shard`: `'newer'`
   * (recorded now), `'same'` or `'older'` (a late or duplicate message).
   */
  observe(shard: number, epoch: number, version: number): 'newer' | 'same' | 'older' {
    const entry = this.entry(shard);
    const order = compareStamps({ epoch, version }, entry);
    if (order < 0) return 'older';
    if (order === 0) return 'same';
    entry.epoch = epoch;
    entry.version = version;
    entry.ended = false;
    return 'newer';
  }

  /** The newest allocation heard of for `shard`. */
  stamp(shard: number): { readonly epoch: number; readonly version: number } {
    const entry = this.shards.get(shard);
    return { epoch: entry?.epoch ?? -1, version: entry?.version ?? -1 };
  }

  /** Whether allocation (epoch, version) of `shard` has been seen ending. */
  isEnded(shard: number): boolean {
    return this.shards.get(shard)?.ended ?? false;
  }

  /** Marks the current allocation of `shard` as ending: its home is forgotten until a new one. */
  end(shard: number): void {
    const entry = this.entry(shard);
    entry.ended = true;
    entry.home = undefined;
  }

  home(shard: number): ShardHomeView | undefined {
    return this.shards.get(shard)?.home;
  }

  setHome(shard: number, home: ShardHomeView | undefined): void {
    this.entry(shard).home = home;
  }

  /**
   * Forgets every home at `address` (its member was downed or removed) and ends those allocations, so
   * a late answer naming the same allocation cannot bring the dead home back; returns those shards.
   */
  forgetAddress(address: string): number[] {
    const forgotten: number[] = [];
    for (const [shard, entry] of this.shards) {
      if (entry.home?.kind === 'remote' && entry.home.id.address === address) {
        entry.home = undefined;
        entry.ended = true;
        forgotten.push(shard);
      }
    }
    return forgotten;
  }

  /** Holds a message for `shard`; false when the region's buffer is full. */
  buffer(shard: number, item: Buffered, limit: number): boolean {
    if (this.bufferedCount >= limit) return false;
    this.entry(shard).buffer.push(item);
    this.bufferedCount++;
    return true;
  }

  /** Takes every message held for `shard`, oldest first. */
  takeBuffer(shard: number): Buffered[] {
    const entry = this.shards.get(shard);
    if (entry === undefined) return [];
    const taken = entry.buffer.splice(0);
    this.bufferedCount -= taken.length;
    return taken;
  }

  /** Whether `shard` has messages waiting and no home. */
  isWaiting(shard: number): boolean {
    const entry = this.shards.get(shard);
    return entry !== undefined && entry.buffer.length > 0 && entry.home === undefined;
  }

  /** Shards with messages waiting and no home. */
  waitingShards(): number[] {
    return [...this.shards].filter(([, e]) => e.buffer.length > 0 && e.home === undefined).map(([shard]) => shard);
  }

  /** The shards hosted here. */
  localShards(): number[] {
    return [...this.shards].filter(([, e]) => e.home?.kind === 'local').map(([shard]) => shard).sort((a, b) => a - b);
  }

  /** Shard -> address, as known here. */
  homes(): Record<number, string> {
    const homes: Record<number, string> = {};
    for (const [shard, entry] of [...this.shards].sort((a, b) => a[0] - b[0])) {
      if (entry.home?.kind === 'local') homes[shard] = this.self.address;
      else if (entry.home?.kind === 'remote') homes[shard] = entry.home.id.address;
    }
    return homes;
  }

  snapshot(): RegionSnapshot {
    const buffered: Record<number, number> = {};
    for (const [shard, entry] of this.shards) if (entry.buffer.length > 0) buffered[shard] = entry.buffer.length;
    return {
      region: regionKey(this.self),
      hosted: [...this.hosting.keys()].sort((a, b) => a - b),
      homes: this.homes(),
      buffered,
      coordinatorEpoch: this.coordinatorEpoch,
      registered: this.registered,
      stopped: this.stopped,
    };
  }
}
