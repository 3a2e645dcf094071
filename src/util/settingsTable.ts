import { describeValue } from './errors';

/** The largest duration any settings table accepts: ten minutes, in milliseconds. */
export const MAX_SETTING_MS = 10 * 60 * 1000;

/**
 * How one setting is checked: a whole number in `[min, max]` (`what` says what it counts, e.g.
 * `'a whole number of milliseconds'`), one of a few strings, or a boolean.
 */
export type SettingRule<K extends string = string> =
  | { readonly key: K; readonly min: number; readonly max: number; readonly what: string }
  | { readonly key: K; readonly oneOf: readonly string[] }
  | { readonly key: K; readonly boolean: true };

/** A tool's settings in one table: its defaults, how each setting is checked, and its typed error. */
export interface SettingsTable<T extends object> {
  /** The settings' kind as it reads in a sentence, e.g. `'cluster'` or `'pub/sub'`. */
  readonly kind: string;
  /** Every setting with its default; its keys are the known settings, in the order messages list them. */
  readonly defaults: T;
  /** How each setting is checked; a setting without a rule cannot be overridden. */
  readonly rules: readonly SettingRule<keyof T & string>[];
  /** An example object for the message about a non-object, e.g. `'{ "stableAfterMs": 1000 }'`. */
  readonly example: string;
  /** Makes the tool's own typed error, naming the setting (`'(all)'` when the whole value is wrong). */
  readonly error: (setting: string, message: string) => Error;
}

/**
 * Validates `overrides` against `table` and returns them merged over the defaults, frozen.
 * `undefined` and `null` mean no overrides, and a setting given as `undefined` keeps its default.
 * Throws the table's error, whose message names the setting, the value given and what is allowed.
 * `source` names where the values came from (e.g. `'nodeOptions.cluster'`); without it the
 * messages do not say.
 */
export function resolveSettings<T extends object>(table: SettingsTable<T>, overrides: unknown, source?: string): T {
  const { kind, defaults, rules, error } = table;
  if (overrides === undefined || overrides === null) overrides = {};
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw error('(all)', `The ${source ?? `${kind} settings`} must be an object such as ${table.example}; it was given ${describeValue(overrides)}.`);
  }
  const given = overrides as Readonly<Record<string, unknown>>;
  const where = source === undefined ? '' : ` in the ${source}`;
  const known = Object.keys(defaults);
  for (const key of Object.keys(given)) {
    if (!known.includes(key) && given[key] !== undefined) {
      throw error(key, `Unknown ${kind} setting '${key}'${where} (value ${describeValue(given[key])}). Known settings are: ${known.join(', ')}.`);
    }
  }
  const result = { ...defaults } as Record<string, unknown>;
  const label = `${kind.charAt(0).toUpperCase()}${kind.slice(1)} setting`;
  for (const rule of rules) {
    const value = given[rule.key];
    if (value === undefined) continue;
    const allowed = whatIsAllowed(rule, value);
    if (allowed !== undefined) throw error(rule.key, `${label} '${rule.key}'${where} must be ${allowed}; it was given ${describeValue(value)}.`);
    result[rule.key] = value;
  }
  return Object.freeze(result) as T;
}

/** What `rule` allows, as a phrase, when `value` breaks it; `undefined` when it keeps it. */
function whatIsAllowed(rule: SettingRule, value: unknown): string | undefined {
  if ('boolean' in rule) return typeof value === 'boolean' ? undefined : 'true or false';
  if ('oneOf' in rule) return rule.oneOf.includes(value as string) ? undefined : `one of ${rule.oneOf.map((choice) => `'${choice}'`).join(', ')}`;
  const ok = typeof value === 'number' && Number.isInteger(value) && value >= rule.min && value <= rule.max;
  return ok ? undefined : `${rule.what} from ${rule.min} to ${rule.max}`;
}
