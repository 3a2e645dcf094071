import { MultinodeError, describeValue } from '../../util';

/** A distributed pub/sub setting is unknown or out of range. Thrown by `DistributedPubSub.get`. */
export class InvalidPubSubSettingError extends MultinodeError {
  /** The setting's name, e.g. `gossipIntervalMs`. */
  readonly setting: string;

  constructor(setting: string, message: string) {
    super('INVALID_PUBSUB_SETTING', message);
    this.setting = setting;
  }
}

/**
 * Every tunable of distributed pub/sub, in one table. They are read once, when the first
 * `DistributedPubSub.get(system, settings)` of a node creates its mediator.
 */
export interface PubSubSettings {
  /**
   * How often the mediator compares registry versions with one other Up member, chosen at random
   * with the system's seeded `Rng`. Changes are also pushed to every Up member at once; this
   * periodic round is what repairs a push that was lost (a cut link, a member that joined later).
   * Default 250.
   */
  readonly gossipIntervalMs: number;
  /** `subscribe` and `unsubscribe` reject when this node's mediator has not acknowledged within this long. Default 5000. */
  readonly ackTimeoutMs: number;
}

/** The defaults of `PubSubSettings`. */
export const DEFAULT_PUBSUB_SETTINGS: PubSubSettings = Object.freeze({
  gossipIntervalMs: 250,
  ackTimeoutMs: 5000,
});

const MAX_MS = 10 * 60 * 1000;
const KNOWN_KEYS = Object.keys(DEFAULT_PUBSUB_SETTINGS) as (keyof PubSubSettings)[];

/**
 * Validates `overrides` and merges it over the defaults. Throws `InvalidPubSubSettingError` naming
 * the setting, the value given and what is allowed.
 */
export function resolvePubSubSettings(overrides: unknown = {}): PubSubSettings {
  if (overrides === undefined || overrides === null) overrides = {};
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new InvalidPubSubSettingError('(all)', `The pub/sub settings must be an object such as { "gossipIntervalMs": 250 }; it was given ${describeValue(overrides)}.`);
  }
  const given = overrides as Record<string, unknown>;
  const result: Record<string, number> = { ...DEFAULT_PUBSUB_SETTINGS };
  for (const key of Object.keys(given)) {
    if (!(KNOWN_KEYS as string[]).includes(key)) {
      throw new InvalidPubSubSettingError(key, `Unknown pub/sub setting '${key}' (value ${describeValue(given[key])}). Known settings are: ${KNOWN_KEYS.join(', ')}.`);
    }
    const value = given[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_MS) {
      throw new InvalidPubSubSettingError(key, `Pub/sub setting '${key}' must be a whole number of milliseconds from 1 to ${MAX_MS}; it was given ${describeValue(value)}.`);
    }
    result[key] = value;
  }
  return Object.freeze(result as unknown as PubSubSettings);
}

/** Whether two settings tables are the same, for telling a later `get` with other settings apart. */
export function sameSettings(a: PubSubSettings, b: PubSubSettings): boolean {
  return KNOWN_KEYS.every((key) => a[key] === b[key]);
}
