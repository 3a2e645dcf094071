import { MAX_SETTING_MS, resolveSettings, type SettingsTable } from '../util';
import { ProxySettingsError } from './proxyErrors';

/** How a fault proxy behaves; every field has a default (see `PROXY_SETTINGS.defaults`). */
export interface ProxySettings {
  /** How long dialling the target's real endpoint may take before the connection is refused. */
  readonly connectTimeoutMs: number;
  /**
   * Bytes a direction may hold back for `delay` before the proxy stops reading from its source
   * (TCP flow control then slows the sender), so a delayed fast sender cannot fill the memory.
   */
  readonly maxHeldBytes: number;
}

/** The proxy settings table: defaults and rules. */
export const PROXY_SETTINGS: SettingsTable<ProxySettings> = {
  kind: 'fault proxy',
  defaults: { connectTimeoutMs: 5000, maxHeldBytes: 4 * 1024 * 1024 },
  rules: [
    { key: 'connectTimeoutMs', min: 1, max: MAX_SETTING_MS, what: 'a whole number of milliseconds' },
    { key: 'maxHeldBytes', min: 1024, max: 1024 * 1024 * 1024, what: 'a whole number of bytes' },
  ],
  example: '{ "connectTimeoutMs": 5000 }',
  error: (setting, message) => new ProxySettingsError(setting, message),
};

/** Validates proxy settings over the defaults; throws `ProxySettingsError` naming the setting. */
export function resolveProxySettings(overrides: unknown): ProxySettings {
  return resolveSettings(PROXY_SETTINGS, overrides, 'fault proxy settings');
}
