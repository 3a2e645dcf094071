import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import type { Circus, Config } from '@jest/types';
import { TestEnvironment as NodeEnvironment } from 'jest-environment-node';
import {
  type ConsoleMethod,
  type HarnessClient,
  type HeldNodes,
  FaultTable,
  LeadSession,
  RoleThreadPool,
  ThreadRunner,
  type RoleStart,
  type RoleResult,
  REPORT_DIR_ENV,
  relativeTestPath,
  serializeTrace,
  TraceCollector,
  traceFilePath,
} from '../src/harness';
import { SIM_EPOCH_MS } from '../src/sim';
import { FactoryNodes, isProcessSpec, parseProcessSpec, SpecNodes, type ResolvedProcessSpec } from '../src/processes';
import type { LogLevel } from '../src/node';
import { serializeError, systemClock, type Clock } from '../src/util';
import { CircusBridge, testTitles } from './CircusBridge';
import { createGlobals } from './globalsApi';
import { resolveNodeModule } from './nodeModule';
import { GRACE_MS, PING_INTERVAL_MS, ROLE_YOUNG_GENERATION_MB, UNRESPONSIVE_AFTER_MS, parseOptions, type MultinodeOptions } from './options';
import { cacheFirstTransforms, roleGlobalConfig, roleProjectConfig } from './roleConfigs';
import { addRealmSetup, TestRealm } from './testRealm';
import { projectModuleMap } from './userJest';
import { mergeRoleCoverage } from './coverage';
import { SnapshotExchange } from './snapshots';
import { explicitJestTimeoutMs } from './timeouts';
import { callerStack, RoleConsole } from './roleConsole';
import { findRoleContext } from './roleContext';
import { modePinnedByDocblock } from './docblockMode';
import { Simulation } from './simulation';
import { installVirtualTime } from './virtualTime';

/** The role threads this Jest worker keeps between test files (see RoleThreadPool). */
const rolePool = new RoleThreadPool();

const CONSOLE_LEVELS: Record<ConsoleMethod, LogLevel> = { log: 'info', info: 'info', debug: 'debug', warn: 'warn', error: 'error' };

/**
 * The multi-node Jest environment. In Jest's own context it is the lead role: it starts one worker
 * thread per other role, runs the lead's copy of the file and merges every role's results into one
 * verdict per test. In a role thread it runs that role's copy of the file against the lead's conductor.
 */
