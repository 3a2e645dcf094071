import { randomInt } from 'node:crypto';
import { MAX_SEED, MultinodeError, describeValue } from '../src/util';
import type { RunMode } from '../src/harness';

/** A bad value in `testEnvironmentOptions.multinode` or in the environment. */
export class InvalidOptionError extends MultinodeError {
  constructor(message: string) {
    super('INVALID_OPTION', message);
  }
}

/** The validated options of one test file. Precedence: defaults < config < docblock < environment. */
export interface MultinodeOptions {
  readonly roles: readonly string[];
  /**
   * Module path or package name of the NodeFactory; null = the embedded actor cluster; in processes
   * mode also a process spec object (checked against rootDir by `parseProcessSpec`).
   */
  readonly node: string | Readonly<Record<string, unknown>> | null;
  readonly nodeOptions: Record<string, unknown>;
  readonly mode: RunMode;
  /** Where the mode came from: `MULTINODE_MODE` ('env'), or a file whose docblock pins it ('pinned'). */
  readonly modeSource: 'default' | 'config' | 'env' | 'pinned';
  readonly simulation: SimulationOptions;
  readonly seed: number;
  /** Whether the seed was chosen at random (it is then printed with failures). */
  readonly seedWasRandom: boolean;
  readonly barrierTimeoutMs: number;
  readonly testTimeoutMs: number;
  /** Start-up of every node (and members Up for the embedded cluster). */
  readonly setupTimeoutMs: number;
  /** How long a factory call, `stop()` or `crash()` may take. */
  readonly nodeTimeoutMs: number;
  /** Heap limit of each role thread, in MiB. */
  readonly roleMemoryMb: number;
  /** How many role threads the Jest worker keeps idle after this file, for its next files (0: none). */
  readonly idleRoleThreads: number;
}


/**
 * `multinode.simulation`: how simulated links behave, whether out-of-band wake-ups fail tests, and how
 * long virtual time may stand still while a role has not finished.
 */
export interface SimulationOptions {
  readonly latencyMs: { readonly minMs: number; readonly maxMs: number };
  readonly strict: boolean;
  /**
   * Real milliseconds the simulation may have no event to run while a role has not finished its file
   * (a role still loading it, real work a role waits for); then the unfinished roles are ended and the
   * file fails naming them (see `StallGuard`).
   */
  readonly stallTimeoutMs: number;
}

/** Every option, its default and what it allows: the one settings table. */
export const OPTION_DEFAULTS = {
  roles: ['a', 'b', 'c'] as readonly string[],
  node: null as string | null,
  nodeOptions: {} as Record<string, unknown>,
  mode: 'threads' as const,
  barrierTimeoutMs: 10_000,
  testTimeoutMs: 30_000,
  setupTimeoutMs: 30_000,
  nodeTimeoutMs: 10_000,
  roleMemoryMb: 1024,
  idleRoleThreads: 8,
  simulation: { latencyMs: { minMs: 1, maxMs: 5 }, strict: true, stallTimeoutMs: 60_000 } as SimulationOptions,
};

/** Up to this many roles, set-up gets `OPTION_DEFAULTS.setupTimeoutMs`. */
export const ROLES_AT_DEFAULT_SETUP = 8;
/** The most the set-up default is stretched for many roles. */
export const MAX_SETUP_FACTOR = 4;

/**
 * The default `setupTimeoutMs` for `roleCount` roles: 30 s up to 8 roles, then 30 s per 8 roles, at
 * most 120 s. Every role boots its own Jest runtime and node on the same machine, so the CPU that
 * set-up needs grows with the role count (32 roles on two loaded cores take well over 30 s).
 */
export function defaultSetupTimeoutMs(roleCount: number): number {
  const factor = Math.min(MAX_SETUP_FACTOR, Math.max(1, roleCount / ROLES_AT_DEFAULT_SETUP));
  return Math.round(OPTION_DEFAULTS.setupTimeoutMs * factor);
}

/** Extra time after a test's timeout before a role that has not finished it is terminated. */
export const GRACE_MS = 1_000;

/**
 * The young generation of a role thread, in MiB. Smaller than V8's default: with many role threads on
 * few cores, a 3-role file took about 8% less CPU and a 32-role file about 12% less memory.
 */
export const ROLE_YOUNG_GENERATION_MB = 4;

/** How often the lead pings every role, to tell a role blocked in a loop from a slow one. */
export const PING_INTERVAL_MS = 250;

/**
 * Silence after which a role that every other role waits for (at a barrier, or done with the test)
 * is ended as hung, instead of at the test's timeout. Long enough for a garbage collection, or a
 * short synchronous computation in a thread starved by 30 others on a loaded 2-core machine.
 */
export const UNRESPONSIVE_AFTER_MS = 5_000;

const ROLE_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
const KNOWN = ['roles', 'node', 'nodeOptions', 'mode', 'seed', 'barrierTimeoutMs', 'testTimeoutMs', 'setupTimeoutMs', 'nodeTimeoutMs', 'roleMemoryMb', 'idleRoleThreads', 'simulation'];
const MODES = ['threads', 'simulation', 'processes'];
const SIMULATION_KEYS = ['latencyMs', 'strict', 'stallTimeoutMs'];

