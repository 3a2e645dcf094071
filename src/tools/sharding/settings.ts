import { MAX_SETTING_MS, MultinodeError, resolveSettings, type SettingsTable } from '../../util';

/** A sharding setting or start option is unknown or out of range. `setting` names it. */
export class InvalidShardingSettingError extends MultinodeError {
  /** The setting's name, e.g. `handOffTimeoutMs`. */
  readonly setting: string;

  constructor(setting: string, message: string) {
    super('INVALID_SHARDING_SETTING', message);
    this.setting = setting;
  }
}

/**
 * Every tunable of one sharded entity type, in one table (units in the names). Every node that
 * starts the type must use the same `numShards`; the rest may differ per node but rarely should.
 */
export interface ShardingSettings {
  /** How many shards the entity ids are hashed into. Default 16; 1 to 100000. */
  readonly numShards: number;
  /**
   * How many messages a region holds in total while the home of their shard is unknown or moving.
   * A message past this becomes a `DeadLetter` whose reason says the buffer is full. Default 1000.
   */
  readonly bufferSize: number;
  /**
   * How often a region re-sends an unanswered registration or shard-home request, and how often the
   * coordinator re-sends unconfirmed `HostShard`s and unacknowledged `BeginHandOff`s and checks
   * hand-off deadlines. Default 200.
   */
  readonly retryIntervalMs: number;
  /**
   * How long the coordinator waits for a hand-off step (every region's `BeginHandOffAck`, then the
   * owner's `ShardStopped`). Past it, the acknowledgements still missing are given up and `HandOff`
   * is sent; a missing `ShardStopped` makes it send `HandOff` again (the shard is only treated as
   * lost when its owner is downed or removed). Default 3000.
   */
  readonly handOffTimeoutMs: number;
  /**
   * How long a newly started coordinator waits for the regions of the Up members to register what
   * they host before it allocates shards nobody reported. Default 2000.
   */
  readonly coordinatorRecoveryTimeoutMs: number;
  /** How often the coordinator looks for an uneven spread to rebalance; 0 turns rebalancing off. Default 10000. */
  readonly rebalanceIntervalMs: number;
  /** Shards move only when the busiest region hosts at least this many more than the least busy one. Default 3. */
  readonly rebalanceThreshold: number;
  /** At most this many shards are moving (by rebalance) at any time. Default 2. */
  readonly maxSimultaneousRebalance: number;
  /** An entity that received no message for this long is stopped (passivated); 0 keeps entities running. Default 0. */
  readonly passivateIdleAfterMs: number;
  /**
   * Entities that were started are started again wherever their shard lands next (after a crash,
   * a hand-off or a rebalance), until they passivate. Kept in the coordinator's memory only: see
   * docs/sharding.md for the limits. Default false.
   */
  readonly rememberEntities: boolean;
}

/** The defaults of `ShardingSettings`. */
export const DEFAULT_SHARDING_SETTINGS: ShardingSettings = Object.freeze({
  numShards: 16,
  bufferSize: 1000,
  retryIntervalMs: 200,
  handOffTimeoutMs: 3000,
  coordinatorRecoveryTimeoutMs: 2000,
  rebalanceIntervalMs: 10_000,
  rebalanceThreshold: 3,
  maxSimultaneousRebalance: 2,
  passivateIdleAfterMs: 0,
  rememberEntities: false,
});

const DURATION = 'a whole number of milliseconds';
const TABLE: SettingsTable<ShardingSettings> = {
  kind: 'sharding',
  defaults: DEFAULT_SHARDING_SETTINGS,
  rules: [
    { key: 'numShards', min: 1, max: 100_000, what: 'a whole number' },
    { key: 'bufferSize', min: 1, max: 10_000_000, what: 'a whole number' },
    { key: 'retryIntervalMs', min: 1, max: MAX_SETTING_MS, what: DURATION },
    { key: 'handOffTimeoutMs', min: 1, max: MAX_SETTING_MS, what: DURATION },
    { key: 'coordinatorRecoveryTimeoutMs', min: 0, max: MAX_SETTING_MS, what: DURATION },
    { key: 'rebalanceIntervalMs', min: 0, max: MAX_SETTING_MS, what: `${DURATION} (0 turns rebalancing off)` },
    { key: 'rebalanceThreshold', min: 1, max: 100_000, what: 'a whole number' },
    { key: 'maxSimultaneousRebalance', min: 1, max: 100_000, what: 'a whole number' },
    { key: 'passivateIdleAfterMs', min: 0, max: MAX_SETTING_MS, what: `${DURATION} (0 turns passivation off)` },
    { key: 'rememberEntities', boolean: true },
  ],
  example: '{ "numShards": 16 }',
  error: (setting, message) => new InvalidShardingSettingError(setting, message),
};

/**
 * Validates `overrides` and merges it over the defaults. Throws `InvalidShardingSettingError` naming
 * the setting, the value given and what is allowed. `source` names where the values came from.
 */
export function resolveShardingSettings(overrides: Readonly<Record<string, unknown>>, source = 'ClusterSharding.start options'): ShardingSettings {
  return resolveSettings(TABLE, overrides, source);
}
