import { createRng, type Clock } from '../util';
import { FaultTable, NodeError, withoutFrames, type NodeEndpoint, type NodeOp, type RoleNodeHost } from '../harness';
import { AddressPlan } from './AddressPlan';
import { DataDirs } from './DataDirs';
import { HeldNodeSet, type NodeEventKind } from './HeldNodeSet';
import { faultTableReader } from './faultReader';
import { LocalLauncher } from './LocalLauncher';
import { formatEndpoint, type Endpoint } from './loopbackListen';
import { NodeProcess } from './NodeProcess';
import type { ResolvedProcessSpec } from './ProcessSpec';
import { ProxyMesh } from './ProxyMesh';
import { proxyEventLine } from './proxyTrace';
import { runSetup } from './runSetup';
import { startNodes } from './startNodes';
import type { Launcher } from './Launcher';

/** What `SpecNodes.create` needs. */
export interface SpecNodesOptions {
  readonly roles: readonly string[];
  readonly seed: number;
  readonly spec: ResolvedProcessSpec;
  /** The file's shared fault table: the proxies read it on every connection and chunk. */
  readonly table: FaultTable;
  readonly clock: Clock;
  /** Deadline of a node's readiness, `stop()` before SIGKILL, and of `setup` (the `nodeTimeoutMs` option). */
  readonly nodeTimeoutMs: number;
  /** Deadline of the `setup` command and of each node's first start (the `setupTimeoutMs` option). */
  readonly setupTimeoutMs: number;
  /** Default: local child processes, each in its own process group, guarded by a reaper. */
  readonly launcher?: Launcher;
}

/**
 * Processes mode with a process spec: one program per role, each started by the lead with its own
 * loopback endpoint, data dir and `MULTINODE_PEERS` through a fault proxy per ordered pair of roles.
 * Link faults act in the proxies (which read the shared fault table live); node faults are signals
 * to the node's process group. Every line a node writes goes into its role's trace.
 */
export class SpecNodes extends HeldNodeSet<SpecNodeHost> {
  readonly endpoints: Readonly<Record<string, NodeEndpoint>>;
  private closing: Promise<string | null> | null = null;

  private constructor(
    private readonly options: SpecNodesOptions,
    plan: AddressPlan,
    private readonly mesh: ProxyMesh,
    private readonly dataDirs: DataDirs,
    private readonly launcher: Launcher,
  ) {
    super();
    const { roles, spec, seed, clock, nodeTimeoutMs } = options;
    const endpoints: Record<string, NodeEndpoint> = {};
    for (const role of roles) {
      const endpoint = plan.nodeEndpoint(role);
      endpoints[role] = { host: endpoint.host, port: endpoint.port, url: `http://${formatEndpoint(endpoint)}` };
      const node = new NodeProcess({
        role,
        spec,
        endpoint,
        peers: mesh.peersOf(role),
        seed,
        dataDir: dataDirs.dirOf(role),
        nodeTimeoutMs,
        launcher,
        clock,
        onOutput: (line) => this.logTo(role, line.stream === 'stdout' ? 'info' : 'warn', line.text, { stream: line.stream, incarnation: line.incarnation }),
        onExit: (exit) => {
          this.recordNode(role, 'crashed', exit.incarnation);
          this.sink?.roleError(role, withoutFrames(new NodeError(exit.message)));
        },
      });
      const record = (event: NodeEventKind, incarnation: number): void => this.recordNode(role, event, incarnation);
      this.hosts.set(role, new SpecNodeHost(node, this, record, (message) => this.logTo(role, 'warn', message, {})));
    }
    this.endpoints = endpoints;
  }

  /** Plans the addresses, makes the data dirs and starts the proxies; no node runs yet. */
  static async create(options: SpecNodesOptions): Promise<SpecNodes> {
    const { roles, seed, clock, table } = options;
    const plan = await AddressPlan.create(roles);
    const endpoints: Record<string, Endpoint> = Object.fromEntries(roles.map((role) => [role, plan.nodeEndpoint(role)]));
    let nodes: SpecNodes | null = null;
    const mesh = await ProxyMesh.start({
      roles,
      endpoints,
      faults: faultTableReader(table, roles),
      rng: createRng(seed).fork('proxies'),
      host: plan.proxyHost,
      clock,
      onEvent: (event) => nodes?.proxyEvent(event),
    });
    nodes = new SpecNodes(options, plan, mesh, new DataDirs(roles), options.launcher ?? new LocalLauncher({ clock }));
    return nodes;
  }

  /** The proxies read the table live; they only need to act on connections already open. */
  async linksChanged(): Promise<void> {
    this.mesh.faultsChanged();
  }

  setTest(): void {
    // Trace records take the role's test when they are made (see the sink).
  }

