import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { AddressPlan, DataDirs, NodeProcess, parseProcessSpec, processAlive, type NodeExit, type NodeOutputLine, type ProcessSpec } from '../../src/processes';
import { FIXTURE, TrackedLauncher, until } from './helpers';

jest.setTimeout(30_000);

let launcher: TrackedLauncher;
let dirs: DataDirs;
let plan: AddressPlan;
let lines: NodeOutputLine[];
let exits: NodeExit[];

beforeEach(async () => {
  launcher = new TrackedLauncher();
  dirs = new DataDirs(['a', 'b']);
  plan = await AddressPlan.create(['a', 'b']);
  lines = [];
  exits = [];
});

afterEach(async () => {
  expect(await launcher.closeAndListLeftovers()).toEqual([]);
  dirs.finish(true);
});

function node(flags: string[], spec: Partial<ProcessSpec> = {}, nodeTimeoutMs = 5_000, role = 'a'): NodeProcess {
  return new NodeProcess({
    role,
    spec: parseProcessSpec({ command: ['node', FIXTURE, ...flags], ...spec }, __dirname),
    endpoint: plan.nodeEndpoint(role),
    peers: { b: '127.0.0.1:1' },
    seed: 42,
    dataDir: dirs.dirOf(role),
    nodeTimeoutMs,
    launcher,
    onOutput: (line) => lines.push(line),
    onExit: (exit) => exits.push(exit),
  });
}

