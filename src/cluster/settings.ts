import { describeValue } from '../util';
import { InvalidClusterSettingError } from './errors';

/** How the split-brain resolver decides; `'off'` leaves downing to `cluster.down()` calls. */
export type SplitBrainStrategy = 'keep-majority' | 'off';

/**
 * Every tunable of the cluster membership layer, in one table. Defaults are tuned for tests on
 * in-process links on a loaded 2-core machine: a crashed node is unreachable after ~1 s and downed ~1 s later.
 */
export interface ClusterSettings {
  /** How often a member gossips its view to one other member. Default 100. */
  readonly gossipIntervalMs: number;
  /** How often a member sends a heartbeat to every other live member. Default 100. */
  readonly heartbeatIntervalMs: number;
  /**
   * How many reachable members each member probes with heartbeats (its next neighbours in address
   * order; see `heartbeatReceivers`), so every member is watched by that many others. Clusters no
   * larger than this plus one are probed all to all. Default 5.
   */
  readonly monitoredByNrOfMembers: number;
  /**
   * A monitored member that has not answered a heartbeat for this long is observed unreachable.
   * Default 1000. For a member whose answers have recently come late (its thread starved), the
   * detector allows up to three times this (see `DeadlineFailureDetector`).
   */
  readonly unreachableAfterMs: number;
  /** The split-brain resolver acts once the unreachable set has not changed for this long. Default 1000. */
  readonly stableAfterMs: number;
  /** The split-brain resolver's strategy. Default `'keep-majority'`. */
  readonly splitBrainResolver: SplitBrainStrategy;
  /** How often a joining node re-sends Join to the seed nodes until it is welcomed. Default 200. */
  readonly joinRetryIntervalMs: number;
  /** A joining node must be welcomed and Up within this long, or `whenUp()` rejects. Default 15000. */
  readonly joinTimeoutMs: number;
  /**
   * A restarted first seed (incarnation > 0) tries to rejoin through the other seeds for this long
   * before it forms a new cluster alone. Default 2000.
   */
  readonly seedNodeTimeoutMs: number;
  /** `leave()` rejects if this member is not removed within this long. Default 10000. */
  readonly leaveTimeoutMs: number;
}

/** The defaults of `ClusterSettings`. */
export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = Object.freeze({
  gossipIntervalMs: 100,
  heartbeatIntervalMs: 100,
  monitoredByNrOfMembers: 5,
  unreachableAfterMs: 1000,
  stableAfterMs: 1000,
  splitBrainResolver: 'keep-majority',
  joinRetryIntervalMs: 200,
  joinTimeoutMs: 15_000,
  seedNodeTimeoutMs: 2000,
  leaveTimeoutMs: 10_000,
});

const MAX_MS = 10 * 60 * 1000;
const DURATION_KEYS = [
  'gossipIntervalMs',
  'heartbeatIntervalMs',
  'unreachableAfterMs',
  'stableAfterMs',
  'joinRetryIntervalMs',
  'joinTimeoutMs',
  'seedNodeTimeoutMs',
  'leaveTimeoutMs',
] as const;
const MAX_MONITORED_BY = 1000;
const STRATEGIES: readonly SplitBrainStrategy[] = ['keep-majority', 'off'];
const KNOWN_KEYS: readonly string[] = Object.keys(DEFAULT_CLUSTER_SETTINGS);

/**
 * Validates `overrides` (typically user input such as `nodeOptions.cluster`) and merges it over the
 * defaults. Throws `InvalidClusterSettingError` naming the setting, the value given and what is allowed.
 * `source` names where the overrides came from, for the error message.
 */
export function resolveClusterSettings(overrides: unknown = {}, source = 'cluster settings'): ClusterSettings {
  if (overrides === undefined || overrides === null) overrides = {};
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new InvalidClusterSettingError(
      '(all)',
      `The ${source} must be an object such as { "stableAfterMs": 1000 }; it was given ${describeValue(overrides)}.`,
    );
  }
  const given = overrides as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!KNOWN_KEYS.includes(key)) {
      throw new InvalidClusterSettingError(
        key,
        `Unknown cluster setting '${key}' in the ${source} (value ${describeValue(given[key])}). ` +
          `Known settings are: ${KNOWN_KEYS.join(', ')}.`,
      );
    }
  }
  const result: Record<string, unknown> = { ...DEFAULT_CLUSTER_SETTINGS };
  for (const key of DURATION_KEYS) {
    const value = given[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_MS) {
      throw new InvalidClusterSettingError(
        key,
        `Cluster setting '${key}' in the ${source} must be a whole number of milliseconds from 1 to ${MAX_MS}; ` +
          `it was given ${describeValue(value)}.`,
      );
    }
    result[key] = value;
  }
  const monitoredBy = given.monitoredByNrOfMembers;
  if (monitoredBy !== undefined) {
    if (typeof monitoredBy !== 'number' || !Number.isInteger(monitoredBy) || monitoredBy < 1 || monitoredBy > MAX_MONITORED_BY) {
      throw new InvalidClusterSettingError(
        'monitoredByNrOfMembers',
        `Cluster setting 'monitoredByNrOfMembers' in the ${source} must be a whole number from 1 to ${MAX_MONITORED_BY}; ` +
          `it was given ${describeValue(monitoredBy)}.`,
      );
    }
    result.monitoredByNrOfMembers = monitoredBy;
  }
  const strategy = given.splitBrainResolver;
  if (strategy !== undefined) {
    if (!STRATEGIES.includes(strategy as SplitBrainStrategy)) {
      throw new InvalidClusterSettingError(
        'splitBrainResolver',
        `Cluster setting 'splitBrainResolver' in the ${source} must be one of ${STRATEGIES.map((s) => `'${s}'`).join(', ')}; ` +
          `it was given ${describeValue(strategy)}.`,
      );
    }
    result.splitBrainResolver = strategy;
  }
  const settings = result as unknown as ClusterSettings;
  checkRelations(settings, source);
  return Object.freeze(settings);
}

/** Cross-setting constraints: a detector that fires before two heartbeats were due would flap. */
function checkRelations(settings: ClusterSettings, source: string): void {
  if (settings.unreachableAfterMs < 2 * settings.heartbeatIntervalMs) {
    throw new InvalidClusterSettingError(
      'unreachableAfterMs',
      `Cluster setting 'unreachableAfterMs' in the ${source} must be at least twice 'heartbeatIntervalMs' ` +
        `(${settings.heartbeatIntervalMs} ms), so that one late heartbeat does not mark a member unreachable; ` +
        `it was given ${settings.unreachableAfterMs}.`,
    );
  }
  if (settings.joinTimeoutMs < settings.joinRetryIntervalMs) {
    throw new InvalidClusterSettingError(
      'joinTimeoutMs',
      `Cluster setting 'joinTimeoutMs' in the ${source} must be at least 'joinRetryIntervalMs' ` +
        `(${settings.joinRetryIntervalMs} ms); it was given ${settings.joinTimeoutMs}.`,
    );
  }
}
