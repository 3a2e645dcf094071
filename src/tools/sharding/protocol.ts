/**
 * The wire protocol between shard regions and their coordinator. Every message names its sender's
 * identity: a region by its member (address and incarnation), the coordinator by its epoch, and
 * every statement about a shard by the allocation it concerns (`version`, unique within an epoch).
 * That is what lets each side drop duplicates and messages from dead incarnations (docs/sharding.md).
 */
import type { ActorRef } from '../../actors';
import { hashString } from '../../util';

/** A region's identity: the member it runs on. A restarted node is a new region. */
export interface RegionId {
  readonly address: string;
  readonly incarnation: number;
}

/** The map key of a region, e.g. `b#1`. */
export function regionKey(region: RegionId): string {
  return `${region.address}#${region.incarnation}`;
}

/**
 * The shard of `entityId`: FNV-1a (32 bit) of the id, modulo `numShards`. Stable: the same on every
 * node, run and platform, so every region computes the same shard for a message.
 */
export function shardOfId(entityId: string, numShards: number): number {
  return hashString(entityId) % numShards;
}

/** A shard a region hosts, with the entities it runs (reported only with `rememberEntities`). */
export interface HostedShard {
  readonly shard: number;
  readonly entities: readonly string[];
}

/** Region -> coordinator. */
export type ToCoordinator =
  /** Join (or re-join after the coordinator moved), reporting what it already hosts. */
  | { readonly type: 'sharding.Register'; readonly region: RegionId; readonly ref: ActorRef; readonly hosted: readonly HostedShard[] }
  /** Where is `shard`? Allocates it when it has no home. */
  | { readonly type: 'sharding.GetShardHome'; readonly region: RegionId; readonly ref: ActorRef; readonly shard: number }
  /** The owner started the shard of allocation `version` (answers `HostShard`). */
  | { readonly type: 'sharding.ShardStarted'; readonly region: RegionId; readonly epoch: number; readonly shard: number; readonly version: number }
  /** This region stopped routing to the old home of `shard` (answers `BeginHandOff`). */
  | { readonly type: 'sharding.BeginHandOffAck'; readonly region: RegionId; readonly epoch: number; readonly shard: number; readonly version: number }
  /** The owner stopped every entity of `shard` (answers `HandOff`). */
  | { readonly type: 'sharding.ShardStopped'; readonly region: RegionId; readonly epoch: number; readonly shard: number; readonly version: number }
  /** With `rememberEntities`: an entity of `shard` started (`started: true`) or passivated. */
  | { readonly type: 'sharding.EntityUpdate'; readonly region: RegionId; readonly epoch: number; readonly shard: number; readonly version: number; readonly entityId: string; readonly started: boolean };

/** Coordinator -> region. */
export type ToRegion =
  /** A new coordinator asks every region to register. */
  | { readonly type: 'sharding.Hello'; readonly epoch: number }
  /** The registration was accepted. */
  | { readonly type: 'sharding.RegisterAck'; readonly epoch: number }
  /** Host `shard` (allocation `version`) and start `entities` in it. */
  | { readonly type: 'sharding.HostShard'; readonly epoch: number; readonly shard: number; readonly version: number; readonly entities: readonly string[] }
  /** `shard` (allocation `version`) lives at `home`; send its messages to `ref`. */
  | { readonly type: 'sharding.ShardHome'; readonly epoch: number; readonly shard: number; readonly version: number; readonly home: RegionId; readonly ref: ActorRef }
  /** Allocation `version` of `shard` is ending: stop routing to it and buffer. */
  | { readonly type: 'sharding.BeginHandOff'; readonly epoch: number; readonly shard: number; readonly version: number }
  /** The owner of allocation `version` must stop the shard's entities and answer `ShardStopped`. */
  | { readonly type: 'sharding.HandOff'; readonly epoch: number; readonly shard: number; readonly version: number };

/** Every protocol message type, to recognise them among user messages. */
const TYPES: ReadonlySet<string> = new Set([
  'sharding.Register',
  'sharding.GetShardHome',
  'sharding.ShardStarted',
  'sharding.BeginHandOffAck',
  'sharding.ShardStopped',
  'sharding.EntityUpdate',
  'sharding.Hello',
  'sharding.RegisterAck',
  'sharding.HostShard',
  'sharding.ShardHome',
  'sharding.BeginHandOff',
  'sharding.HandOff',
]);

/** Whether `message` is one of the protocol's messages (rather than a message for an entity). */
export function isProtocolMessage(message: unknown): message is ToCoordinator | ToRegion {
  return typeof message === 'object' && message !== null && TYPES.has((message as { type?: unknown }).type as string);
}

/**
 * Compares two (epoch, version) stamps: negative when `a` is older. Later coordinators have higher
 * epochs, and within an epoch every allocation a higher version.
 */
export function compareStamps(a: { epoch: number; version: number }, b: { epoch: number; version: number }): number {
  return a.epoch !== b.epoch ? a.epoch - b.epoch : a.version - b.version;
}
