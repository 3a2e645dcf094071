/** Cluster sharding: entities addressed by id, spread over the nodes, moved on failure and rebalance. */
export { ClusterSharding, UnknownEntityTypeError } from './ClusterSharding';
export type { ShardingStartOptions } from './ClusterSharding';
export { passivate } from './Shard';
export type { PassivateMessage } from './Shard';
export { DEFAULT_SHARDING_SETTINGS, resolveShardingSettings, InvalidShardingSettingError } from './settings';
export type { ShardingSettings } from './settings';
export type { RegionSnapshot } from './RegionTable';
export type { CoordinatorSnapshot } from './CoordinatorState';
export type { RegionId, HostedShard, ToCoordinator, ToRegion } from './protocol';
