import { type Clock, deserializeError, serializeError, type SerializedError, withDeadline, assertNever } from '../util';
import { BarrierCoordinator, type BarrierEntry } from './BarrierCoordinator';
import type { FaultTable } from './FaultTable';
import type { NodeDirectory } from './RoleNodeHost';
import type { LeadToRole, RoleToLead, TestPlanEntry } from './protocol';
import { TestLockstep, type RoleResult } from './TestLockstep';
import { FaultApplier } from './FaultApplier';
import { HangWatch } from './HangWatch';
import { StartupGate } from './StartupGate';
import type { ConductorSettings } from './ConductorSettings';
import { HeldStarts } from './HeldStarts';
import { NodeTestErrors } from './NodeTestErrors';
import { awaitRunsFinished, closeRoles, type ShutdownHost } from './fileShutdown';
import type { TraceCollector } from './TraceCollector';
import type { RoleChannel } from './RoleRunner';
import { PendingRequests } from './PendingRequests';
import { RoleErrorLog } from './RoleErrorLog';
import { describeRole } from './describeRole';
import { absentResult, createSlot, finishRun, unknownSlot, type RoleSlot } from './RoleSlot';
import { asConsequence, failureOf, firstLine, hungFailure } from './consequences';
import type { FaultCommand, RoleError } from './traceTypes';
import { HarnessTimeoutError, LeadFinishedError, NodeError, RoleTerminatedError, withoutFrames } from './errors';

/** Once one role's set-up failed, how long the others get to report their own outcome. */
const SETTLE_AFTER_SETUP_FAILURE_MS = 2_000;

/**
 * The lead's coordinator of a test file: it tracks every role, runs the lockstep of multi-node
 * tests, the barriers and the faults, and collects the trace. Roles talk to it over the control
 * channels their runner gives (see `RoleRunner`); the lead's own role calls it directly.
 */
export class Conductor {
  readonly barriers: BarrierCoordinator;
  readonly lockstep: TestLockstep;
  readonly slots = new Map<string, RoleSlot>();
  /** Errors of the nodes the lead holds, for the results of the tests their roles were running. */
  private readonly nodeErrors = new NodeTestErrors();
  /** The first starts of the nodes the lead holds (processes mode). */
  readonly heldStarts: HeldStarts;
  private readonly requests = new PendingRequests();
  private readonly faults: FaultApplier;
  private readonly errors: RoleErrorLog;
  private readonly hangs: HangWatch;
  private readonly startup: StartupGate;
  private finished: Promise<RoleError[]> | null = null;

  constructor(
    readonly roles: readonly string[],
    private readonly table: FaultTable,
    /** Which nodes the lead holds (its own; in processes mode every role's). */
    private readonly nodes: NodeDirectory,
    private readonly trace: TraceCollector,
    private readonly clock: Clock,
    private readonly settings: ConductorSettings,
  ) {
    this.errors = new RoleErrorLog(trace);
    this.heldStarts = new HeldStarts(nodes.holdsEveryNode);
    roles.forEach((role, index) => this.slots.set(role, createSlot(role, index)));
    const lead = roles[0]!;
    // The lead's slot stays running: its file's end is the file's end.
    const running = (): string[] => roles.filter((r) => this.slot(r).status === 'running');
    const isTerminated = (role: string): boolean => this.slot(role).status === 'terminated';
    this.barriers = new BarrierCoordinator(roles, clock, this.describeRole);
    this.lockstep = new TestLockstep(
      {
        lead,
        roles,
        graceMs: settings.graceMs,
        activeRoles: running,
        absentResult: (role, testId) => absentResult(this.slot(role), testId),
        terminate: (role, reason) => this.terminate(role, reason),
        go: (role, testId, error) => this.go(role, testId, error),
        verdict: (role, testId, failed) => this.post(role, { type: 'test-verdict', testId, failed }),
      },
      clock,
    );
    this.startup = new StartupGate(
      {
        roles,
        nodeReady: (role) => Promise.all([this.slot(role).nodeReady.promise, this.heldStarts.ready(role)]).then(() => undefined),
        nodeStarted: (role) => this.slot(role).nodeStarted,
        isTerminated,
        terminate: (role, reason) => this.terminate(role, reason),
        awaitMembersUp: (role, count, timeoutMs) =>
          this.nodes.hostOf(role)?.awaitMembersUp(count, timeoutMs) ?? this.request(role, (requestId) => ({ type: 'await-members-up', requestId, count, timeoutMs })),
        tell: (role, error) => this.post(role, { type: 'all-ready', error }),
      },
      clock,
      { setupTimeoutMs: settings.setupTimeoutMs, graceMs: settings.graceMs, settleAfterFailureMs: SETTLE_AFTER_SETUP_FAILURE_MS },
    );
    this.faults = new FaultApplier(table, {
      roles,
      indexOf: (role) => this.slot(role).index,
      isTerminated,
      nodeOp: (role, op, incarnation) => this.nodes.hostOf(role)?.run(op, incarnation) ?? this.request(role, (requestId) => ({ type: 'node-op', requestId, op, incarnation })),
      linksChanged: () => this.nodes.linksChanged(),
    });
    this.hangs = new HangWatch(
      {
        candidates: () => running().filter((r) => r !== lead),
        activeRoles: running,
        isWaiting: (role) => this.barriers.waitingAt(role).length > 0 || this.lockstep.isWaiting(role),
        awaitedBy: (role) => this.barriers.missingAt(role),
        ping: (role) => this.post(role, { type: 'ping' }),
        hung: (role, silentMs) =>
          this.terminate(role, `it stopped answering for ${(silentMs / 1000).toFixed(1)} s while every other role waited for it (is it stuck in a synchronous loop?)`),
      },
      clock,
      settings,
    );
  }

