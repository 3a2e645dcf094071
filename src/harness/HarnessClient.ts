import type { Clock, SerializedError } from '../util';
import type { FaultTable } from './FaultTable';
import type { NodeEndpoint, RoleNodeHost } from './RoleNodeHost';
import type { RealmSlot } from './NodeRealm';
import type { TestPlanEntry } from './protocol';
import type { RoleResult } from './TestLockstep';
import type { TraceBuffer } from './TraceBuffer';
import type { FaultCommand, RoleError } from './traceTypes';

/** Timing defaults a role applies to its own calls. */
export interface ClientSettings {
  readonly barrierTimeoutMs: number;
  readonly testTimeoutMs: number;
}

/**
 * What one role's test code and its Jest event handler use to talk to the harness. The lead's
 * client calls the conductor directly; every other role's client sends over its control port.
 */
export interface HarnessClient {
  readonly role: string;
  readonly roles: readonly string[];
  readonly seed: number;
  readonly isLead: boolean;
  readonly settings: ClientSettings;
  readonly clock: Clock;
  readonly trace: TraceBuffer;
  readonly host: RoleNodeHost;
  /** Every role's `multinode.endpoint` (processes mode with a process spec), else null. */
  readonly endpoints: Readonly<Record<string, NodeEndpoint>> | null;
  readonly table: FaultTable;
  /** Where this role's node is loaded: the environment sets it to the role's test realm. */
  readonly realm: RealmSlot;
  /**
   * Starts this role's first node and resolves when every role's node is started (and, for the
   * embedded cluster, all members are Up). Called once this role's copy of the file is loaded, so
   * that loading (transforming, requiring) never stalls a live node.
   */
  startNode(): Promise<void>;
  /** Announces this role's selected multi-node tests, in run order. */
  plan(tests: readonly TestPlanEntry[]): void;
  /** Waits until every role has begun `testId`; resolves with an error when the test must fail at once. */
  begin(testId: string, timeoutMs: number): Promise<Error | null>;
  /** Reports a failure as soon as it happens, so other roles' barriers fail as consequences at once. */
  failedEarly(testId: string, error: SerializedError): void;
  /** Reports this role's result; the lead gets every role's result back, other roles get null. */
  done(testId: string, result: RoleResult): Promise<Map<string, RoleResult> | null>;
  /**
   * On the lead: tells every other role that reported `testId` the test's merged verdict, and ends
   * the test's lockstep. Call it once per `done` that returned results. Other roles: nothing to do.
   */
  publishVerdict(testId: string, failed: boolean): void;
  /**
   * On a non-lead role, after `done`: resolves with the lead's merged verdict of `testId` (whether it
   * failed on any role), or null when the lead ended the file without one. The lead resolves null.
   */
  awaitVerdict(testId: string): Promise<boolean | null>;
  /** Enters a barrier; rejects with the barrier's error. */
  barrier(testId: string | null, name: string, roles: readonly string[] | null, timeoutMs: number): Promise<void>;
  /**
   * Enters a gather with `value` (already a structured-clone copy); resolves with every participant's
   * value by role, as objects of the harness's realm (copy them into the test's realm), or rejects
   * with the gather's error.
   */
  gather(testId: string | null, name: string, roles: readonly string[] | null, timeoutMs: number, value: unknown): Promise<Record<string, unknown>>;
  /**
   * Reports an error of this role outside any test (a hook, its node, a timer between tests) that
   * happened at `time`. Every such error fails the file, naming the role.
   */
  roleError(error: unknown, time: number): void;
  /**
   * Ends the file (circus's run_finish). On the lead: waits for every role, stops every node, and
   * returns the errors of other roles that no test result reported. On other roles: reports the end
   * of its run and stops its node once the lead ends the file; returns nothing.
   */
  finish(): Promise<RoleError[]>;
  /** Applies a fault on every role. */
  fault(command: FaultCommand): Promise<void>;
}