/**
 * Reads `testEnvironmentOptions.multinode` (already merged with the docblock by Jest) and the
 * `MULTINODE_SEED` and `MULTINODE_MODE` environment variables, and validates everything up front.
 * `modePinned`: the file's docblock sets `mode`, which `MULTINODE_MODE` then does not override.
 */
export function parseOptions(testEnvironmentOptions: Record<string, unknown> | undefined, env: NodeJS.ProcessEnv, modePinned = false): MultinodeOptions {
  const raw = testEnvironmentOptions?.multinode === undefined ? {} : testEnvironmentOptions.multinode;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidOptionError(`testEnvironmentOptions.multinode must be an object; it was ${describeValue(raw)}.`);
  }
  const given = raw as Record<string, unknown>;
  const unknown = Object.keys(given).filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) {
    throw new InvalidOptionError(
      `testEnvironmentOptions.multinode has unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; the options are ${KNOWN.join(', ')}.`,
    );
  }
  const roles = parseRoles(given.roles === undefined ? OPTION_DEFAULTS.roles : given.roles);
  const node = given.node === undefined ? null : given.node;
  const isSpec = typeof node === 'object' && node !== null && !Array.isArray(node);
  if (node !== null && !isSpec && (typeof node !== 'string' || node.trim() === '')) {
    throw new InvalidOptionError(
      `multinode.node must be a module path (relative to rootDir) or a package name, or in processes mode a process spec object such as { "command": ["node", "server.js"] }; it was ${describeValue(node)}.`,
    );
  }
  const nodeOptions = given.nodeOptions === undefined ? {} : given.nodeOptions;
  if (typeof nodeOptions !== 'object' || nodeOptions === null || Array.isArray(nodeOptions)) {
    throw new InvalidOptionError(`multinode.nodeOptions must be an object; it was ${describeValue(nodeOptions)}.`);
  }
  const { mode, modeSource } = parseMode(given.mode, env.MULTINODE_MODE, modePinned);
  if (isSpec && mode !== 'processes') {
    throw new InvalidOptionError(
      `multinode.node is a process spec, which runs only in processes mode, but this file runs in ${mode} mode${modeSource === 'env' ? ' (MULTINODE_MODE)' : ''}; set mode: 'processes' in the file's docblock so that MULTINODE_MODE leaves it pinned.`,
    );
  }
  if (isSpec && given.nodeOptions !== undefined) {
    throw new InvalidOptionError(
      `multinode.nodeOptions goes to a NodeFactory's ctx.options, but multinode.node is a process spec; give the program what it needs in node.env (strings) or its command's arguments instead.`,
    );
  }
  if (node === null && mode === 'processes') {
    throw new InvalidOptionError(
      `mode 'processes'${modeSource === 'env' ? ' (MULTINODE_MODE)' : ''} needs multinode.node: a NodeFactory module or a process spec. The embedded actor cluster runs in threads and simulation mode only: its tests use multinode.system, which a node in another OS process cannot hand to the test.`,
    );
  }
  const envSeed = env.MULTINODE_SEED?.trim();
  let seed: number;
  let seedWasRandom = false;
  if (envSeed !== undefined && envSeed !== '') {
    seed = parseSeed(/^\d+$/.test(envSeed) ? Number(envSeed) : Number.NaN, `MULTINODE_SEED=${envSeed}`);
  } else if (given.seed !== undefined) {
    seed = parseSeed(given.seed, `multinode.seed ${describeValue(given.seed)}`);
  } else {
    seed = randomInt(0, 2 ** 31);
    seedWasRandom = true;
  }
  return {
    roles,
    node: node as MultinodeOptions['node'],
    nodeOptions: nodeOptions as Record<string, unknown>,
    mode,
    modeSource,
    simulation: parseSimulation(given.simulation),
    seed,
    seedWasRandom,
    barrierTimeoutMs: positiveMs(given, 'barrierTimeoutMs'),
    testTimeoutMs: positiveMs(given, 'testTimeoutMs'),
    setupTimeoutMs: given.setupTimeoutMs === undefined ? defaultSetupTimeoutMs(roles.length) : positiveMs(given, 'setupTimeoutMs'),
    nodeTimeoutMs: positiveMs(given, 'nodeTimeoutMs'),
    roleMemoryMb: memoryMb(given.roleMemoryMb === undefined ? OPTION_DEFAULTS.roleMemoryMb : given.roleMemoryMb),
    idleRoleThreads: idleThreads(given.idleRoleThreads === undefined ? OPTION_DEFAULTS.idleRoleThreads : given.idleRoleThreads),
  };
}