  /** Where `role` is, as a barrier's timeout says it: `was running "t", was waiting at barrier 'x' …` (see `describeRole`). */
  readonly describeRole = (role: string): string =>
    describeRole({ slot: this.slot(role), waitingAt: this.barriers.waitingAt(role), activity: this.trace.activity(role), clock: this.clock });

  /** Connects a role started by the runner through its control channel. */
  attach(role: string, channel: RoleChannel): void {
    const slot = this.slot(role);
    this.slots.set(role, { ...slot, channel, closed: channel.closed });
    channel.onMessage((message) => this.handle(role, message));
    channel.onEnded((reason, error, onlyWhileRunning) => {
      if (!onlyWhileRunning || this.slot(role).status === 'running') this.markTerminated(role, reason, error);
    });
  }

  /** The lead's own node has started, or failed to (`error`); in processes mode, the lead's file is loaded. */
  leadNodeReady(error: Error | null): void {
    const role = this.roles[0]!;
    const slot = this.slot(role);
    slot.nodeStarted = error === null;
    if (error === null) slot.nodeReady.resolve();
    else slot.nodeReady.reject(error);
  }

  /** Runs the start-up (see `StartupGate`), then watches for hung roles; throws the lead's error when set-up failed. */
  async awaitReady(membersUp: boolean): Promise<void> {
    await this.startup.run(membersUp);
    this.hangs.start();
  }

  /** A role (possibly the lead) starts test `testId`. */
  begin(role: string, testId: string, timeoutMs: number): void {
    this.slot(role).currentTest = testId;
    this.lockstep.begin(role, testId, timeoutMs);
    this.onProgress();
  }

  /** A role's test failed early: its barriers fail for the others as its consequence (or the hung role's it waited for). */
  failedEarly(role: string, testId: string, error: SerializedError): void {
    const hung = this.hangs.hungRoleAwaitedBy(role, testId);
    this.barriers.roleFinishedTest(role, testId, hung === null ? failureOf(role, [error]) : hungFailure(hung));
  }

  /** A role's result for a test. */
  done(role: string, testId: string, reported: RoleResult): void {
    this.slot(role).currentTest = null;
    const result = this.nodeErrors.addTo(role, testId, reported);
    const hung = this.hangs.hungRoleAwaitedBy(role, testId);
    const own = hung === null ? result : { ...result, errors: result.errors.map((e) => asConsequence(e, hungFailure(hung))) };
    this.barriers.roleFinishedTest(role, testId, own.status === 'passed' ? null : failureOf(role, own.errors));
    this.lockstep.result(role, testId, own);
    this.onProgress();
  }

  /**
   * The node the lead holds for `role` failed while the role runs `testId` (its process exited by
   * itself): the role's result of that test gets the error, and its barriers fail for the others at once.
   */
  nodeFailedTest(role: string, testId: string, error: SerializedError): void {
    this.nodeErrors.add(role, testId, error);
    this.failedEarly(role, testId, error);
  }

