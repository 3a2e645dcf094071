import type { ActorRef, ActorSystem, Props } from '../../actors';
import { Cluster } from '../../cluster';
import { MultinodeError, describeValue } from '../../util';
import { ClusterSingleton } from '../singleton';
import type { CoordinatorSnapshot, CoordinatorState } from './CoordinatorState';
import { shardOfId } from './protocol';
import { RegionTable, type RegionSnapshot } from './RegionTable';
import { coordinatorProps } from './ShardCoordinator';
import { regionPath, regionProps } from './ShardRegion';
import { InvalidShardingSettingError, resolveShardingSettings, type ShardingSettings } from './settings';

/** What `ClusterSharding.start` needs: the entity type, and any `ShardingSettings` to override. */
export interface ShardingStartOptions<M = unknown> extends Partial<ShardingSettings> {
  /** The entity type's name, the same on every node: letters, digits, `_`, `-` and `.`. */
  readonly typeName: string;
  /** How to make an entity: one `Props` for all, or a function of the entity id. */
  readonly entityProps: Props | ((entityId: string) => Props);
  /** The entity id a message is for. Must be pure and the same on every node. */
  readonly extractEntityId: (message: M) => string;
  /**
   * The shard of a message (a whole number below `numShards`), when the type places its entities
   * itself; by default the stable hash of the entity id. Must be pure and the same on every node,
   * and give the same shard for every message of one entity.
   */
  readonly extractShardId?: (message: M) => number;
}

/** `shardOf`, `homes` and friends were asked about a type that `start` was not called for on this node. */
export class UnknownEntityTypeError extends MultinodeError {
  constructor(typeName: string, known: readonly string[]) {
    super(
      'SHARDING_UNKNOWN_TYPE',
      `No sharded entity type '${typeName}' was started on this node; started types: ${known.length === 0 ? 'none' : known.map((t) => `'${t}'`).join(', ')}. Call ClusterSharding.get(system).start({ typeName: '${typeName}', ... }) first.`,
    );
  }
}

interface EntityType {
  readonly settings: ShardingSettings;
  readonly region: ActorRef;
  readonly table: RegionTable;
  /** The coordinator's state while it runs on this node. */
  readonly coordinator: () => CoordinatorState | undefined;
}

const EXTENSION = 'cluster-sharding';
const TYPE_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * Cluster sharding: entities addressed by id, spread over the nodes. Call `start` on every node
 * that should host entities (with the same `typeName`, `numShards` and `extractEntityId`); send to
 * the returned region ref from anywhere. The coordinator runs as a cluster singleton named
 * `sharding-coordinator-<typeName>`. See docs/sharding.md for the protocol and its guarantees.
 */
export class ClusterSharding {
  private readonly types = new Map<string, EntityType>();
  private coordinatorStarts = 0;

  private constructor(private readonly system: ActorSystem) {}

  /** The sharding extension of `system` (created on first use). The system needs a cluster (`Cluster.get`). */
  static get(system: ActorSystem): ClusterSharding {
    return system.findExtension<ClusterSharding>(EXTENSION) ?? system.registerExtension(EXTENSION, new ClusterSharding(system));
  }

