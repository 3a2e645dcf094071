import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AddressPlan, DataDirs, NodeProcess, parseProcessSpec, runSetup, startNodes, type LaunchRequest, type LaunchedProcess, type OutputLine, type StartOrder } from '../../src/processes';
import { FIXTURE, TrackedLauncher } from './helpers';

jest.setTimeout(30_000);

let launcher: TrackedLauncher;
beforeEach(() => {
  launcher = new TrackedLauncher();
});
afterEach(async () => {
  expect(await launcher.closeAndListLeftovers()).toEqual([]);
});

describe('setup', () => {
  const setup = (script: string, timeoutMs = 10_000, lines: OutputLine[] = []): Promise<void> =>
    runSetup({ command: parseProcessSpec({ command: ['x'], setup: ['node', '-e', script] }, __dirname).setup!, cwd: __dirname, env: process.env, timeoutMs, launcher, onOutput: (line) => lines.push(line) });

  it('resolves when the command exits with code 0, its output going to the log', async () => {
    const lines: OutputLine[] = [];
    await setup('console.log("migrated 3 tables")', 10_000, lines);
    expect(lines.map((line) => [line.stream, line.text])).toEqual([['stdout', 'migrated 3 tables']]);
  });

  it('fails with its exit code and its output when the command fails', async () => {
    const failure = setup('console.log("migrating"); console.error("no database at localhost:5432"); process.exit(2)');
    await expect(failure).rejects.toMatchObject({ code: 'PROCESS_SETUP_FAILED' });
    const message = (await failure.catch((error: Error) => error)) as Error;
    expect(message.message).toMatch(/^The setup command \[".*node.*","-e",.*\] \(cwd .*\) exited with code 2, so no node was started\. Its last output lines:\n {2}stdout \| migrating\n {2}stderr \| no database at localhost:5432$/);
  });

  it('fails, killing it, when the command does not finish in time', async () => {
    await expect(setup('console.log("waiting"); setInterval(() => {}, 1000)', 3_000)).rejects.toThrow(/did not finish within 3000 ms and was killed\. Its last output lines:\n {2}stdout \| waiting/);
  });
});

describe('start order', () => {
  /** Records when each role's process was launched, and when each start resolved. */
  class OrderLauncher extends TrackedLauncher {
    readonly events: string[] = [];
    launch(request: LaunchRequest): LaunchedProcess {
      this.events.push(`launch ${request.label.match(/role '(\w+)'/)?.[1]}`);
      return super.launch(request);
    }
  }

  async function startAll(order: StartOrder): Promise<string[]> {
    const ordered = new OrderLauncher();
    launcher = ordered;
    const roles = ['a', 'b', 'c'];
    const dirs = new DataDirs(roles);
    try {
      const plan = await AddressPlan.create(roles);
      const spec = parseProcessSpec({ command: ['node', FIXTURE, '--listen=http'], ready: { http: '/health' }, startOrder: order }, __dirname);
      const nodes = roles.map((role) => new NodeProcess({ role, spec, endpoint: plan.nodeEndpoint(role), peers: {}, seed: 1, dataDir: dirs.dirOf(role), nodeTimeoutMs: 10_000, launcher: ordered }));
      for (const node of nodes) {
        const start = node.start.bind(node);
        node.start = async (...args) => {
          await start(...args);
          ordered.events.push(`ready ${node.role}`);
        };
      }
      await startNodes(nodes, spec.startOrder, (node) => node.start(0));
      await Promise.all(nodes.map((node) => node.stop()));
      return ordered.events;
    } finally {
      dirs.finish(true);
    }
  }

  it('sequential: each node is ready before the next starts', async () => {
    expect(await startAll('sequential')).toEqual(['launch a', 'ready a', 'launch b', 'ready b', 'launch c', 'ready c']);
  });

  it('parallel: every node starts before any is ready', async () => {
    expect((await startAll('parallel')).slice(0, 3)).toEqual(['launch a', 'launch b', 'launch c']);
  });

  it('parallel: waits for every start, then fails with the first failure', async () => {
    const roles = ['a', 'b'];
    const dirs = new DataDirs(roles);
    const plan = await AddressPlan.create(roles);
    const nodes = roles.map(
      (role) =>
        new NodeProcess({
          role,
          spec: parseProcessSpec({ command: ['node', FIXTURE, role === 'a' ? '--fail=4' : '--listen=tcp'] }, __dirname),
          endpoint: plan.nodeEndpoint(role),
          peers: {},
          seed: 1,
          dataDir: dirs.dirOf(role),
          nodeTimeoutMs: 10_000,
          launcher,
        }),
    );
    await expect(startNodes(nodes, 'parallel', (node) => node.start(0))).rejects.toMatchObject({ code: 'NODE_EXITED_BEFORE_READY', role: 'a' });
    expect(nodes[1].running).toBe(true);
    await nodes[1].stop();
    dirs.finish(true);
  });
});

it('runs two files\' nodes at once, each with its own launcher and plan, without an address clash', async () => {
  const roles = ['a', 'b', 'c'];
  const other = new TrackedLauncher();
  const files = [launcher, other].map(async (fileLauncher) => {
    const dirs = new DataDirs(roles);
    const plan = await AddressPlan.create(roles);
    const spec = parseProcessSpec({ command: ['node', FIXTURE, '--listen=http'], ready: { http: '/health' } }, __dirname);
    const nodes = roles.map((role) => new NodeProcess({ role, spec, endpoint: plan.nodeEndpoint(role), peers: {}, seed: 1, dataDir: dirs.dirOf(role), nodeTimeoutMs: 10_000, launcher: fileLauncher }));
    return { dirs, plan, nodes };
  });
  const started = await Promise.all(files);
  await Promise.all(started.map(({ nodes }) => startNodes(nodes, 'parallel', (node) => node.start(0))));
  const endpoints = started.flatMap(({ plan }) => [...plan.nodes.values()].map((endpoint) => `${endpoint.host}:${endpoint.port}`));
  expect(new Set(endpoints).size).toBe(6);
  await Promise.all(started.flatMap(({ nodes }) => nodes.map((node) => node.stop())));
  for (const { dirs } of started) dirs.finish(true);
  await launcher.close();
  expect(await other.closeAndListLeftovers()).toEqual([]);
});

describe('data dirs', () => {
  it('gives each role its own directory, removed after a passing file', () => {
    const dirs = new DataDirs(['a', 'b']);
    expect(dirs.dirOf('a')).not.toBe(dirs.dirOf('b'));
    writeFileSync(join(dirs.dirOf('a'), 'state'), 'x');
    expect(dirs.finish(true)).toBeNull();
    expect(existsSync(dirs.root)).toBe(false);
  });

  it('keeps them after a failing file and returns the path to print', () => {
    const dirs = new DataDirs(['a']);
    writeFileSync(join(dirs.dirOf('a'), 'state'), 'x');
    expect(dirs.finish(false)).toBe(dirs.root);
    expect(existsSync(join(dirs.dirOf('a'), 'state'))).toBe(true);
    rmSync(dirs.root, { recursive: true });
  });
});