function envOf(role: string, incarnation: number): Record<string, string | number> {
  return JSON.parse(readFileSync(join(dirs.dirOf(role), `env-${incarnation}.json`), 'utf8'));
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('readiness', () => {
  it('is ready by HTTP once the path answers 2xx, and gets its MULTINODE_ environment and spec env', async () => {
    const a = node(['--listen=http'], { ready: { http: '/health' }, env: { FIXTURE_VAR: 'set' } });
    await a.start();
    const { host, port } = a.endpoint;
    expect(a.endpoint).toEqual(plan.nodeEndpoint('a'));
    expect(await get(`http://${host}:${port}/health`)).toEqual({ status: 200, body: 'a' });
    expect(envOf('a', 0)).toEqual({
      MULTINODE_ROLE: 'a',
      MULTINODE_INCARNATION: '0',
      MULTINODE_SEED: '42',
      MULTINODE_HOST: host,
      MULTINODE_PORT: String(port),
      MULTINODE_PEERS: '{"b":"127.0.0.1:1"}',
      MULTINODE_DATA_DIR: dirs.dirOf('a'),
      FIXTURE_VAR: 'set',
      pid: a.pid,
    });
    expect(lines[0]).toMatchObject({ role: 'a', incarnation: 0, stream: 'stdout', text: 'started a incarnation 0' });
    await a.stop();
  });

  it('is not ready by HTTP while the path answers a non-2xx status', async () => {
    const a = node(['--listen=http'], { ready: { http: '/not-there' } }, 2_000);
    await expect(a.start()).rejects.toMatchObject({ code: 'NODE_NOT_READY' });
  });

  it('is ready by log line when a line contains the text, and not before', async () => {
    const a = node(['--say=listening on the moon'], { ready: { log: 'listening on the moon' } });
    await a.start();
    expect(lines.map((line) => line.text)).toContain('now listening on the moon');
    await a.crash();
  });

  it('is ready by TCP once the port accepts', async () => {
    const a = node(['--listen=tcp'], { ready: { tcp: true } });
    await a.start();
    expect(a.running).toBe(true);
    await a.crash();
  });

  it('is never ready: fails at the deadline with the last output lines, and kills the process', async () => {
    const a = node(['--listen=none', '--say=waiting for a database'], { ready: { tcp: true } }, 3_000);
    const error = await failure(a.start());
    expect(error.code).toBe('NODE_NOT_READY');
    expect(error.message).toMatch(/role 'a' \(incarnation 0, pid \d+\) was not ready within 3000 ms \(waiting for a TCP connection to 127\.[\d.]+:\d+\) and was killed/);
    expect(error.message).toContain('stdout | now waiting for a database');
    expect(a.running).toBe(false);
    expect(exits).toEqual([]);
  });

  it('exits before it is ready: fails with its exit code and last output lines', async () => {
    const a = node(['--fail=3'], { ready: { http: '/health' } });
    const error = await failure(a.start());
    expect(error.code).toBe('NODE_EXITED_BEFORE_READY');
    expect(error.message).toMatch(/exited with code 3 before it was ready; it was waiting for a 2xx answer from http:\/\/127\.[\d.]+:\d+\/health/);
    expect(error.message).toContain('stderr | fatal: cannot open the database');
    expect(exits).toEqual([]);
  });

  it('cannot be started: fails saying so', async () => {
    const a = new NodeProcess({ ...optionsOf(node([])), spec: parseProcessSpec({ command: ['./no-such-program'] }, __dirname) });
    await expect(a.start()).rejects.toMatchObject({ code: 'NODE_EXITED_BEFORE_READY', message: expect.stringContaining('could not be started (spawn ./no-such-program ENOENT') });
  });
});

/** The error a promise rejects with (failing the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<Error & { code: string }> {
  return promise.then(
    () => {
      throw new Error('Expected a rejection.');
    },
    (error: unknown) => error as Error & { code: string },
  );
}

function optionsOf(process: NodeProcess): ConstructorParameters<typeof NodeProcess>[0] {
  return (process as unknown as { options: ConstructorParameters<typeof NodeProcess>[0] }).options;
}

it('reports a process that exits by itself after it was ready, with its code and last lines', async () => {
  const a = node(['--listen=tcp', '--exit-later=200']);
  await a.start();
  await until(() => exits.length > 0, 'the exit to be reported');
  expect(exits[0]).toMatchObject({ role: 'a', incarnation: 0, status: { code: 7, signal: null } });
  expect(exits[0].message).toMatch(/role 'a' \(incarnation 0, pid \d+\) exited with code 7 without being asked to\. Its last output lines:\n.*\n {2}stderr \| giving up/);
  expect(a.running).toBe(false);
});

it('caps a process that floods its output: says so once, forwards a bounded amount, keeps it running', async () => {
  const a = node(['--listen=tcp', '--flood=12000000']);
  await a.start();
  await until(() => existsSync(join(dirs.dirOf('a'), 'flooded')), 'the flood to be written', 20_000);
  expect(a.running).toBe(true);
  const notices = lines.filter((line) => line.stream === 'harness');
  expect(notices).toHaveLength(1);
  expect(notices[0].text).toContain("role 'a' (incarnation 0) writes output faster than");
  const forwarded = lines.filter((line) => line.stream === 'stdout').reduce((sum, line) => sum + line.text.length, 0);
  expect(forwarded).toBeLessThan(6_000_000);
  await a.stop();
  expect(lines.filter((line) => line.stream === 'harness').at(-1)?.text).toMatch(/wrote \d+ more lines \(\d+ bytes\) than the log takes; they were dropped/);
});

describe('crash, stop, restart', () => {
  it('crash SIGKILLs the whole process group, grandchild included, and resolves when it is gone', async () => {
    const a = node(['--listen=tcp', '--grandchild']);
    await a.start();
    const pid = a.pid!;
    await until(() => existsSync(join(dirs.dirOf('a'), 'grandchild-0')), 'the grandchild pid');
    const grandchild = Number(readFileSync(join(dirs.dirOf('a'), 'grandchild-0'), 'utf8'));
    expect(processAlive(grandchild)).toBe(true);
    await a.crash();
    expect(processAlive(pid)).toBe(false);
    expect(processAlive(grandchild)).toBe(false);
    expect(a.running).toBe(false);
    expect(exits).toEqual([]);
  });

  it('stop sends the stop signal and waits for the exit', async () => {
    const a = node(['--listen=tcp'], { stopSignal: 'SIGTERM' });
    await a.start();
    expect(await a.stop()).toEqual({ status: { code: 0, signal: null }, killed: false });
    expect(lines.map((line) => line.text)).toContain('stopping on SIGTERM');
    expect(exits).toEqual([]);
  });

  it('stop SIGKILLs a program that ignores the stop signal, after nodeTimeoutMs', async () => {
    const a = node(['--listen=tcp', '--ignore-term'], {}, 1_500);
    await a.start(0, { timeoutMs: 10_000, setting: 'nodeTimeoutMs' });
    const started = Date.now();
    const outcome = (await a.stop())!;
    expect(outcome).toEqual({ status: { code: null, signal: 'SIGKILL' }, killed: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_450);
    expect(lines.map((line) => line.text)).toContain('ignoring SIGTERM');
  });

  it('restart kills the running process and starts the next incarnation on the same port with the same data dir', async () => {
    const a = node(['--listen=http'], { ready: { http: '/health' } });
    await a.start();
    const firstPid = a.pid;
    writeFileSync(join(dirs.dirOf('a'), 'kept'), 'state');
    await a.restart();
    expect(a.incarnation).toBe(1);
    expect(a.pid).not.toBe(firstPid);
    expect(processAlive(firstPid!)).toBe(false);
    expect(envOf('a', 1)).toMatchObject({ MULTINODE_INCARNATION: '1', MULTINODE_PORT: envOf('a', 0).MULTINODE_PORT, MULTINODE_DATA_DIR: dirs.dirOf('a') });
    expect(readFileSync(join(dirs.dirOf('a'), 'kept'), 'utf8')).toBe('state');
    const { host, port } = plan.nodeEndpoint('a');
    expect((await get(`http://${host}:${port}/health`)).status).toBe(200);
    expect(lines.filter((line) => line.text.startsWith('started')).map((line) => [line.incarnation, line.text])).toEqual([
      [0, 'started a incarnation 0'],
      [1, 'started a incarnation 1'],
    ]);
    await a.crash();
    await a.restart();
    expect(a.incarnation).toBe(2);
    expect(exits).toEqual([]);
  });

  it('refuses to start a second process while one runs', async () => {
    const a = node(['--listen=tcp']);
    await a.start();
    await expect(a.start()).rejects.toThrow("Role 'a' already has a running node process (incarnation 0");
  });
});
