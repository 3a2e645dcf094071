export { systemClock, sleep, type Clock, type Cancellable } from './Clock';
export { createRng, hashString, MAX_SEED, type Rng } from './Rng';
export { MultinodeError, serializeError, deserializeError, describeValue, asError, type SerializedError } from './errors';
export { withDeadline } from './deadline';
export { assertNever } from './assertNever';
export { deferred, type Deferred } from './deferred';
export { resolveSettings, MAX_SETTING_MS, type SettingRule, type SettingsTable } from './settingsTable';