  async startAll(started: (role: string, error: Error | null) => void): Promise<void> {
    const { spec, roles, seed, clock } = this.options;
    if (spec.setup !== null) {
      try {
        await runSetup({
          command: spec.setup,
          cwd: spec.cwd,
          env: { ...process.env, ...spec.env, MULTINODE_SEED: String(seed) },
          timeoutMs: this.options.setupTimeoutMs,
          launcher: this.launcher,
          clock,
          onOutput: (line) => this.logTo(roles[0]!, 'info', `setup: ${line.text}`, { stream: line.stream }),
        });
      } catch (error) {
        // One command failed, once: the lead reports it; the other roles' set-up fails as its consequence.
        started(roles[0]!, error as Error);
        for (const role of roles.slice(1)) started(role, null);
        return;
      }
    }
    const settled = new Set<string>();
    const startOne = (host: SpecNodeHost): Promise<void> =>
      host.start(0, this.options.setupTimeoutMs).then(
        () => {
          settled.add(host.role);
          started(host.role, null);
        },
        (error: unknown) => {
          settled.add(host.role);
          started(host.role, error as Error);
          throw error;
        },
      );
    await startNodes(
      roles.map((role) => this.hosts.get(role)!),
      spec.startOrder,
      startOne,
    ).catch(() => {
      // A sequential start stops at the first failure; the roles after it fail as its consequence.
      for (const role of roles) if (!settled.has(role)) started(role, null);
    });
  }

  close(passed: boolean): Promise<string | null> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.hosts.values()].map((host) => host.kill()));
      await this.mesh.close();
      if (this.launcher instanceof LocalLauncher) await this.launcher.close();
      return this.dataDirs.finish(passed);
    })();
    return this.closing;
  }

  private proxyEvent(event: Parameters<typeof proxyEventLine>[0]): void {
    const line = proxyEventLine(event);
    if (line !== null) this.logTo(event.dialer, line.level, line.message, line.fields);
  }
}

/** One role's process-spec node as the conductor drives it (see `NodeProcess`). */
class SpecNodeHost implements RoleNodeHost {
  readonly role: string;

  constructor(
    private readonly node: NodeProcess,
    private readonly owner: { readonly endpoints: Readonly<Record<string, NodeEndpoint>> },
    /** Records a node event on the role's lane of the trace. */
    private readonly record: (event: NodeEventKind, incarnation: number) => void,
    /** Adds a warning to the role's log. */
    private readonly warn: (message: string) => void,
  ) {
    this.role = node.role;
  }

  get system(): unknown {
    throw new NodeError(
      `multinode.system: role '${this.role}' runs a process-spec node (processes mode), which has no system in the test; reach it at multinode.endpoint (${this.owner.endpoints[this.role]?.url}).`,
    );
  }

  get incarnation(): number {
    return this.node.incarnation;
  }

  get isRunning(): boolean {
    return this.node.running;
  }

  /** Starts `incarnation`; the first start may take `firstStartMs` (setupTimeoutMs), a restart nodeTimeoutMs. */
  async start(incarnation: number, firstStartMs?: number): Promise<void> {
    await this.node.start(incarnation, firstStartMs === undefined ? undefined : { timeoutMs: firstStartMs, setting: 'setupTimeoutMs' });
    this.record('started', incarnation);
  }

  async stop(): Promise<void> {
    if (!this.node.running) return;
    const outcome = await this.node.stop();
    this.record('stopped', this.node.incarnation);
    if (outcome?.killed) this.warn(`The node process of role '${this.role}' (incarnation ${this.node.incarnation}) did not exit within nodeTimeoutMs of its stopSignal and was killed with SIGKILL.`);
  }

  async crash(): Promise<void> {
    if (!this.node.running) return;
    this.record('crashed', this.node.incarnation);
    await this.node.crash();
  }

  /** SIGKILLs the node's process group (teardown of a file whose nodes may still run). */
  kill(): Promise<void> {
    return this.node.crash();
  }

  run(op: NodeOp, incarnation: number): Promise<void> {
    if (op === 'crash') return this.crash();
    if (op === 'stop') return this.stop();
    return this.start(incarnation);
  }

  async awaitMembersUp(): Promise<void> {
    throw new NodeError(`multinode.awaitMembersUp needs a node whose handle has membersUp(); role '${this.role}' runs a process-spec node. Wait with eventually() for what your service reports at multinode.endpoint instead.`);
  }

  async inspect(): Promise<unknown> {
    throw new NodeError(
      `multinode.inspect needs a NodeFactory node with inspect(query); role '${this.role}' runs a process-spec node. Ask the service itself at multinode.endpoint (${this.owner.endpoints[this.role]?.url}).`,
    );
  }
}
