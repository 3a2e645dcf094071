import { asError, type Clock, serializeError, type SerializedError } from '../util';
import { Conductor } from './Conductor';
import type { ConductorSettings } from './ConductorSettings';
import { FaultTable } from './FaultTable';
import type { ClientSettings, HarnessClient } from './HarnessClient';
import type { LinkEndpoint } from './LinkEndpoint';
import { createRoleNode } from './roleNode';
import { RemoteNodeHost } from './RemoteNodeHost';
import { RealmSlot } from './NodeRealm';
import type { HeldNodes, NodeDirectory, NodeEndpoint, RoleNodeHost } from './RoleNodeHost';
import type { TestPlanEntry } from './protocol';
import type { LinkEnd, RoleRunner, RoleStart } from './RoleRunner';
import type { RoleResult } from './TestLockstep';
import { type EventInput, messageCapPerRole, TraceBuffer } from './TraceBuffer';
import { TraceCollector } from './TraceCollector';
import { relativeTestPath } from './traceFile';
import { PROGRESS_FILE_ENV, ProgressFeed, faultsInForce } from './progress';
import type { FaultCommand, FileTrace, RoleError, RunMode, TraceEvent } from './traceTypes';

/** Everything the lead needs to start a file's roles. */
export interface LeadSessionOptions {
  readonly roles: readonly string[];
  readonly seed: number;
  /** Where the roles run (the runner says how), and whether `MULTINODE_MODE` chose it; both go into the trace. */
  readonly mode: RunMode;
  readonly modeFromEnv: boolean;
  readonly testPath: string;
  readonly rootDir: string;
  readonly clock: Clock;
  readonly settings: ClientSettings & ConductorSettings & { readonly nodeTimeoutMs: number };
  readonly nodeOptions: Record<string, unknown>;
  /** Absolute path of the factory module, or null for the embedded cluster. */
  readonly nodeModule: string | null;
  /** Where the other roles run (threads: `ThreadRunner`), and the Jest configs they run the file with. */
  readonly runner: RoleRunner;
  readonly roleGlobalConfig: unknown;
  readonly roleProjectConfig: unknown;
  readonly roleModuleMap: unknown;
  /** Whether to wait for every node to see all members Up before the first test. */
  readonly awaitMembersUp: boolean;
  /** Processes mode: every role's node, held by the lead (see `HeldNodes`); absent, each role runs its own. */
  readonly nodes?: HeldNodes;
  /** The file's fault table, when the held nodes were made with it; default a new one. */
  readonly table?: FaultTable;
  /** Sees each trace event but node messages as it reaches the lead, the lead's own included (see `TraceCollector`). */
  readonly onEvent?: (event: TraceEvent) => void;
}

/**
 * The lead's side of a test file: the shared fault table, the link mesh, the other roles (started by
 * the runner), the lead's own node and the conductor. `startNode()` resolves once every node is up.
 */
export class LeadSession implements HarnessClient {
  readonly role: string;
  readonly roles: readonly string[];
  readonly seed: number;
  readonly isLead = true;
  readonly settings: ClientSettings;
  readonly clock: Clock;
  readonly table: FaultTable;
  readonly trace: TraceBuffer;
  readonly host: RoleNodeHost;
  readonly endpoints: Readonly<Record<string, NodeEndpoint>> | null;
  readonly realm = new RealmSlot();
  readonly conductor: Conductor;
  private readonly collector: TraceCollector;
  /** The lead's end of the link mesh; null when the lead holds every node (processes mode). */
  private readonly links: LinkEndpoint | null;
  private readonly held: HeldNodes | null;
  /** After `shutdown` of a failing file in processes mode: where the nodes' data dirs are kept. */
  keptDataDir: string | null = null;
  /** Whether set-up, a multi-node test or a role outside tests failed. */
  private failed = false;
  /** Recorders of other roles' node events once their threads no longer run the file (processes mode). */
  private readonly nodeTraces = new Map<string, TraceBuffer>();
  /** Node events of other roles waiting for the end of this turn, to go to the role's thread in one message. */
  private readonly nodeEvents = new Map<string, Array<{ time: number; event: EventInput }>>();
  private readonly goWaiters = new Map<string, (error: Error | null) => void>();

