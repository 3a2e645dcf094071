import { MAX_SETTING_MS, resolveSettings, type SettingsTable } from '../../util';
import { InvalidSingletonSettingError } from './errors';

/**
 * Every tunable of a cluster singleton, in one table. Times are in milliseconds of the node's
 * clock; sizes count messages.
 *
 * | setting | default | meaning |
 * |---|---|---|
 * | `bufferSize` | 1000 | messages a proxy holds while no instance is known; when full, the oldest goes to dead letters (0: none are held) |
 * | `handOverRetryIntervalMs` | 200 | how often the new oldest re-asks a previous host to hand over until it confirms |
 * | `leaveGraceMs` | 300 | how long a node that stops gracefully and hosted the instance keeps returning messages that were already on their way to it, after its hand-over |
 * | `leaveHandOverTimeoutMs` | 5000 | how long a node that stops gracefully keeps its actors running, once it has left the cluster, for its instance to stop and the hand-over to be confirmed |
 * | `identifyIntervalMs` | 200 | how often a proxy that knows no instance asks the oldest's manager for it |
 * | `removalMarginMs` | 1000 | how long the new oldest waits, after a previous host that never confirmed is downed or removed in its view, before it starts the instance; it gives a downed minority time to stop its own instance |
 */
export interface ClusterSingletonSettings {
  /** Messages a proxy buffers while no instance is known (0 to 100000). Default 1000. */
  readonly bufferSize: number;
  /** How often the new oldest re-sends its hand-over request to a previous host. Default 200. */
  readonly handOverRetryIntervalMs: number;
  /** How often a proxy without a known instance asks the oldest's manager where it is. Default 200. */
  readonly identifyIntervalMs: number;
  /** How long a gracefully stopping former host keeps returning late messages after its hand-over (0 allowed). Default 300. */
  readonly leaveGraceMs: number;
  /** How long a gracefully stopping node, having left the cluster, waits for its hand-over to finish. Default 5000. */
  readonly leaveHandOverTimeoutMs: number;
  /** The wait after an unconfirmed previous host is downed or removed before taking over (0 allowed). Default 1000. */
  readonly removalMarginMs: number;
}

/** The defaults of `ClusterSingletonSettings`. */
export const DEFAULT_SINGLETON_SETTINGS: ClusterSingletonSettings = Object.freeze({
  bufferSize: 1000,
  handOverRetryIntervalMs: 200,
  identifyIntervalMs: 200,
  leaveGraceMs: 300,
  leaveHandOverTimeoutMs: 5000,
  removalMarginMs: 1000,
});

const DURATION = 'a whole number of milliseconds';
const TABLE: SettingsTable<ClusterSingletonSettings> = {
  kind: 'singleton',
  defaults: DEFAULT_SINGLETON_SETTINGS,
  rules: [
    { key: 'bufferSize', min: 0, max: 100_000, what: 'a whole number of messages' },
    { key: 'handOverRetryIntervalMs', min: 1, max: MAX_SETTING_MS, what: DURATION },
    { key: 'identifyIntervalMs', min: 1, max: MAX_SETTING_MS, what: DURATION },
    { key: 'leaveGraceMs', min: 0, max: MAX_SETTING_MS, what: DURATION },
    { key: 'leaveHandOverTimeoutMs', min: 1, max: MAX_SETTING_MS, what: DURATION },
    { key: 'removalMarginMs', min: 0, max: MAX_SETTING_MS, what: DURATION },
  ],
  example: '{ "bufferSize": 100 }',
  error: (setting, message) => new InvalidSingletonSettingError(setting, message),
};

/**
 * Validates `overrides` and merges it over the defaults. Throws `InvalidSingletonSettingError`
 * naming the setting, the value given and what is allowed.
 */
export function resolveSingletonSettings(overrides: unknown = {}, source = 'singleton settings'): ClusterSingletonSettings {
  return resolveSettings(TABLE, overrides, source);
}
