import { MultinodeError, describeValue } from '../../util';

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

const MAX_MS = 10 * 60 * 1000;
/** Whole numbers: [name, min, max]. Durations where 0 means off have min 0. */
const RANGES: ReadonlyArray<readonly [keyof ShardingSettings, number, number, string]> = [
  ['numShards', 1, 100_000, 'a whole number'],
  ['bufferSize', 1, 10_000_000, 'a whole number'],
  ['retryIntervalMs', 1, MAX_MS, 'a whole number of milliseconds'],
  ['handOffTimeoutMs', 1, MAX_MS, 'a whole number of milliseconds'],
  ['coordinatorRecoveryTimeoutMs', 0, MAX_MS, 'a whole number of milliseconds'],
  ['rebalanceIntervalMs', 0, MAX_MS, 'a whole number of milliseconds (0 turns rebalancing off)'],
  ['rebalanceThreshold', 1, 100_000, 'a whole number'],
  ['maxSimultaneousRebalance', 1, 100_000, 'a whole number'],
  ['passivateIdleAfterMs', 0, MAX_MS, 'a whole number of milliseconds (0 turns passivation off)'],
];
const KNOWN_KEYS: readonly string[] = Object.keys(DEFAULT_SHARDING_SETTINGS);

/**
 * Validates `overrides` and merges it over the defaults. Throws `InvalidShardingSettingError` naming
 * the setting, the value given and what is allowed. `source` names where the values came from.
 */
export function resolveShardingSettings(overrides: Readonly<Record<string, unknown>>, source = 'ClusterSharding.start options'): ShardingSettings {
  for (const key of Object.keys(overrides)) {
    if (!KNOWN_KEYS.includes(key) && overrides[key] !== undefined) {
      throw new InvalidShardingSettingError(key, `Unknown sharding setting '${key}' in the ${source} (value ${describeValue(overrides[key])}). Known settings are: ${KNOWN_KEYS.join(', ')}.`);
    }
  }
  const result: Record<string, unknown> = { ...DEFAULT_SHARDING_SETTINGS };
  for (const [key, min, max, what] of RANGES) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new InvalidShardingSettingError(key, `Sharding setting '${key}' in the ${source} must be ${what} from ${min} to ${max}; it was given ${describeValue(value)}.`);
    }
    result[key] = value;
  }
  const remember = overrides.rememberEntities;
  if (remember !== undefined) {
    if (typeof remember !== 'boolean') {
      throw new InvalidShardingSettingError('rememberEntities', `Sharding setting 'rememberEntities' in the ${source} must be true or false; it was given ${describeValue(remember)}.`);
    }
    result.rememberEntities = remember;
  }
  return Object.freeze(result as unknown as ShardingSettings);
}
