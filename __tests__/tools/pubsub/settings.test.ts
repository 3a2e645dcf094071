import { describe, expect, it } from '@jest/globals';
import { DEFAULT_PUBSUB_SETTINGS, InvalidPubSubSettingError, resolvePubSubSettings } from '../../../src/tools';

describe('pub/sub settings', () => {
  it('defaults every setting and takes valid overrides', () => {
    expect(resolvePubSubSettings()).toEqual(DEFAULT_PUBSUB_SETTINGS);
    expect(resolvePubSubSettings({ gossipIntervalMs: 40 })).toEqual({ ...DEFAULT_PUBSUB_SETTINGS, gossipIntervalMs: 40 });
  });

  it.each([
    [{ gossipIntervalMs: 0 }, "Pub/sub setting 'gossipIntervalMs' must be a whole number of milliseconds from 1 to 600000; it was given 0."],
    [{ ackTimeoutMs: 1.5 }, "Pub/sub setting 'ackTimeoutMs' must be a whole number of milliseconds from 1 to 600000; it was given 1.5."],
    [{ gossipInterval: 10 }, "Unknown pub/sub setting 'gossipInterval' (value 10). Known settings are: gossipIntervalMs, ackTimeoutMs."],
    ['fast', 'The pub/sub settings must be an object such as { "gossipIntervalMs": 250 }; it was given "fast".'],
  ])('rejects %j with a message naming the value and what is allowed', (given, message) => {
    expect(() => resolvePubSubSettings(given)).toThrow(InvalidPubSubSettingError);
    expect(() => resolvePubSubSettings(given)).toThrow(message);
  });
});
