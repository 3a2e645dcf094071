import type { ConductorSettings } from '../../../src/harness/ConductorSettings';

/** The conductor settings the Conductor tests run with, in milliseconds. */
export const CONDUCTOR_SETTINGS: ConductorSettings = {
  graceMs: 1_000,
  setupTimeoutMs: 30_000,
  finishTimeoutMs: 5_000,
  stopTimeoutMs: 5_000,
  pingIntervalMs: 250,
  unresponsiveAfterMs: 3_000,
};
