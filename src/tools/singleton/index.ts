/** Cluster singleton: one instance in the cluster, on the oldest member, reached through proxies. */
export { ClusterSingleton } from './ClusterSingleton';
export type { ClusterSingletonOptions } from './ClusterSingleton';
export { DEFAULT_SINGLETON_SETTINGS, resolveSingletonSettings } from './settings';
export type { ClusterSingletonSettings } from './settings';
export { ClusterSingletonError, InvalidSingletonSettingError, InvalidSingletonOptionError } from './errors';