  /**
   * Starts the region of `typeName` on this node and the coordinator singleton's manager, and
   * returns the region: `region.tell(message)` delivers to the entity `extractEntityId(message)`,
   * wherever it lives. Starting a type again returns the same region (the options must agree on
   * `numShards`). Throws `InvalidShardingSettingError` for a bad option.
   */
  start<M>(options: ShardingStartOptions<M>): ActorRef<M> {
    const { typeName, entityProps, extractEntityId, extractShardId, ...overrides } = options ?? ({} as ShardingStartOptions<M>);
    if (typeof typeName !== 'string' || !TYPE_NAME.test(typeName)) {
      throw new InvalidShardingSettingError('typeName', `The sharding option 'typeName' must be 1 to 100 letters, digits, '_', '-' or '.'; it was given ${describeValue(typeName)}.`);
    }
    // Props are recognised by shape: the test and the node may hold two copies of the module.
    if (typeof entityProps !== 'function' && typeof (entityProps as Props | undefined)?.factory !== 'function') {
      throw new InvalidShardingSettingError('entityProps', `The sharding option 'entityProps' of '${typeName}' must be Props or a function (entityId) => Props; it was given ${describeValue(entityProps)}.`);
    }
    if (typeof extractEntityId !== 'function') {
      throw new InvalidShardingSettingError('extractEntityId', `The sharding option 'extractEntityId' of '${typeName}' must be a function (message) => entity id; it was given ${describeValue(extractEntityId)}.`);
    }
    if (extractShardId !== undefined && typeof extractShardId !== 'function') {
      throw new InvalidShardingSettingError('extractShardId', `The sharding option 'extractShardId' of '${typeName}' must be a function (message) => shard number, or absent; it was given ${describeValue(extractShardId)}.`);
    }
    const settings = resolveShardingSettings(overrides as Record<string, unknown>, `options of sharded type '${typeName}'`);
    const existing = this.types.get(typeName);
    if (existing !== undefined) {
      if (existing.settings.numShards !== settings.numShards) {
        throw new InvalidShardingSettingError('numShards', `The sharded type '${typeName}' was started with numShards ${existing.settings.numShards}; it cannot start again with ${settings.numShards}.`);
      }
      return existing.region as ActorRef<M>;
    }
    const self = Cluster.get(this.system).self;
    const table = new RegionTable({ address: self.address, incarnation: self.incarnation });
    const props = typeof entityProps === 'function' ? entityProps : () => entityProps;
    let coordinatorState: CoordinatorState | undefined;
    const coordinator = ClusterSingleton.get(this.system).init({
      name: `sharding-coordinator-${typeName}`,
      props: coordinatorProps({ typeName, settings, nextLocalSeq: () => ++this.coordinatorStarts, publish: (state) => (coordinatorState = state) }),
    });
    const region = this.system.systemSpawn(
      regionProps({ typeName, settings, factory: { entityProps: props, extractEntityId: extractEntityId as (m: unknown) => string, extractShardId: extractShardId as ((m: unknown) => number) | undefined }, coordinator, table }),
      regionPath(typeName).slice('/system/'.length),
    );
    this.types.set(typeName, { settings, region, table, coordinator: () => coordinatorState });
    return region as ActorRef<M>;
  }

  /** The region of a started type. */
  region<M = unknown>(typeName: string): ActorRef<M> {
    return this.type(typeName).region as ActorRef<M>;
  }

  /** The shard of `entityId` in `typeName`: a stable hash (FNV-1a) modulo its `numShards` (a type with its own `extractShardId` places entities by that instead). */
  shardOf(typeName: string, entityId: string): number {
    return shardOfId(entityId, this.type(typeName).settings.numShards);
  }

  /** Shard -> address, as this node's region knows them now (shards it never heard of are absent). */
  homes(typeName: string): Record<number, string> {
    return this.type(typeName).table.homes();
  }

  /** This node's region, as plain data: hosted shards, homes, buffered messages, coordinator epoch. */
  regionState(typeName: string): RegionSnapshot {
    return this.type(typeName).table.snapshot();
  }

  /** The coordinator's state if it runs on this node, else undefined. */
  coordinatorState(typeName: string): CoordinatorSnapshot | undefined {
    return this.type(typeName).coordinator()?.snapshot();
  }

  /** The settings in force for a started type. */
  settings(typeName: string): ShardingSettings {
    return this.type(typeName).settings;
  }

  /** The types started on this node. */
  typeNames(): string[] {
    return [...this.types.keys()];
  }

  private type(typeName: string): EntityType {
    const type = this.types.get(typeName);
    if (type === undefined) throw new UnknownEntityTypeError(typeName, this.typeNames());
    return type;
  }
}