  /** Sends a role events of its node, which the lead holds, for the role's own trace; false when the role's thread no longer runs its file. */
  tellNodeEvents(role: string, events: Extract<LeadToRole, { type: 'node-events' }>['events']): boolean {
    if (this.slot(role).status !== 'running') return false;
    this.post(role, { type: 'node-events', events });
    return true;
  }

  /** Forgets a test whose verdict is final: its lockstep run, its barriers, whom its roles waited for. */
  forgetTest(testId: string): void {
    this.lockstep.forget(testId);
    this.barriers.forgetTest(testId);
    this.hangs.forgetTest(testId);
  }

  /** Enters a barrier (or, with `entry.gather`, a gather, which resolves with every participant's value by role) for `entry.role`. */
  barrier(entry: BarrierEntry): Promise<Record<string, unknown> | undefined> {
    const entered = new Promise<Record<string, unknown> | undefined>((resolve, reject) =>
      this.barriers.enter(entry, (error, values) => {
        if (error === null) resolve(values);
        else reject(error);
        this.onProgress();
      }),
    );
    this.onProgress();
    return entered;
  }

  /** Applies a fault; faults run one at a time in call order. */
  fault(command: FaultCommand): Promise<void> {
    return this.faults.apply(command).finally(() => this.onProgress());
  }

  /** Records a role's plan of multi-node tests. */
  plan(role: string, tests: readonly TestPlanEntry[]): void {
    this.lockstep.plan(role, tests);
  }

  /** Ends a role's thread; tests waiting for it get a `terminated` result. */
  terminate(role: string, reason: string): void {
    const slot = this.slot(role);
    if (slot.status === 'terminated' || role === this.roles[0]) return;
    this.markTerminated(role, reason, null);
    void slot.channel?.terminate();
  }

  /**
   * An error of `role` outside any test result, at `time`. The lead's own errors are in its Jest run
   * already (`inJest`); every other role's reaches Jest through `finish()`.
   */
  roleError(role: string, time: number, error: SerializedError, inJest = false): void {
    this.errors.record(role, time, error, inJest);
  }

  /**
   * The end of the lead's file (circus's run_finish): waits for the roles to finish their files,
   * stops every node with a deadline and ends every role thread, then returns the errors of any role
   * that no test result reported, for the lead to fail the file with. Never throws; runs once.
   */
  finish(): Promise<RoleError[]> {
    this.finished ??= this.shutdown().then(() => this.errors.takeUnreported());
    return this.finished;
  }

  private async shutdown(): Promise<void> {
    const lead = this.roles[0]!;
    this.startup.abort(
      serializeError(
        withoutFrames(
          new LeadFinishedError(`The lead role '${lead}' finished the test file before every node was started (if the lead's copy of the file failed to load, see that error).`),
        ),
      ),
    );
    this.lockstep.halt(
      withoutFrames(
        new LeadFinishedError(
          `The lead role '${lead}' finished the test file before this test started on every role (if the lead's copy of the file failed to load, see that error), so it cannot run in lockstep.`,
        ),
      ),
    );
    // Barriers among the other roles (in their afterAll hooks, say) can still complete without the lead.
    this.barriers.roleGone(lead);
    const host: ShutdownHost = {
      roles: this.roles,
      clock: this.clock,
      settings: this.settings,
      nodes: this.nodes,
      slot: (role) => this.slot(role),
      terminate: (role, reason) => this.terminate(role, reason),
      post: (role, message) => this.post(role, message),
      roleError: (role, time, error) => this.roleError(role, time, error),
    };
    await awaitRunsFinished(host);
    this.hangs.stop();
    this.lockstep.close();
    this.barriers.abortAll('the test file is shutting down');
    await closeRoles(host);
    this.requests.rejectAll(null, new RoleTerminatedError('The test file is shutting down.'));
  }