export default class MultinodeEnvironment extends NodeEnvironment {
  private readonly options: MultinodeOptions | null;
  private readonly roleData: RoleStart | null;
  private readonly bridge: CircusBridge;
  private readonly snapshots: SnapshotExchange;
  private expect: unknown = undefined;
  private session: HarnessClient | null = null;
  private lead: LeadSession | null = null;
  private roleConsole: RoleConsole | null = null;
  private readonly config: JestEnvironmentConfig;
  private readonly testPath: string;
  /** Where this file's trace goes, or null without a report directory (the reporter sets one). */
  private readonly traceFile: string | null;
  private realm: TestRealm | null = null;
  private readonly removeRealmSetup: () => void;
  /** Simulation mode: the lead's simulation (on the lead), and what ends this role's virtual globals. */
  private simulation: Simulation | null = null;
  private uninstallVirtualTime: (() => void) | null = null;
  private simulatedLoaded: (() => void) | null = null;
  private simulatedRunFinished: (() => void) | null = null;
  /** Whether a test or the file failed (processes mode keeps the nodes' data dirs then). */
  private fileFailed = false;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.config = config;
    this.testPath = context.testPath;
    const reportDir = process.env[REPORT_DIR_ENV];
    this.traceFile = reportDir ? traceFilePath(reportDir, config.globalConfig, config.projectConfig, context.testPath) : null;
    const role = findRoleContext();
    this.roleData = role?.data ?? null;
    this.options =
      role === null ? parseOptions(config.projectConfig.testEnvironmentOptions as Record<string, unknown>, process.env, modePinnedByDocblock(context.docblockPragmas)) : null;
    // The node is loaded by the test's own runtime (see TestRealm), in roles and on the lead alike.
    this.removeRealmSetup = addRealmSetup(config.projectConfig as Config.ProjectConfig);
    if (role !== null) {
      this.session = role.session;
      this.realm = new TestRealm(this.getVmContext()!, this.global, role.data.nodeModule);
      this.session.realm.set(this.realm);
      if (role.simulated !== null) {
        this.uninstallVirtualTime = installVirtualTime(this, role.simulated.world, role.data.role, role.simulated.random, config.projectConfig as Config.ProjectConfig);
        this.simulatedLoaded = role.simulated.loaded;
        this.simulatedRunFinished = role.simulated.runFinished;
        role.simulated.registerRealm(this.getVmContext()!);
      }
    } else if (this.options!.mode === 'simulation' && !config.globalConfig.collectTests) {
      const { roles, seed, simulation, modeSource, testTimeoutMs } = this.options!;
      const testPath = relativeTestPath(config.projectConfig.rootDir, this.testPath);
      // What the reporter reads if a role is stuck in a synchronous loop and the worker is ended.
      const header = { testPath, roles, seed, mode: 'simulation' as const, modeFromEnv: modeSource === 'env', startedAt: SIM_EPOCH_MS };
      const trace = this.traceFile === null ? null : { file: this.traceFile, content: new TraceCollector(header).build(SIM_EPOCH_MS) };
      this.simulation = new Simulation({
        roles,
        seed,
        latencyMs: simulation.latencyMs,
        strict: simulation.strict,
        stallTimeoutMs: simulation.stallTimeoutMs,
        describeRole: (role) => this.lead?.conductor.describeRole(role) ?? null,
        rootDir: config.projectConfig.rootDir,
        // Real time: the longest a test of this file may take.
        watchdog: { limitMs: Math.max(testTimeoutMs, config.globalConfig.testTimeout ?? 0), testPath, trace },
        onUnhandled: (owner, error) => this.simulatedError(owner, error),
      });
      this.simulation.registerRealm(roles[0]!, this.getVmContext()!);
      this.uninstallVirtualTime = installVirtualTime(this, this.simulation.world, roles[0]!, this.simulation.randomFor(roles[0]!), config.projectConfig as Config.ProjectConfig);
      this.simulatedLoaded = () => this.simulation?.loaded(roles[0]!);
      this.simulatedRunFinished = () => this.simulation?.runFinished(roles[0]!);
    }
    const mode = role === null ? this.options!.mode : role.simulated !== null ? 'simulation' : role.data.nodesHeldByLead ? 'processes' : 'threads';
    const identity = { ...(this.roleData ?? { role: this.options!.roles[0]!, roles: this.options!.roles, seed: this.options!.seed }), mode };
    const testTimeoutMs = this.roleData?.settings.testTimeoutMs ?? this.options!.testTimeoutMs;
    this.snapshots = new SnapshotExchange(identity.role, identity.roles, this.roleData === null, config.projectConfig.rootDir);
    const jestTimeoutMs = (): number | null => explicitJestTimeoutMs(this.global, config.globalConfig);
    this.bridge = new CircusBridge(identity.role, this.roleData === null, testTimeoutMs, jestTimeoutMs, () => this.session, this.snapshots, (test, id, multinode, startedAt, results) =>
      this.recordTest(test, id, multinode, startedAt, results),
    );
    // The role's own clock once its session exists (virtual in simulation mode), the real one before.
    const clock = (): Clock => this.session?.clock ?? this.simulation?.clockFor(identity.role) ?? systemClock;
    const sessionClock: Clock = { now: () => clock().now(), schedule: (delayMs, fn) => clock().schedule(delayMs, fn) };
    const globals = createGlobals(identity, () => this.session, sessionClock, () => this.bridge.leadOnlyTest);
    Object.assign(this.global, globals);
  }

  override async setup(): Promise<void> {
    await super.setup();
    if (this.roleData !== null) {
      this.captureConsole(false);
      return;
    }
    if (this.config.globalConfig.collectTests) return;
    const options = this.options!;
    const projectConfig = this.config.projectConfig;
    const spec = isProcessSpec(options.node) ? parseProcessSpec(options.node, projectConfig.rootDir) : null;
    const nodeModule = options.node === null || spec !== null ? null : resolveNodeModule(options.node as string, projectConfig);
    const table = new FaultTable(options.roles.length);
    const held = options.mode === 'processes' ? await this.heldNodes(spec, nodeModule!, table) : null;
    const silent = projectConfig.silent ?? this.config.globalConfig.silent ?? false;
    this.roleConsole = silent ? null : new RoleConsole(this.global.console, options.roles[0]!);
    this.lead = new LeadSession({
      roles: options.roles,
      seed: options.seed,
      mode: options.mode,
      modeFromEnv: options.modeSource === 'env',
      testPath: this.testPath,
      rootDir: projectConfig.rootDir,
      clock: this.simulation?.clockFor(options.roles[0]!) ?? systemClock,
      settings: {
        barrierTimeoutMs: options.barrierTimeoutMs,
        testTimeoutMs: options.testTimeoutMs,
        nodeTimeoutMs: options.nodeTimeoutMs,
        setupTimeoutMs: options.setupTimeoutMs,
        graceMs: GRACE_MS,
        finishTimeoutMs: options.testTimeoutMs + GRACE_MS,
        stopTimeoutMs: options.nodeTimeoutMs,
        pingIntervalMs: PING_INTERVAL_MS,
        unresponsiveAfterMs: UNRESPONSIVE_AFTER_MS,
      },
      nodeOptions: options.nodeOptions,
      nodeModule,
      table,
      ...(held === null ? {} : { nodes: held }),
      runner: this.simulation?.runner ?? new ThreadRunner({
          workerScript: path.join(__dirname, 'roleWorker.js'),
          roleMemoryMb: options.roleMemoryMb,
          roleYoungGenerationMb: ROLE_YOUNG_GENERATION_MB,
          pool: rolePool,
          keepIdle: options.idleRoleThreads,
          clock: systemClock,
          settleTimeoutMs: GRACE_MS,
        }),
      roleGlobalConfig: roleGlobalConfig(this.config.globalConfig),
      roleProjectConfig: cacheFirstTransforms(roleProjectConfig(projectConfig as Config.ProjectConfig)),
      roleModuleMap: await projectModuleMap(projectConfig, this.config.globalConfig),
      awaitMembersUp: nodeModule === null && held === null,
      onEvent: this.roleConsole?.forward,
    });
    this.realm = new TestRealm(this.getVmContext()!, this.global, nodeModule);
    this.lead.realm.set(this.realm);
    this.session = this.lead;
    this.captureConsole(!silent);
    // Role threads boot while Jest loads the lead's copy of the file; nodes start at circus's run_start.
  }

  /** Processes mode: every role's node in its own OS process, held by the lead. */
  private async heldNodes(spec: ResolvedProcessSpec | null, nodeModule: string, table: FaultTable): Promise<HeldNodes> {
    const options = this.options!;
    const projectConfig = this.config.projectConfig as Config.ProjectConfig;
    const common = { roles: options.roles, seed: options.seed, table, clock: systemClock, nodeTimeoutMs: options.nodeTimeoutMs, setupTimeoutMs: options.setupTimeoutMs };
    if (spec !== null) return SpecNodes.create({ ...common, spec });
    return new FactoryNodes({
      ...common,
      factoryModule: nodeModule,
      projectConfig: cacheFirstTransforms(roleProjectConfig(projectConfig)),
      nodeOptions: options.nodeOptions,
      cwd: projectConfig.rootDir,
      memoryMb: options.roleMemoryMb,
    });
  }

  async handleTestEvent(event: Circus.Event, state: Circus.State): Promise<void> {
    // circus hands over its `expect` at setup (also without injectGlobals) and its snapshot state later.
    if (event.name === 'setup') this.expect = event.runtimeGlobals.expect;
    if (event.name === 'run_start') {
      this.snapshots.install(this.expect as never);
      // The file is loaded: in simulation mode, virtual time may run once every role is this far.
      this.simulatedLoaded?.();
    }
    if (event.name === 'test_retry') this.snapshots.retry(event.test);
    // The lead runs in Jest's own context; in simulation its tests and hooks run as the lead role.
    if (this.simulation !== null && event.name === 'test_start') event.test.fn = this.simulation.world.wrapAs(this.options!.roles[0]!, event.test.fn);
    if (this.simulation !== null && event.name === 'hook_start') event.hook.fn = this.simulation.world.wrapAs(this.options!.roles[0]!, event.hook.fn);
    if (event.name === 'run_finish') this.simulatedRunFinished?.();
    await this.bridge.handle(event, state);
    // A failed test (on any role: the bridge merged it) or an error outside tests keeps the nodes' data dirs.
    if ((event.name === 'test_done' && event.test.errors.length > 0) || (event.name === 'run_finish' && state.unhandledErrors.length > 0)) this.fileFailed = true;
    // Every role's file is done once the lead's run_finish has been handled.
    if (event.name === 'run_finish' && this.lead !== null) mergeRoleCoverage(this.global as unknown as Record<string, unknown>, this.lead.roleCoverage());
  }

  override async teardown(): Promise<void> {
    try {
      // A lead whose copy of the file failed to load never reached run_start or run_finish: its file
      // has ended all the same, so it must stop holding virtual time, or no deadline of the shutdown
      // below (all virtual in simulation mode) could ever pass.
      this.simulatedLoaded?.();
      this.simulatedRunFinished?.();
      this.roleConsole?.close();
      if (this.lead !== null) {
        const trace = await this.lead.shutdown(!this.fileFailed);
        const kept = this.lead.keptDataDir;
        if (kept !== null) process.stderr.write(`multinode: ${relativeTestPath(this.config.projectConfig.rootDir, this.testPath)} failed; its nodes' data dirs are kept at ${kept}\n`);
        if (this.traceFile !== null) {
          fs.mkdirSync(path.dirname(this.traceFile), { recursive: true });
          fs.writeFileSync(this.traceFile, serializeTrace(trace, this.config.projectConfig.rootDir));
        }
      }
    } finally {
      this.simulation?.stop();
      this.uninstallVirtualTime?.();
      this.lead = null;
      this.realm?.close();
      this.removeRealmSetup();
      await super.teardown();
    }
  }

  private recordTest(test: Circus.TestEntry, id: string, multinode: boolean, startedAt: number, results: Map<string, RoleResult>): void {
    this.lead?.recordTest({
      id,
      titles: testTitles(test),
      multinode,
      startedAt,
      finishedAt: (this.session?.clock ?? systemClock).now(),
      results: Object.fromEntries([...results].map(([role, r]) => [role, { status: r.status, durationMs: r.durationMs, errors: r.errors.map((e) => ({ ...e, consequence: e.fields?.consequence === true })) }])),
    });
  }

  /** A simulated role's error that none of its handlers took: its error outside any test. */
  private simulatedError(role: string, error: unknown): void {
    this.lead?.conductor.roleError(role, this.lead.clock.now(), serializeError(error));
  }

  /**
   * Role threads send console output into the role-tagged log instead of printing it; the lead
   * prints as Jest always does and also records each line in the log. Jest's consoles find the
   * caller's location a fixed number of frames up, so the lead's wrapper calls their internal
   * `_log`/`_logError` directly: the frame count stays the same and Jest still shows the test's line.
   */
  private captureConsole(keepPrinting: boolean): void {
    const original = this.global.console as unknown as Record<string, ((...args: unknown[]) => void) | undefined>;
    const wrapped: Record<string, unknown> = Object.create(original);
    for (const [method, level] of Object.entries(CONSOLE_LEVELS)) {
      const sink = (method === 'error' || method === 'warn') && typeof original._logError === 'function' ? '_logError' : '_log';
      const direct = typeof original[sink] === 'function';
      const write = (...args: unknown[]): void => {
        const text = format(...args);
        const call = { method: method as ConsoleMethod, origin: this.roleData === null ? '' : callerStack(write) };
        this.session?.trace.record({ type: 'log', level, message: text, console: call });
        if (!keepPrinting) return;
        if (direct) original[sink]!.call(original, method, text);
        else original[method]?.apply(original, args);
      };
      wrapped[method] = write;
    }
    this.global.console = wrapped as unknown as Console;
  }
}