  constructor(private readonly options: LeadSessionOptions) {
    const { roles, seed, clock } = options;
    this.role = roles[0]!;
    this.roles = roles;
    this.seed = seed;
    this.clock = clock;
    this.settings = options.settings;
    this.table = options.table ?? new FaultTable(roles.length);
    this.collector = new TraceCollector(
      { testPath: relativeTestPath(options.rootDir, options.testPath), roles, seed, mode: options.mode, modeFromEnv: options.modeFromEnv, startedAt: clock.now() },
      options.onEvent ?? null,
    );
    this.trace = new TraceBuffer(this.role, clock, (event) => this.collector.add([event]), messageCapPerRole(roles.length));
    this.held = options.nodes ?? null;
    this.endpoints = this.held?.endpoints ?? null;
    const mesh = this.held === null ? options.runner.mesh(roles) : null;
    let nodes: NodeDirectory;
    if (this.held === null) {
      ({ links: this.links, host: this.host } = createRoleNode({
        role: this.role,
        roles,
        seed,
        ports: mesh!.get(this.role)!,
        table: this.table,
        clock,
        trace: this.trace,
        nodeOptions: options.nodeOptions,
        nodeTimeoutMs: options.settings.nodeTimeoutMs,
        setupTimeoutMs: options.settings.setupTimeoutMs,
        realm: this.realm.get,
      }));
      nodes = { holdsEveryNode: false, hostOf: (role) => (role === this.role ? this.host : null), linksChanged: async () => undefined };
    } else {
      this.links = null;
      const held = this.held;
      // The lead's test reaches its own node as every other role's does: inspect answers copied into the test's realm.
      this.host = new RemoteNodeHost(this.role, (query) => held.hostOf(this.role)!.inspect(query), this.realm.get);
      nodes = held;
      this.held.attach({
        record: (role, event) => this.recordNodeEvent(role, event),
        records: (role, events, omitted) => {
          this.collector.add(events);
          this.collector.omitted(role, omitted);
        },
        // A node's error fails the test its role runs then, else the file (never the lead's Jest run alone: it did not see it).
        roleError: (role, error) => {
          const test = this.conductor.slots.get(role)?.currentTest ?? null;
          if (test !== null) this.conductor.nodeFailedTest(role, test, serializeError(error));
          else this.conductor.roleError(role, clock.now(), serializeError(error));
        },
      });
    }
    this.conductor = new Conductor(roles, this.table, nodes, this.collector, clock, options.settings);
    this.conductor.leadGo = (testId, error) => {
      const waiter = this.goWaiters.get(testId);
      this.goWaiters.delete(testId);
      waiter?.(error);
    };
    const progress = new ProgressFeed(process.env[PROGRESS_FILE_ENV], options.testPath, {
      test: () => [...this.conductor.slots.values()].find((slot) => slot.currentTest !== null)?.currentTest ?? null,
      waits: () => this.conductor.barriers.pending(),
      faults: () => faultsInForce(this.table, roles),
    });
    this.conductor.onProgress = () => {
      progress.changed();
      for (const [role, slot] of this.conductor.slots) this.held?.setTest(role, slot.currentTest);
    };
    for (const role of roles.slice(1)) this.start(role, mesh?.get(role) ?? new Map());
  }

  async startNode(): Promise<void> {
    if (this.held !== null) {
      // The lead's copy of the file is loaded; every node, the lead's too, is ready once the lead says so.
      this.conductor.leadNodeReady(null);
      await this.held.startAll((role, error) => this.conductor.heldStarts.settle(role, error));
    } else {
      await this.host.start(0).then(
        () => this.conductor.leadNodeReady(null),
        (error: unknown) => this.conductor.leadNodeReady(asError(error)),
      );
    }
    await this.conductor.awaitReady(this.options.awaitMembersUp).catch((error: unknown) => {
      this.failed = true;
      throw error;
    });
  }

  plan(tests: readonly TestPlanEntry[]): void {
    this.conductor.plan(this.role, tests);
  }

  begin(testId: string, timeoutMs: number): Promise<Error | null> {
    return new Promise((resolve) => {
      this.goWaiters.set(testId, resolve);
      this.conductor.begin(this.role, testId, timeoutMs);
    });
  }

  failedEarly(testId: string, error: SerializedError): void {
    this.conductor.failedEarly(this.role, testId, error);
  }

  async done(testId: string, result: RoleResult): Promise<Map<string, RoleResult>> {
    this.conductor.done(this.role, testId, result);
    return this.conductor.lockstep.collect(testId);
  }

