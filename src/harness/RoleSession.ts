import { type Clock, deserializeError, serializeError, type SerializedError, assertNever } from '../util';
import { FaultTable } from './FaultTable';
import type { ClientSettings, HarnessClient } from './HarnessClient';
import type { LinkEndpoint } from './LinkEndpoint';
import { createRoleNode } from './roleNode';
import { RealmSlot } from './NodeRealm';
import type { NodeEndpoint, RoleNodeHost } from './RoleNodeHost';
import { RemoteNodeHost } from './RemoteNodeHost';
import type { LeadToRole, RoleToLead, TestPlanEntry } from './protocol';
import type { ControlEnd, LinkEnd, RoleStart } from './RoleRunner';
import type { RoleResult } from './TestLockstep';
import { messageCapPerRole, TraceBuffer, type RawTraceEvent } from './TraceBuffer';
import type { FaultCommand, RoleError } from './traceTypes';

interface Waiter {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/**
 * A non-lead role's side of a test file, wherever its runner runs it: its node, its end of the link
 * mesh, and the control channel to the conductor. The role's copy of the test file uses it as its client.
 */
export class RoleSession implements HarnessClient {
  readonly role: string;
  readonly roles: readonly string[];
  readonly seed: number;
  readonly isLead = false;
  readonly settings: ClientSettings;
  readonly table: FaultTable;
  readonly trace: TraceBuffer;
  readonly host: RoleNodeHost;
  readonly endpoints: Readonly<Record<string, NodeEndpoint>> | null;
  readonly realm = new RealmSlot();
  /** This role's end of the link mesh; null when the lead holds every node (processes mode). */
  private readonly links: LinkEndpoint | null;
  private readonly control: ControlEnd<RoleToLead, LeadToRole>;
  private readonly waiters = new Map<number, Waiter>();
  private readonly goWaiters = new Map<string, (error: Error | null) => void>();
  private readonly verdictWaiters = new Map<string, (failed: boolean | null) => void>();
  private nextRequest = 1;
  /** Trace events not sent yet; they go with the next message, or on their own at `deferTrace`. */
  private pendingTrace: RawTraceEvent[] = [];
  private reportedErrors = 0;
  private readonly readyPromise: Promise<void>;
  private resolveReady!: (error: Error | null) => void;
  private shutdownRequested: (() => void) | null = null;
  private readonly shutdownPromise: Promise<void>;

  /**
   * `deferTrace`: how trace events wait to go out with the role's next message (threads: until the
   * event loop's next turn), or null to send each at once (simulation: every send is an event).
   */
  constructor(
    data: RoleStart,
    control: ControlEnd<RoleToLead, LeadToRole>,
    links: ReadonlyMap<string, LinkEnd>,
    readonly clock: Clock,
    private readonly deferTrace: ((flush: () => void) => void) | null = null,
  ) {
    this.role = data.role;
    this.roles = data.roles;
    this.seed = data.seed;
    this.settings = data.settings;
    this.control = control;
    this.table = new FaultTable(data.roles.length, data.faultBuffer);
    const cap = messageCapPerRole(data.roles.length);
    this.trace = new TraceBuffer(data.role, clock, (event) => this.traced(event), cap);
    this.endpoints = data.endpoints;
    if (data.nodesHeldByLead) {
      this.links = null;
      this.host = new RemoteNodeHost(data.role, (query) => this.request((requestId) => ({ type: 'inspect', requestId, query })), this.realm.get);
    } else ({ links: this.links, host: this.host } = createRoleNode({
      role: data.role,
      roles: data.roles,
      seed: data.seed,
      ports: links,
      table: this.table,
      clock,
      trace: this.trace,
      nodeOptions: data.nodeOptions,
      nodeTimeoutMs: data.settings.nodeTimeoutMs,
      // The lead's start-up gate bounds this role's first start: it ends the role if its node is not up in time.
      setupTimeoutMs: null,
      realm: this.realm.get,
    }));
    this.readyPromise = new Promise<Error | null>((resolve) => (this.resolveReady = resolve)).then((error) => {
      if (error !== null) throw error;
    });
    this.readyPromise.catch(() => undefined);
    this.shutdownPromise = new Promise((resolve) => (this.shutdownRequested = resolve));
    this.control.onMessage((message) => this.handle(message));
  }

  async startNode(): Promise<void> {
    // A node the lead holds is started there: this role's file is loaded, and the start-up gate tells it when every node is up.
    if (this.links === null) {
      this.post({ type: 'node-ready', incarnation: 0 });
      return this.readyPromise;
    }
    try {
      await this.host.start(0);
      this.post({ type: 'node-ready', incarnation: 0 });
    } catch (error) {
      this.post({ type: 'node-failed', error: serializeError(error) });
      throw error;
    }
    await this.readyPromise;
  }

  plan(tests: readonly TestPlanEntry[]): void {
    this.post({ type: 'plan', tests });
  }

  begin(testId: string, timeoutMs: number): Promise<Error | null> {
    return new Promise((resolve) => {
      this.goWaiters.set(testId, resolve);
      this.post({ type: 'test-begin', testId, timeoutMs });
    });
  }

  failedEarly(testId: string, error: SerializedError): void {
    this.post({ type: 'test-failed', testId, error });
  }

  async done(testId: string, result: RoleResult): Promise<null> {
    this.flushMessages();
    this.post({ type: 'test-done', testId, status: result.status, durationMs: result.durationMs, errors: result.errors, snapshots: result.snapshots });
    return null;
  }

