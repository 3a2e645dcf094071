import { MAX_SETTING_MS, MultinodeError, describeValue, resolveSettings, type SettingsTable } from '../../util';
import { resolveShardingSettings, type ShardingSettings } from '../sharding';

/** A sharded daemon process option or setting is missing, unknown or out of range. `setting` names it. */
export class InvalidDaemonSettingError extends MultinodeError {
  /** The option's or setting's name, e.g. `keepAliveIntervalMs`. */
  readonly setting: string;

  constructor(setting: string, message: string) {
    super('INVALID_DAEMON_SETTING', message);
    this.setting = setting;
  }
}

/**
 * The tunables of one sharded daemon process, in one table (milliseconds of the node's clock).
 *
 * | setting | default | meaning |
 * |---|---|---|
 * | `keepAliveIntervalMs` | 1000 | how often every node pings every index through the daemon's shard region, which starts the indexes that run nowhere |
 *
 * Besides these, `init` takes the sharding settings of the daemon's entity type (`retryIntervalMs`,
 * `handOffTimeoutMs`, `coordinatorRecoveryTimeoutMs`, `rebalanceIntervalMs`, ...), except
 * `numShards` (always `numberOfInstances`), `passivateIdleAfterMs` (daemons never passivate) and
 * `rememberEntities` (the keep-alive pings restart them instead).
 */
export interface DaemonSettings {
  /** How often each node pings every index; bounds how long an index stays down after its node died. Default 1000, 1 to 600000. */
  readonly keepAliveIntervalMs: number;
}

/** The defaults of `DaemonSettings`. */
export const DEFAULT_DAEMON_SETTINGS: DaemonSettings = Object.freeze({ keepAliveIntervalMs: 1000 });

const TABLE: SettingsTable<DaemonSettings> = {
  kind: 'daemon',
  defaults: DEFAULT_DAEMON_SETTINGS,
  rules: [{ key: 'keepAliveIntervalMs', min: 1, max: MAX_SETTING_MS, what: 'a whole number of milliseconds' }],
  example: '{ "keepAliveIntervalMs": 1000 }',
  error: (setting, message) => new InvalidDaemonSettingError(setting, message),
};

/** Sharding settings a daemon fixes itself, with the reason. */
const FIXED: Readonly<Record<string, string>> = {
  numShards: 'a daemon has one shard per index (numberOfInstances)',
  passivateIdleAfterMs: 'daemon workers are never passivated',
  rememberEntities: 'the keep-alive pings start the workers again',
};

/**
 * Validates the settings part of `ShardedDaemonProcess.init`'s options and splits it into the
 * daemon's own settings and the sharding settings of its entity type. Throws
 * `InvalidDaemonSettingError` naming the setting, the value given and what is allowed.
 */
export function resolveDaemonSettings(name: string, numberOfInstances: number, overrides: Readonly<Record<string, unknown>>): { daemon: DaemonSettings; sharding: ShardingSettings } {
  const { keepAliveIntervalMs, ...rest } = overrides;
  const source = `options of sharded daemon process '${name}'`;
  const daemon = resolveSettings(TABLE, { keepAliveIntervalMs }, source);
  for (const [key, why] of Object.entries(FIXED)) {
    if (rest[key] !== undefined) throw new InvalidDaemonSettingError(key, `The ${source} cannot set '${key}' (given ${describeValue(rest[key])}): ${why}.`);
  }
  let sharding: ShardingSettings;
  try {
    sharding = resolveShardingSettings({ ...rest, numShards: numberOfInstances }, source);
  } catch (error) {
    const setting = (error as { setting?: unknown }).setting;
    throw new InvalidDaemonSettingError(typeof setting === 'string' ? setting : '(unknown)', (error as Error).message.replace('Known settings are:', 'Known settings are: keepAliveIntervalMs,'));
  }
  return { daemon, sharding };
}