  private handle(role: string, message: RoleToLead): void {
    const slot = this.slot(role);
    this.hangs.pong(role);
    switch (message.type) {
      case 'pong':
        break;
      case 'node-ready':
        slot.nodeStarted = true;
        slot.nodeReady.resolve();
        break;
      case 'node-failed':
        slot.nodeReady.reject(deserializeError(message.error));
        break;
      case 'plan':
        this.plan(role, message.tests);
        break;
      case 'test-begin':
        this.begin(role, message.testId, message.timeoutMs);
        break;
      case 'test-failed':
        this.failedEarly(role, message.testId, message.error);
        break;
      case 'test-done':
        this.done(role, message.testId, { status: message.status, durationMs: message.durationMs, errors: message.errors, snapshots: message.snapshots });
        break;
      case 'barrier-enter': {
        const { requestId, testId, name, roles, timeoutMs } = message;
        this.replyWhenDone(role, requestId, this.barrier({ role, testId, name, roles, timeoutMs }));
        break;
      }
      case 'gather-enter': {
        const { requestId, testId, name, roles, timeoutMs, value } = message;
        this.replyWhenDone(role, requestId, this.barrier({ role, testId, name, roles, timeoutMs, gather: { value } }));
        break;
      }
      case 'fault':
        this.replyWhenDone(role, message.requestId, this.fault(message.command));
        break;
      case 'inspect':
        // Processes mode: the lead holds the node of the role that asks.
        this.replyWhenDone(role, message.requestId, this.nodes.hostOf(role)?.inspect(message.query) ?? Promise.reject(new NodeError(`The lead does not hold the node of role '${role}'.`)));
        break;
      case 'reply':
        this.requests.reply(message.requestId, message.error);
        break;
      case 'trace':
        this.trace.add(message.events);
        this.trace.omitted(role, message.omitted);
        break;
      case 'role-error':
        this.roleError(role, message.time, message.error);
        break;
      case 'run-finished':
      case 'file-done': {
        const failure = message.type === 'file-done' && message.error !== null ? this.errors.record(role, this.clock.now(), message.error) : null;
        if (finishRun(slot, failure)) {
          this.barriers.roleGone(role);
          this.lockstep.rolesChanged();
        }
        if (message.type === 'run-finished') break;
        slot.coverage = message.coverage;
        slot.nodeReady.resolve();
        slot.fileDone.resolve();
        break;
      }
      default:
        assertNever(message, 'message from a role');
    }
  }

  private request(role: string, make: (requestId: number) => LeadToRole): Promise<void> {
    const slot = this.slot(role);
    if (slot.status === 'terminated') return Promise.reject(new RoleTerminatedError(`Role '${role}' was terminated.`));
    return this.requests.request(role, (requestId) => this.post(role, make(requestId)));
  }

  private replyWhenDone(role: string, requestId: number, work: Promise<unknown>): void {
    work.then(
      (result) => this.post(role, result === undefined ? { type: 'reply', requestId, error: null } : { type: 'reply', requestId, error: null, result }),
      (error: unknown) => this.post(role, { type: 'reply', requestId, error: serializeError(error) }),
    );
  }

  private go(role: string, testId: string, error: Error | null): void {
    if (role === this.roles[0]) {
      this.leadGo?.(testId, error);
      return;
    }
    this.post(role, { type: 'test-go', testId, error: error === null ? null : serializeError(error) });
  }

  /** Set by the lead's client: called when the lead may start a test. */
  leadGo: ((testId: string, error: Error | null) => void) | null = null;

  /** Set by the lead's session: called after anything live progress shows may have changed. */
  onProgress: () => void = () => undefined;

  private post(role: string, message: LeadToRole): void {
    const slot = this.slot(role);
    if (slot.status !== 'terminated') slot.channel?.post(message);
  }

  private markTerminated(role: string, reason: string, error: SerializedError | null): void {
    const slot = this.slot(role);
    if (slot.status === 'terminated') return;
    const wasRunning = slot.status === 'running';
    slot.status = 'terminated';
    slot.failure = this.errors.record(role, this.clock.now(), error ?? serializeError(withoutFrames(new RoleTerminatedError(`Role '${role}' was terminated: ${reason}.`))));
    this.table.setNodeState(slot.index, 'terminated');
    // A terminated role takes no part any more; set-up goes on without it.
    slot.nodeReady.resolve();
    slot.fileDone.resolve();
    // Barriers of the test it was running fail for the others as a consequence of this role.
    if (slot.currentTest !== null) this.barriers.roleFinishedTest(role, slot.currentTest, { rootRole: role, summary: firstLine(slot.failure.error.message) });
    this.requests.rejectAll(role, new RoleTerminatedError(`Role '${role}' was terminated: ${reason}.`));
    this.barriers.roleGone(role);
    if (wasRunning) this.lockstep.rolesChanged();
  }

  private slot(role: string): RoleSlot {
    return this.slots.get(role) ?? unknownSlot(role);
  }
}
