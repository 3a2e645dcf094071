/** Sharded daemon process: N indexed workers kept alive across the cluster, on cluster sharding. */
export { ShardedDaemonProcess, daemonTypeName } from './ShardedDaemonProcess';
export type { DaemonInitOptions } from './ShardedDaemonProcess';
export { DEFAULT_DAEMON_SETTINGS, InvalidDaemonSettingError, resolveDaemonSettings } from './settings';
export type { DaemonSettings } from './settings';
