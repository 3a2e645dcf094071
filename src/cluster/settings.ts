import { MAX_SETTING_MS, resolveSettings, type SettingsTable } from '../util';
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
   * detector allows up to three times this (see `DeadlineFailureDetector`). The embedded node raises
   * the default for clusters of more than 8 roles (see `embeddedClusterDefaults`).
   */
  readonly unreachableAfterMs: number;
  /**
   * The split-brain resolver acts once the unreachable set has not changed for this long. Default 1000;
   * the embedded node raises it for clusters of more than 8 roles (see `embeddedClusterDefaults`).
   */
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

const DURATION = 'a whole number of milliseconds';
const TABLE: SettingsTable<ClusterSettings> = {
  kind: 'cluster',
  defaults: DEFAULT_CLUSTER_SETTINGS,
  rules: [
    ...(['gossipIntervalMs', 'heartbeatIntervalMs', 'unreachableAfterMs', 'stableAfterMs', 'joinRetryIntervalMs', 'joinTimeoutMs', 'seedNodeTimeoutMs', 'leaveTimeoutMs'] as const).map(
      (key) => ({ key, min: 1, max: MAX_SETTING_MS, what: DURATION }),
    ),
    { key: 'monitoredByNrOfMembers', min: 1, max: 1000, what: 'a whole number' },
    { key: 'splitBrainResolver', oneOf: ['keep-majority', 'off'] satisfies SplitBrainStrategy[] },
  ],
  example: '{ "stableAfterMs": 1000 }',
  error: (setting, message) => new InvalidClusterSettingError(setting, message),
};

/**
 * Validates `overrides` (typically user input such as `nodeOptions.cluster`) and merges it over the
 * defaults. Throws `InvalidClusterSettingError` naming the setting, the value given and what is allowed.
 * `source` names where the overrides came from, for the error message.
 */
export function resolveClusterSettings(overrides: unknown = {}, source = 'cluster settings'): ClusterSettings {
  const settings = resolveSettings(TABLE, overrides, source);
  checkRelations(settings, source);
  return settings;
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
