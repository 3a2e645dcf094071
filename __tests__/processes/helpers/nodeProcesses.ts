import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { FaultTable, type MessageReceiveRecord, type MessageSendRecord } from '../../../src/harness';
import { ProcessNodeGroup, createRunToken, spawnNodeProcess, type NodeProcessLauncher, type NodeProcessSpec, type ProcessNodeLog, type ProcessNodeSettings } from '../../../src/processes';
import { REPO_ROOT, transpileOnlyProjectConfig } from './projectConfig';

export { waitFor } from '../../harness/helpers/async';
export { REPO_ROOT, transpileOnlyProjectConfig };

/** The compiled entry module the child processes run: `npm run build` makes it. */
export const ENTRY_MODULE = path.join(REPO_ROOT, 'dist', 'src', 'processes', 'nodeProcessMain.js');

/** The test node: the shared kv node with an inspect() that reports and drives it. */
export const KV_NODE = path.join(__dirname, '..', 'fixtures', 'kv-inspect-node.ts');

/** Throws a clear error when the build is missing: the child processes run compiled code. */
export function requireBuild(): void {
  if (!fs.existsSync(ENTRY_MODULE)) throw new Error(`${ENTRY_MODULE} is missing; run \`npm run build\` before these tests (npm test does).`);
}

/** Every process a launcher started, to check that none is left. */
export class ProcessRecorder {
  readonly pids: number[] = [];
  readonly launcher: NodeProcessLauncher = (spec) => {
    const child = spawnNodeProcess(spec);
    if (child.pid !== undefined) this.pids.push(child.pid);
    return child;
  };

  /** The recorded pids that still exist, and the children of this process that are node processes. */
  leftovers(): string[] {
    const alive = this.pids.filter((pid) => isAlive(pid)).map((pid) => `pid ${pid}`);
    return [...alive, ...nodeChildren()];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Child processes of this Jest worker that run the node process entry (ps, Linux and macOS). */
function nodeChildren(): string[] {
  const out = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => {
      const [, ppid] = line.split(/\s+/);
      return Number(ppid) === process.pid && line.includes('nodeProcessMain');
    });
}

/**
 * The sockets, servers, pipes and child processes this process holds (from Node's own list), after
 * the event loop's close phase, where handles closed just now leave that list.
 */
export async function ioResources(): Promise<string[]> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  return process.getActiveResourcesInfo().filter((name) => /TCP|Process|Pipe/.test(name)).sort();
}

/** A group of kv nodes in child processes, with everything they report collected. */
export interface KvCluster {
  readonly group: ProcessNodeGroup;
  readonly table: FaultTable;
  readonly roles: readonly string[];
  readonly recorder: ProcessRecorder;
  readonly sends: MessageSendRecord[];
  readonly receives: MessageReceiveRecord[];
  readonly logs: ProcessNodeLog[];
  readonly output: string[];
}

/** Makes (does not start) a group of kv nodes for `roles`. */
export async function kvCluster(
  roles: readonly string[],
  options: {
    nodeOptions?: Record<string, unknown>;
    token?: string;
    seed?: number;
    alterSpec?: (spec: NodeProcessSpec) => NodeProcessSpec;
    settings?: Partial<ProcessNodeSettings>;
  } = {},
): Promise<KvCluster> {
  requireBuild();
  const table = new FaultTable(roles.length);
  const recorder = new ProcessRecorder();
  const group = new ProcessNodeGroup(
    {
      roles,
      seed: options.seed ?? 42,
      factoryModule: KV_NODE,
      projectConfig: await transpileOnlyProjectConfig(),
      nodeOptions: options.nodeOptions ?? {},
      token: options.token ?? createRunToken(),
      entryModule: ENTRY_MODULE,
      launcher: options.alterSpec === undefined ? recorder.launcher : (spec) => recorder.launcher(options.alterSpec!(spec)),
      // Two loaded cores: a cold transform can take seconds.
      settings: { nodeTimeoutMs: 30_000, ...options.settings },
    },
    table,
  );
  const cluster: KvCluster = { group, table, roles, recorder, sends: [], receives: [], logs: [], output: [] };
  for (const role of roles) {
    const client = group.client(role);
    client.onTrace((batch) => {
      for (const record of batch.records) (record.type === 'msg-send' ? cluster.sends : cluster.receives).push(record as never);
    });
    client.onLog((entry) => cluster.logs.push(entry));
    client.onOutput((stream, line) => cluster.output.push(`${role} ${stream}: ${line}`));
  }
  return cluster;
}

/** The kv state a node reports through inspect. */
export interface KvState {
  role: string;
  incarnation: number;
  store: Record<string, unknown>;
  received: Array<{ from: string; payload: unknown }>;
  pid: number;
}

/** Asks `role`'s node for its state. */
export async function stateOf(cluster: KvCluster, role: string): Promise<KvState> {
  return (await cluster.group.client(role).inspect({ op: 'state' })) as KvState;
}

/** Has `from`'s node send `payload` to `to` (a raw kv message). */
export async function send(cluster: KvCluster, from: string, to: string, payload: unknown): Promise<void> {
  await cluster.group.client(from).inspect({ op: 'send', to, payload });
}

/** Waits, with a deadline, until `role`'s node has received a raw message with `payload` from `from`. */
export async function untilReceived(cluster: KvCluster, role: string, from: string, payload: unknown, timeoutMs = 10_000): Promise<KvState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await stateOf(cluster, role);
    if (state.received.some((r) => r.from === from && JSON.stringify(r.payload) === JSON.stringify(payload))) return state;
    if (Date.now() > deadline) throw new Error(`Role '${role}' did not receive ${JSON.stringify(payload)} from '${from}' within ${timeoutMs} ms; it has ${JSON.stringify(state.received)}.`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * For a test file on kv clusters: returns what starts a test's cluster, and after each test closes
 * it and checks that no process it made survives and no socket or handle is left open.
 */
export function kvClustersCheckedAfterEach(): (roles: readonly string[], options?: Parameters<typeof kvCluster>[1]) => Promise<KvCluster> {
  let current: KvCluster | null = null;
  let resourcesBefore: string[] = [];
  beforeEach(async () => {
    resourcesBefore = await ioResources();
  });
  afterEach(async () => {
    await current?.group.close();
    const left = current?.recorder.leftovers() ?? [];
    current = null;
    expect(left).toEqual([]);
    expect(await ioResources()).toEqual(resourcesBefore);
  });
  return async (roles, options) => (current = await kvCluster(roles, options));
}
