import type { Clock } from '../util';
import { type FaultTable, NodeError, withoutFrames, type NodeOp, type RoleNodeHost } from '../harness';
import { createRunToken } from './ControlServer';
import { HeldNodeSet, type NodeEventKind } from './HeldNodeSet';
import { formatLastLines } from './ProcessOutput';
import type { ProcessNodeClient } from './ProcessNodeClient';
import { ProcessNodeGroup } from './ProcessNodeGroup';

/** What `FactoryNodes` needs. */
export interface FactoryNodesOptions {
  readonly roles: readonly string[];
  readonly seed: number;
  /** Absolute path of the `NodeFactory` module. */
  readonly factoryModule: string;
  /** The project's serialized Jest config: the node process compiles the factory with its transform. */
  readonly projectConfig: unknown;
  readonly nodeOptions: Readonly<Record<string, unknown>>;
  readonly table: FaultTable;
  readonly clock: Clock;
  /** Where node processes run (the project's rootDir). */
  readonly cwd: string;
  readonly nodeTimeoutMs: number;
  /** Deadline of the first start of every node (the `setupTimeoutMs` option). */
  readonly setupTimeoutMs: number;
  /** Heap limit of each node process, in MiB (the `roleMemoryMb` option). */
  readonly memoryMb: number;
}

/**
 * Processes mode with a `NodeFactory`: every role's node runs the factory in its own Node process,
 * with `ctx.transport` over TCP on loopback. Link faults are applied at the sender inside each node
 * process: after every change of the table, each process gets a copy and acknowledges it before the
 * fault call resolves. Node logs, message records and output lines go into the role's trace.
 */
export class FactoryNodes extends HeldNodeSet<FactoryNodeHost> {
  readonly endpoints = null;
  private readonly group: ProcessNodeGroup;
  /** The test each role's node process was last told it runs. */
  private readonly tests = new Map<string, string | null>();
  private closing: Promise<string | null> | null = null;

  constructor(private readonly options: FactoryNodesOptions) {
    super();
    const { roles, table } = options;
    this.group = new ProcessNodeGroup(
      {
        roles,
        seed: options.seed,
        factoryModule: options.factoryModule,
        projectConfig: options.projectConfig,
        nodeOptions: options.nodeOptions,
        token: createRunToken(),
        cwd: options.cwd,
        clock: options.clock,
        settings: { nodeTimeoutMs: options.nodeTimeoutMs, memoryMb: options.memoryMb },
      },
      table,
    );
    for (const role of roles) {
      const client = this.group.client(role);
      client.onLog((entry) => this.logTo(role, entry.level, entry.message, { ...entry.fields, incarnation: entry.incarnation }));
      client.onOutput((stream, line, incarnation) => this.logTo(role, stream === 'stderr' ? 'warn' : 'info', line, { stream, incarnation }));
      client.onTrace((batch) => this.sink?.records(role, batch.records, batch.omitted));
      client.onExit((exit) => {
        this.recordNode(role, 'crashed', exit.incarnation);
        const how = exit.signal === null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;
        const output = formatLastLines(exit.lastOutput.map((text) => ({ stream: 'stdout' as const, text, atMs: 0 })));
        this.sink?.roleError(role, withoutFrames(new NodeError(`The node process of role '${role}' (incarnation ${exit.incarnation}) ${how} without being asked to. ${output}`)));
      });
      const record = (event: NodeEventKind, incarnation: number): void => this.recordNode(role, event, incarnation);
      this.hosts.set(role, new FactoryNodeHost(role, client, this.group, options.nodeTimeoutMs, record));
    }
  }

  /** Every node process applies the new table before the fault call resolves. */
  linksChanged(): Promise<void> {
    return this.group.applyFaults();
  }

  setTest(role: string, test: string | null): void {
    if (this.tests.get(role) === test) return;
    this.tests.set(role, test);
    this.group.client(role).setTest(test);
  }

  async startAll(started: (role: string, error: Error | null) => void): Promise<void> {
    await Promise.allSettled(
      this.options.roles.map((role) =>
        this.hosts.get(role)!.start(0, this.options.setupTimeoutMs).then(
          () => started(role, null),
          (error: unknown) => started(role, error as Error),
        ),
      ),
    );
  }

  close(): Promise<string | null> {
    this.closing ??= this.group.close().then(() => null);
    return this.closing;
  }
}

/** One role's factory node in its own process, as the conductor drives it. */
class FactoryNodeHost implements RoleNodeHost {
  private incarnationValue = -1;

  constructor(
    readonly role: string,
    private readonly client: ProcessNodeClient,
    private readonly group: ProcessNodeGroup,
    private readonly nodeTimeoutMs: number,
    /** Records a node event on the role's lane of the trace. */
    private readonly record: (event: NodeEventKind, incarnation: number) => void,
  ) {}

  get system(): unknown {
    throw new NodeError(`multinode.system: the node of role '${this.role}' runs in its own OS process (processes mode); ask it with multinode.inspect(query).`);
  }

  get incarnation(): number {
    return this.incarnationValue;
  }

  get isRunning(): boolean {
    return this.client.running;
  }

  async start(incarnation: number, timeoutMs = this.nodeTimeoutMs): Promise<void> {
    this.incarnationValue = incarnation;
    try {
      await this.group.start(this.role, incarnation, timeoutMs);
      this.record('started', incarnation);
    } catch (error) {
      const cause = error as Error;
      throw new NodeError(`The node of role '${this.role}' (incarnation ${incarnation}) failed to start: ${cause.message}`);
    }
  }

  async stop(): Promise<void> {
    if (!this.client.running) return;
    await this.client.stop();
    this.record('stopped', this.incarnationValue);
  }

  async crash(): Promise<void> {
    if (!this.client.running) return;
    this.record('crashed', this.incarnationValue);
    await this.client.crash();
  }

  run(op: NodeOp, incarnation: number): Promise<void> {
    if (op === 'crash') return this.crash();
    if (op === 'stop') return this.stop();
    return this.start(incarnation);
  }

  async awaitMembersUp(): Promise<void> {
    throw new NodeError(`multinode.awaitMembersUp needs membersUp() in the test, which the node of role '${this.role}' in its own OS process does not offer; wait with eventually() and multinode.inspect.`);
  }

  async inspect(query: unknown): Promise<unknown> {
    if (!this.client.running) {
      throw new NodeError(`multinode.inspect: the node of role '${this.role}' (incarnation ${this.incarnationValue}) is not running (it crashed or left), so it cannot answer; fault.restart('${this.role}') starts a new one.`);
    }
    return this.client.inspect(query);
  }
}
