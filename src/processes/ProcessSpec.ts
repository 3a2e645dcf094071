import { statSync } from 'node:fs';
import { constants } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { describeValue } from '../util';
import { InvalidProcessSpecError } from './errors';

/**
 * When a node process counts as ready: `{ http: '/health' }` a 2xx answer to a GET of that path on
 * the node's endpoint; `{ log: 'listening on' }` a line of its stdout or stderr that contains the
 * text; `{ tcp: true }` its port accepts a connection.
 */
export type ReadyCheck = { readonly http: string } | { readonly log: string } | { readonly tcp: true };

/** Whether the nodes start all at once, or each one ready before the next starts (in role order). */
export type StartOrder = 'parallel' | 'sequential';

/** `multinode.node` as a process spec: any program run once per role (see API.md, "Processes mode"). */
export interface ProcessSpec {
  /** The program and its arguments; `'node'` as the program means the Node that runs Jest. */
  readonly command: readonly string[];
  /** Working directory, relative to `rootDir`; default `rootDir`. */
  readonly cwd?: string;
  /** Added to Jest's environment for every node (and for `setup`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Default `{ tcp: true }`: the node must listen on `MULTINODE_PORT` anyway. */
  readonly ready?: ReadyCheck;
  /** Sent by `fault.leave` and at teardown; SIGKILL follows after `nodeTimeoutMs`. Default `'SIGTERM'`. */
  readonly stopSignal?: NodeJS.Signals;
  /** Run once before any node starts (migrations, builds); its failure fails the file with its output. */
  readonly setup?: readonly string[];
  /** Default `'parallel'`. */
  readonly startOrder?: StartOrder;
}

/** A validated process spec with its defaults applied, `cwd` absolute and `'node'` resolved. */
export interface ResolvedProcessSpec {
  readonly command: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly ready: ReadyCheck;
  readonly stopSignal: NodeJS.Signals;
  readonly setup: readonly string[] | null;
  readonly startOrder: StartOrder;
}

const KNOWN = ['command', 'cwd', 'env', 'ready', 'stopSignal', 'setup', 'startOrder'];
const ORDERS: readonly StartOrder[] = ['parallel', 'sequential'];
const WHERE = 'multinode.node';

/** Whether `multinode.node` is a process spec (an object) rather than a module path. */
export function isProcessSpec(node: unknown): node is ProcessSpec {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/**
 * Validates a process spec and applies its defaults. Throws `InvalidProcessSpecError` naming the
 * field, the value given and what is allowed; a `cwd` that is not a directory is an error too.
 */
export function parseProcessSpec(value: unknown, rootDir: string): ResolvedProcessSpec {
  if (!isProcessSpec(value)) {
    throw new InvalidProcessSpecError('(all)', `${WHERE} must be a module path or a process spec object such as { "command": ["node", "dist/server.js"], "ready": { "http": "/health" } }; it was ${describeValue(value)}.`);
  }
  const given = value as unknown as Record<string, unknown>;
  const unknown = Object.keys(given).filter((key) => !KNOWN.includes(key) && given[key] !== undefined);
  if (unknown.length > 0) {
    const list = unknown.map((key) => `'${key}'`).join(', ');
    throw new InvalidProcessSpecError(unknown[0], `${WHERE} has unknown field${unknown.length > 1 ? 's' : ''} ${list}; the fields of a process spec are ${KNOWN.join(', ')}.`);
  }
  const command = parseCommand(given.command, 'command');
  const cwd = parseCwd(given.cwd, rootDir);
  return Object.freeze({
    command: resolveNode(command),
    cwd,
    env: parseEnv(given.env),
    ready: parseReady(given.ready),
    stopSignal: parseSignal(given.stopSignal),
    setup: given.setup === undefined ? null : resolveNode(parseCommand(given.setup, 'setup')),
    startOrder: parseOrder(given.startOrder),
  });
}

/** `['node', ...args]` runs the Node that runs Jest (`process.execPath`); any other program is looked up as `spawn` does. */
export function resolveNode(command: readonly string[]): readonly string[] {
  return command[0] === 'node' ? [process.execPath, ...command.slice(1)] : command;
}

function fail(field: string, allowed: string, value: unknown): never {
  throw new InvalidProcessSpecError(field, `${WHERE}.${field} must be ${allowed}; it was ${describeValue(value)}.`);
}

function parseCommand(value: unknown, field: string): readonly string[] {
  const ok = Array.isArray(value) && value.length > 0 && value.every((part) => typeof part === 'string') && value[0].trim() !== '';
  if (!ok) fail(field, `a non-empty array of strings whose first string is the program, such as ["node", "dist/server.js"]`, value);
  return Object.freeze([...(value as string[])]);
}

function parseCwd(value: unknown, rootDir: string): string {
  if (value === undefined) return rootDir;
  if (typeof value !== 'string' || value.trim() === '') fail('cwd', 'a directory path relative to rootDir (or absolute)', value);
  const dir = isAbsolute(value) ? value : resolve(rootDir, value);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new InvalidProcessSpecError('cwd', `${WHERE}.cwd ${describeValue(value)} is not a directory (resolved to ${dir}); give a directory relative to rootDir.`);
  return dir;
}

function parseEnv(value: unknown): Readonly<Record<string, string>> {
  if (value === undefined) return Object.freeze({});
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('env', 'an object of environment variables with string values, such as { "LOG_LEVEL": "debug" }', value);
  for (const [name, text] of Object.entries(value)) {
    if (typeof text !== 'string') {
      throw new InvalidProcessSpecError('env', `${WHERE}.env.${name} must be a string (environment variables are strings); it was ${describeValue(text)}.`);
    }
    if (name.startsWith('MULTINODE_')) {
      throw new InvalidProcessSpecError('env', `${WHERE}.env.${name} cannot be set: the harness sets the MULTINODE_ variables of every node; rename it.`);
    }
  }
  return Object.freeze({ ...(value as Record<string, string>) });
}

const READY_ALLOWED = `one of { "http": "/path" } (a 2xx answer), { "log": "text" } (an output line containing it) or { "tcp": true } (the port accepts)`;

function parseReady(value: unknown): ReadyCheck {
  if (value === undefined) return Object.freeze({ tcp: true as const });
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length !== 1) fail('ready', READY_ALLOWED, value);
  const check = value as Record<string, unknown>;
  if ('http' in check) {
    if (typeof check.http !== 'string' || !check.http.startsWith('/')) fail('ready', `${READY_ALLOWED}, with a path that starts with '/'`, value);
    return Object.freeze({ http: check.http });
  }
  if ('log' in check) {
    if (typeof check.log !== 'string' || check.log === '') fail('ready', `${READY_ALLOWED}, with non-empty text`, value);
    return Object.freeze({ log: check.log });
  }
  if ('tcp' in check && check.tcp === true) return Object.freeze({ tcp: true as const });
  return fail('ready', READY_ALLOWED, value);
}

function parseSignal(value: unknown): NodeJS.Signals {
  if (value === undefined) return 'SIGTERM';
  if (typeof value !== 'string' || !Object.prototype.hasOwnProperty.call(constants.signals, value)) {
    fail('stopSignal', `a signal name of this platform such as 'SIGTERM', 'SIGINT' or 'SIGQUIT'`, value);
  }
  return value as NodeJS.Signals;
}

function parseOrder(value: unknown): StartOrder {
  if (value === undefined) return 'parallel';
  if (!ORDERS.includes(value as StartOrder)) fail('startOrder', ORDERS.map((order) => `'${order}'`).join(' or '), value);
  return value as StartOrder;
}
