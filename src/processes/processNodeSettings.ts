import { MAX_SETTING_MS, resolveSettings, type SettingsTable } from '../util';
import { ProcessNodeError } from './nodeProcessErrors';

/** The tunables of a node in its own process; `resolveProcessNodeSettings` checks overrides. */
export interface ProcessNodeSettings {
  /** Deadline of `start`, `stop`, `inspect` and fault acknowledgements (the `nodeTimeoutMs` option). */
  readonly nodeTimeoutMs: number;
  /** How long the process has to connect and authenticate after it was spawned. */
  readonly connectTimeoutMs: number;
  /** How long `crash()` lets the node's own `crash()` run before the SIGKILL. */
  readonly crashGraceMs: number;
  /** How long `close()` waits for a process to exit after the SIGKILL. */
  readonly exitTimeoutMs: number;
  /** Heap limit of the node process (`--max-old-space-size`); 0 leaves Node's default. */
  readonly memoryMb: number;
  /** How many of the process's last output lines an error about it quotes. */
  readonly outputTailLines: number;
}

/** The defaults; the harness passes its `nodeTimeoutMs` and `roleMemoryMb`. */
export const PROCESS_NODE_DEFAULTS: ProcessNodeSettings = {
  nodeTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  crashGraceMs: 200,
  exitTimeoutMs: 5_000,
  memoryMb: 0,
  outputTailLines: 20,
};

const table: SettingsTable<ProcessNodeSettings> = {
  kind: 'process node',
  defaults: PROCESS_NODE_DEFAULTS,
  rules: [
    { key: 'nodeTimeoutMs', min: 1, max: MAX_SETTING_MS, what: 'a whole number of milliseconds' },
    { key: 'connectTimeoutMs', min: 1, max: MAX_SETTING_MS, what: 'a whole number of milliseconds' },
    { key: 'crashGraceMs', min: 0, max: MAX_SETTING_MS, what: 'a whole number of milliseconds' },
    { key: 'exitTimeoutMs', min: 1, max: MAX_SETTING_MS, what: 'a whole number of milliseconds' },
    { key: 'memoryMb', min: 0, max: 1_048_576, what: 'a whole number of megabytes' },
    { key: 'outputTailLines', min: 0, max: 10_000, what: 'a whole number of lines' },
  ],
  example: '{ "nodeTimeoutMs": 10000 }',
  error: (_setting, message) => new ProcessNodeError('INVALID_SETTING', message),
};

/** Checks `overrides` and merges them over the defaults; throws naming the setting and value. */
export function resolveProcessNodeSettings(overrides?: Partial<ProcessNodeSettings>): ProcessNodeSettings {
  return resolveSettings(table, overrides);
}

/** Trace records a node process buffers before it ships a batch at once. */
export const TRACE_BATCH_RECORDS = 1_000;
/** How long a node process holds a partial batch of trace records before shipping it. */
export const TRACE_FLUSH_MS = 50;
