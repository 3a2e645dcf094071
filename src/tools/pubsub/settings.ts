import { MAX_SETTING_MS, MultinodeError, resolveSettings, type SettingsTable } from '../../util';

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

const TABLE: SettingsTable<PubSubSettings> = {
  kind: 'pub/sub',
  defaults: DEFAULT_PUBSUB_SETTINGS,
  rules: (['gossipIntervalMs', 'ackTimeoutMs'] as const).map((key) => ({ key, min: 1, max: MAX_SETTING_MS, what: 'a whole number of milliseconds' })),
  example: '{ "gossipIntervalMs": 250 }',
  error: (setting, message) => new InvalidPubSubSettingError(setting, message),
};

/**
 * Validates `overrides` and merges it over the defaults. Throws `InvalidPubSubSettingError` naming
 * the setting, the value given and what is allowed.
 */
export function resolvePubSubSettings(overrides: unknown = {}): PubSubSettings {
  return resolveSettings(TABLE, overrides);
}

/** Whether two settings tables are the same, for telling a later `get` with other settings apart. */
export function sameSettings(a: PubSubSettings, b: PubSubSettings): boolean {
  return (Object.keys(DEFAULT_PUBSUB_SETTINGS) as (keyof PubSubSettings)[]).every((key) => a[key] === b[key]);
}