  publishVerdict(): void {
    // The lead decides verdicts.
  }

  awaitVerdict(testId: string): Promise<boolean | null> {
    return new Promise((resolve) => this.verdictWaiters.set(testId, resolve));
  }

  async barrier(testId: string | null, name: string, roles: readonly string[] | null, timeoutMs: number): Promise<void> {
    await this.request((requestId) => ({ type: 'barrier-enter', requestId, testId, name, roles, timeoutMs }));
  }

  async gather(testId: string | null, name: string, roles: readonly string[] | null, timeoutMs: number, value: unknown): Promise<Record<string, unknown>> {
    return (await this.request((requestId) => ({ type: 'gather-enter', requestId, testId, name, roles, timeoutMs, value }))) as Record<string, unknown>;
  }

  async fault(command: FaultCommand): Promise<void> {
    await this.request((requestId) => ({ type: 'fault', requestId, command }));
  }

  roleError(error: unknown, time: number): void {
    this.reportedErrors++;
    this.post({ type: 'role-error', time, error: serializeError(error) });
  }

  /**
   * The end of this role's tests and hooks (circus's run_finish): tells the lead, waits until the lead
   * ends the file, and stops the node while the role's Jest environment still stands (the node lives
   * in the test's realm). A `stop()` that fails or takes too long is this role's error.
   */
  async finish(): Promise<RoleError[]> {
    this.flushMessages();
    this.post({ type: 'run-finished' });
    await this.shutdownPromise;
    try {
      await this.host.stop();
    } catch (error) {
      this.roleError(error, this.clock.now());
    }
    return [];
  }

  /** How many errors outside tests this role has reported. */
  get reportedErrorCount(): number {
    return this.reportedErrors;
  }

  /**
   * Tells the conductor this role's file is done, with its file-level error (if any) and the coverage
   * its run collected (Jest's `__coverage__`, or null), which the lead merges into its own.
   */
  fileDone(error: SerializedError | null, coverage: unknown = null): void {
    this.flushMessages();
    this.post({ type: 'file-done', error, coverage });
  }

  /** Resolves when the conductor asks this role to shut down. */
  whenShutdownRequested(): Promise<void> {
    return this.shutdownPromise;
  }

  /** Stops the node (with a deadline), closes every port. */
  async close(): Promise<void> {
    try {
      await this.host.stop();
    } catch (error) {
      this.roleError(error, this.clock.now());
    }
    this.flushMessages();
    if (this.pendingTrace.length > 0) this.control.post(this.takePendingTrace());
    this.links?.close();
    this.control.close();
  }

  private flushMessages(): void {
    const events = this.trace.drainMessages();
    if (events.length > 0) this.post({ type: 'trace', events, omitted: this.trace.omitted });
  }

  private request(make: (requestId: number) => RoleToLead): Promise<unknown> {
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.waiters.set(requestId, { resolve, reject });
      this.post(make(requestId));
    });
  }

  /** Sends `message`, after the trace events still waiting (in one transfer). */
  private post(message: RoleToLead): void {
    if (this.pendingTrace.length === 0) this.control.post(message);
    else this.control.post([this.takePendingTrace(), message]);
  }

  private traced(event: RawTraceEvent): void {
    if (this.deferTrace === null) {
      this.control.post({ type: 'trace', events: [event], omitted: this.trace.omitted });
      return;
    }
    this.pendingTrace.push(event);
    if (this.pendingTrace.length === 1) {
      this.deferTrace(() => {
        if (this.pendingTrace.length > 0) this.control.post(this.takePendingTrace());
      });
    }
  }

  private takePendingTrace(): RoleToLead {
    const events = this.pendingTrace;
    this.pendingTrace = [];
    return { type: 'trace', events, omitted: this.trace.omitted };
  }

  private reply(requestId: number, work: Promise<void>): void {
    work.then(
      () => this.post({ type: 'reply', requestId, error: null }),
      (error: unknown) => this.post({ type: 'reply', requestId, error: serializeError(error) }),
    );
  }

  private handle(message: LeadToRole): void {
    switch (message.type) {
      case 'all-ready':
        this.resolveReady(message.error === null ? null : deserializeError(message.error));
        break;
      case 'test-go': {
        const waiter = this.goWaiters.get(message.testId);
        this.goWaiters.delete(message.testId);
        waiter?.(message.error === null ? null : deserializeError(message.error));
        break;
      }
      case 'test-verdict':
        this.verdictWaiters.get(message.testId)?.(message.failed);
        this.verdictWaiters.delete(message.testId);
        break;
      case 'reply': {
        const waiter = this.waiters.get(message.requestId);
        this.waiters.delete(message.requestId);
        if (message.error === null) waiter?.resolve(message.result);
        else waiter?.reject(deserializeError(message.error));
        break;
      }
      case 'node-op':
        this.reply(message.requestId, this.host.run(message.op, message.incarnation));
        break;
      case 'await-members-up':
        this.reply(message.requestId, this.host.awaitMembersUp(message.count, message.timeoutMs));
        break;
      case 'node-events':
        for (const { time, event } of message.events) this.trace.recordAt(event, time);
        break;
      case 'ping':
        this.post({ type: 'pong' });
        break;
      case 'shutdown':
        this.shutdownRequested?.();
        break;
      default:
        assertNever(message, 'message from the lead');
    }
  }
}
