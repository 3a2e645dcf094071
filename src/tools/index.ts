// Cluster singleton: one instance in the cluster, on the oldest member, reached through proxies.
export { ClusterSingleton } from './singleton/ClusterSingleton';
export type { ClusterSingletonOptions } from './singleton/ClusterSingleton';
export { DEFAULT_SINGLETON_SETTINGS, resolveSingletonSettings } from './singleton/settings';
export type { ClusterSingletonSettings } from './singleton/settings';
export { ClusterSingletonError, InvalidSingletonSettingError, InvalidSingletonOptionError } from './singleton/errors';
