import { describeValue } from '../../util';
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

const MAX_MS = 10 * 60 * 1000;
const MAX_BUFFER = 100_000;
/** Setting -> [minimum, maximum, unit phrase]. */
const RANGES: Readonly<Record<keyof ClusterSingletonSettings, readonly [number, number, string]>> = {
  bufferSize: [0, MAX_BUFFER, 'a whole number of messages'],
  handOverRetryIntervalMs: [1, MAX_MS, 'a whole number of milliseconds'],
  identifyIntervalMs: [1, MAX_MS, 'a whole number of milliseconds'],
  leaveGraceMs: [0, MAX_MS, 'a whole number of milliseconds'],
  leaveHandOverTimeoutMs: [1, MAX_MS, 'a whole number of milliseconds'],
  removalMarginMs: [0, MAX_MS, 'a whole number of milliseconds'],
};
const KNOWN_KEYS = Object.keys(DEFAULT_SINGLETON_SETTINGS) as (keyof ClusterSingletonSettings)[];

/**
 * Validates `overrides` and merges it over the defaults. Throws `InvalidSingletonSettingError`
 * naming the setting, the value given and what is allowed.
 */
export function resolveSingletonSettings(overrides: unknown = {}, source = 'singleton settings'): ClusterSingletonSettings {
  if (overrides === undefined || overrides === null) overrides = {};
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new InvalidSingletonSettingError(
      '(all)',
      `The ${source} must be an object such as { "bufferSize": 100 }; it was given ${describeValue(overrides)}.`,
    );
  }
  const given = overrides as Record<string, unknown>;
  const result: Record<string, number> = { ...DEFAULT_SINGLETON_SETTINGS };
  for (const key of Object.keys(given)) {
    if (!(KNOWN_KEYS as string[]).includes(key)) {
      throw new InvalidSingletonSettingError(
        key,
        `Unknown singleton setting '${key}' in the ${source} (value ${describeValue(given[key])}). Known settings are: ${KNOWN_KEYS.join(', ')}.`,
      );
    }
    const value = given[key];
    if (value === undefined) continue;
    const [min, max, unit] = RANGES[key as keyof ClusterSingletonSettings];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new InvalidSingletonSettingError(
        key,
        `Singleton setting '${key}' in the ${source} must be ${unit} from ${min} to ${max}; it was given ${describeValue(value)}.`,
      );
    }
    result[key] = value;
  }
  return Object.freeze(result as unknown as ClusterSingletonSettings);
}