  publishVerdict(testId: string, failed: boolean): void {
    if (failed) this.failed = true;
    this.conductor.lockstep.publish(testId, failed);
    this.conductor.forgetTest(testId);
  }

  async awaitVerdict(): Promise<null> {
    return null;
  }

  async barrier(testId: string | null, name: string, roles: readonly string[] | null, timeoutMs: number): Promise<void> {
    await this.conductor.barrier({ role: this.role, testId, name, roles, timeoutMs });
  }

  async gather(testId: string | null, name: string, roles: readonly string[] | null, timeoutMs: number, value: unknown): Promise<Record<string, unknown>> {
    return (await this.conductor.barrier({ role: this.role, testId, name, roles, timeoutMs, gather: { value } })) ?? {};
  }

  fault(command: FaultCommand): Promise<void> {
    return this.conductor.fault(command);
  }

  /** Records a finished test in the file's trace. */
  recordTest(test: FileTrace['tests'][number]): void {
    this.collector.addTest(test);
  }

  roleError(error: unknown, time: number): void {
    // The lead's own errors outside tests are in its Jest run already; the trace gets them with their time.
    this.conductor.roleError(this.role, time, serializeError(error), true);
  }

  /**
   * Ends the file on every role (see `Conductor.finish`) and returns the errors of other roles that
   * no test result reported; the lead fails its file with them. Call it before Jest's end of run, so
   * that everything a node throws while stopping still reaches the run.
   */
  async finish(): Promise<RoleError[]> {
    const errors = await this.conductor.finish();
    if (errors.length > 0) this.failed = true;
    return errors;
  }

  /** The coverage each other role's run of the file collected (after `finish`), for the lead to merge. */
  roleCoverage(): unknown[] {
    return [...this.conductor.slots.values()].map((slot) => slot.coverage).filter((coverage) => coverage !== null && coverage !== undefined);
  }

  /**
   * Ends every role and node (if `finish` did not already) and returns the file's trace. `passed`
   * false (a test failed that the lead alone ran, say) keeps the nodes' data dirs, as a set-up failure,
   * a failed multi-node test or an error of a role outside tests does.
   */
  async shutdown(passed = true): Promise<FileTrace> {
    await this.finish();
    this.keptDataDir = (await this.held?.close(passed && !this.failed)) ?? null;
    if (this.keptDataDir !== null) this.trace.log('info', `the nodes' data dirs are kept at ${this.keptDataDir}`);
    this.collector.add(this.trace.drainMessages());
    this.collector.omitted(this.role, this.trace.omitted);
    this.links?.close();
    return this.collector.build(this.clock.now());
  }

  /**
   * Records an event of `role`'s node as the role's own: the lead's at once; another role's in that
   * role's thread (batched per turn), so it takes its place among the role's own events, or, once the
   * role's thread no longer runs its file, here on the role's lane.
   */
  private recordNodeEvent(role: string, event: EventInput): void {
    if (role === this.role) return this.trace.record(event);
    const time = this.clock.now();
    let batch = this.nodeEvents.get(role);
    if (batch === undefined) {
      batch = [];
      this.nodeEvents.set(role, batch);
      queueMicrotask(() => {
        const events = this.nodeEvents.get(role) ?? [];
        this.nodeEvents.delete(role);
        if (this.conductor.tellNodeEvents(role, events)) return;
        let trace = this.nodeTraces.get(role);
        if (trace === undefined) {
          trace = new TraceBuffer(role, this.clock, (raw) => this.collector.add([raw]), messageCapPerRole(this.roles.length));
          this.nodeTraces.set(role, trace);
        }
        for (const { time: at, event: input } of events) trace.recordAt(input, at);
      });
    }
    batch.push({ time, event });
  }


  private start(role: string, links: ReadonlyMap<string, LinkEnd>): void {
    const { options } = this;
    const start: RoleStart = {
      role,
      roles: this.roles,
      seed: this.seed,
      testPath: options.testPath,
      globalConfig: options.roleGlobalConfig,
      projectConfig: options.roleProjectConfig,
      moduleMap: options.roleModuleMap,
      nodeModule: options.nodeModule,
      nodeOptions: options.nodeOptions,
      nodesHeldByLead: this.held !== null,
      endpoints: this.endpoints,
      faultBuffer: this.table.buffer,
      settings: { ...options.settings },
    };
    this.conductor.attach(role, options.runner.start(role, start, links));
  }
}