function parseMode(configured: unknown, fromEnv: string | undefined, pinned: boolean): Pick<MultinodeOptions, 'mode' | 'modeSource'> {
  const check = (value: unknown, what: string): RunMode => {
    if (value !== 'threads' && value !== 'simulation' && value !== 'processes') throw new InvalidOptionError(`${what} must be one of ${MODES.map((m) => `'${m}'`).join(', ')}; it was ${describeValue(value)}.`);
    return value;
  };
  const envMode = fromEnv?.trim();
  if (pinned) return { mode: check(configured, 'multinode.mode'), modeSource: 'pinned' };
  if (envMode !== undefined && envMode !== '') return { mode: check(envMode, 'MULTINODE_MODE'), modeSource: 'env' };
  if (configured === undefined) return { mode: OPTION_DEFAULTS.mode, modeSource: 'default' };
  return { mode: check(configured, 'multinode.mode'), modeSource: 'config' };
}

function parseSimulation(value: unknown): SimulationOptions {
  const defaults = OPTION_DEFAULTS.simulation;
  if (value === undefined) return defaults;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(
      `multinode.simulation must be an object such as { "latencyMs": { "minMs": 1, "maxMs": 5 }, "strict": true, "stallTimeoutMs": 60000 }; it was ${describeValue(value)}.`,
    );
  }
  const given = value as Record<string, unknown>;
  const unknown = Object.keys(given).filter((k) => !SIMULATION_KEYS.includes(k));
  if (unknown.length > 0) {
    throw new InvalidOptionError(`multinode.simulation has unknown option ${unknown.map((k) => `'${k}'`).join(', ')}; the options are ${SIMULATION_KEYS.join(', ')}.`);
  }
  const strict = given.strict === undefined ? defaults.strict : given.strict;
  if (typeof strict !== 'boolean') throw new InvalidOptionError(`multinode.simulation.strict must be true or false; it was ${describeValue(strict)}.`);
  const latency = given.latencyMs === undefined ? defaults.latencyMs : given.latencyMs;
  const { minMs, maxMs } = (typeof latency === 'object' && latency !== null ? latency : {}) as Record<string, unknown>;
  if (typeof minMs !== 'number' || typeof maxMs !== 'number' || !Number.isFinite(minMs) || !Number.isFinite(maxMs) || minMs < 0 || maxMs < minMs) {
    throw new InvalidOptionError(
      `multinode.simulation.latencyMs must be { minMs, maxMs } with 0 <= minMs <= maxMs, in milliseconds; it was ${describeValue(latency)}.`,
    );
  }
  const stallTimeoutMs = given.stallTimeoutMs === undefined ? defaults.stallTimeoutMs : given.stallTimeoutMs;
  if (typeof stallTimeoutMs !== 'number' || !Number.isFinite(stallTimeoutMs) || stallTimeoutMs <= 0) {
    throw new InvalidOptionError(`multinode.simulation.stallTimeoutMs must be a positive number of real milliseconds; it was ${describeValue(stallTimeoutMs)}.`);
  }
  return { latencyMs: { minMs, maxMs }, strict, stallTimeoutMs };
}

function parseRoles(value: unknown): string[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 32) {
    throw new InvalidOptionError(`multinode.roles must be an array of 1 to 32 role names; it was ${describeValue(value)}.`);
  }
  const seen = new Set<string>();
  for (const role of value) {
    if (typeof role !== 'string' || !ROLE_PATTERN.test(role)) {
      throw new InvalidOptionError(
        `multinode.roles contains ${describeValue(role)}; a role name must match /^[A-Za-z][A-Za-z0-9_-]*$/ (a letter, then letters, digits, '_' or '-').`,
      );
    }
    if (seen.has(role)) throw new InvalidOptionError(`multinode.roles contains '${role}' twice; role names must be unique.`);
    seen.add(role);
  }
  return value as string[];
}

function parseSeed(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_SEED) {
    throw new InvalidOptionError(`${what} is not a valid seed; a seed is an integer from 0 to ${MAX_SEED}.`);
  }
  return value;
}

// Below this a role thread cannot load Jest and the test file at all.
const MIN_ROLE_MEMORY_MB = 64;

function memoryMb(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_ROLE_MEMORY_MB) {
    throw new InvalidOptionError(`multinode.roleMemoryMb must be a whole number of MiB, at least ${MIN_ROLE_MEMORY_MB}; it was ${describeValue(value)}.`);
  }
  return value;
}

// Each idle thread keeps its heap (Jest loaded, about 30 MB); more than this would hold gigabytes.
const MAX_IDLE_ROLE_THREADS = 64;

function idleThreads(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_IDLE_ROLE_THREADS) {
    throw new InvalidOptionError(`multinode.idleRoleThreads must be a whole number from 0 (end every role thread after its file) to ${MAX_IDLE_ROLE_THREADS}; it was ${describeValue(value)}.`);
  }
  return value;
}

function positiveMs(given: Record<string, unknown>, key: keyof typeof OPTION_DEFAULTS & string): number {
  const value = given[key] === undefined ? OPTION_DEFAULTS[key] : given[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionError(`multinode.${key} must be a positive number of milliseconds; it was ${describeValue(value)}.`);
  }
  return value;
}
