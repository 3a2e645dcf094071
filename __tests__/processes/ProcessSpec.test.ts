import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidProcessSpecError, isProcessSpec, parseProcessSpec } from '../../src/processes';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'multinode-spec-test-'));
  mkdirSync(join(root, 'server'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function error(value: unknown): InvalidProcessSpecError {
  try {
    parseProcessSpec(value, root);
  } catch (caught) {
    expect(caught).toBeInstanceOf(InvalidProcessSpecError);
    return caught as InvalidProcessSpecError;
  }
  throw new Error(`Expected ${JSON.stringify(value)} to be rejected.`);
}

it('applies the defaults and resolves node to the Node that runs the tests', () => {
  expect(parseProcessSpec({ command: ['node', 'dist/server.js'] }, root)).toEqual({
    command: [process.execPath, 'dist/server.js'],
    cwd: root,
    env: {},
    ready: { tcp: true },
    stopSignal: 'SIGTERM',
    setup: null,
    startOrder: 'parallel',
  });
});

it('keeps every field given', () => {
  const spec = parseProcessSpec(
    { command: ['./bin/server', '--port=0'], cwd: 'server', env: { LOG_LEVEL: 'debug' }, ready: { http: '/health/live' }, stopSignal: 'SIGINT', setup: ['node', 'migrate.js'], startOrder: 'sequential' },
    root,
  );
  expect(spec).toEqual({
    command: ['./bin/server', '--port=0'],
    cwd: join(root, 'server'),
    env: { LOG_LEVEL: 'debug' },
    ready: { http: '/health/live' },
    stopSignal: 'SIGINT',
    setup: [process.execPath, 'migrate.js'],
    startOrder: 'sequential',
  });
  expect(parseProcessSpec({ command: ['x'], ready: { log: 'listening on' } }, root).ready).toEqual({ log: 'listening on' });
});

it('tells a process spec from a module path', () => {
  expect(isProcessSpec({ command: ['node'] })).toBe(true);
  expect(isProcessSpec('./node.ts')).toBe(false);
  expect(isProcessSpec(null)).toBe(false);
});

it.each([
  [{ command: 'node server.js' }, 'command', 'multinode.node.command must be a non-empty array of strings whose first string is the program, such as ["node", "dist/server.js"]; it was "node server.js".'],
  [{ command: [] }, 'command', 'it was [].'],
  [{ command: ['', 'x'] }, 'command', 'it was ["","x"].'],
  [{ command: ['node', 3] }, 'command', 'it was ["node",3].'],
  [{}, 'command', 'it was undefined.'],
  [{ command: ['x'], cwd: 'nowhere' }, 'cwd', 'multinode.node.cwd "nowhere" is not a directory (resolved to '],
  [{ command: ['x'], env: { PORT: 3000 } }, 'env', 'multinode.node.env.PORT must be a string (environment variables are strings); it was 3000.'],
  [{ command: ['x'], env: { MULTINODE_PORT: '1' } }, 'env', 'multinode.node.env.MULTINODE_PORT cannot be set: the harness sets the MULTINODE_ variables of every node'],
  [{ command: ['x'], env: ['A=1'] }, 'env', 'multinode.node.env must be an object of environment variables with string values'],
  [{ command: ['x'], ready: { http: 'health' } }, 'ready', `with a path that starts with '/'; it was {"http":"health"}.`],
  [{ command: ['x'], ready: { log: '' } }, 'ready', 'with non-empty text; it was {"log":""}.'],
  [{ command: ['x'], ready: { tcp: false } }, 'ready', 'multinode.node.ready must be one of { "http": "/path" } (a 2xx answer), { "log": "text" } (an output line containing it) or { "tcp": true } (the port accepts); it was {"tcp":false}.'],
  [{ command: ['x'], ready: { http: '/a', tcp: true } }, 'ready', 'it was {"http":"/a","tcp":true}.'],
  [{ command: ['x'], ready: 'http' }, 'ready', 'it was "http".'],
  [{ command: ['x'], stopSignal: 'SIGSTOPPP' }, 'stopSignal', `multinode.node.stopSignal must be a signal name of this platform such as 'SIGTERM', 'SIGINT' or 'SIGQUIT'; it was "SIGSTOPPP".`],
  [{ command: ['x'], stopSignal: 15 }, 'stopSignal', 'it was 15.'],
  [{ command: ['x'], setup: 'npm run migrate' }, 'setup', 'multinode.node.setup must be a non-empty array of strings'],
  [{ command: ['x'], startOrder: 'random' }, 'startOrder', `multinode.node.startOrder must be 'parallel' or 'sequential'; it was "random".`],
  [{ command: ['x'], port: 3000 }, 'port', `multinode.node has unknown field 'port'; the fields of a process spec are command, cwd, env, ready, stopSignal, setup, startOrder.`],
  [['node', 'x'], '(all)', 'multinode.node must be a module path or a process spec object such as'],
])('rejects %j naming the field, the value and what is allowed', (value, field, message) => {
  const caught = error(value);
  expect(caught.code).toBe('INVALID_PROCESS_SPEC');
  expect(caught.option).toBe(field);
  expect(caught.message).toContain(message);
});
