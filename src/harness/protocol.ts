import type { SerializedError } from '../util';
import type { FaultCommand, RoleOutcome } from './traceTypes';
import type { MessagePort } from 'node:worker_threads';
import type { EventInput, RawTraceEvent } from './TraceBuffer';
import type { ClientSettings } from './HarnessClient';
import type { SnapshotRecordData } from './TestLockstep';
import type { NodeEndpoint } from './RoleNodeHost';

/**
 * The control channel between the lead (conductor) and one role thread. Control traffic is never
 * faulted: a crashed or partitioned role's test code keeps running and keeps taking part in barriers.
 */

/** A role's view of one selected multi-node test, sent before the first test runs. */
export interface TestPlanEntry {
  readonly id: string;
  readonly timeoutMs: number;
}

/** A node operation the conductor asks a role's node host to do. */
export type NodeOp = 'crash' | 'stop' | 'start';

/** Messages from a role thread to the lead. */
export type RoleToLead =
  | { readonly type: 'node-ready'; readonly incarnation: number }
  | { readonly type: 'node-failed'; readonly error: SerializedError }
  | { readonly type: 'plan'; readonly tests: readonly TestPlanEntry[] }
  | { readonly type: 'test-begin'; readonly testId: string; readonly timeoutMs: number }
  | { readonly type: 'test-failed'; readonly testId: string; readonly error: SerializedError }
  | {
      readonly type: 'test-done';
      readonly testId: string;
      readonly status: RoleOutcome;
      readonly durationMs: number;
      readonly errors: readonly SerializedError[];
      readonly snapshots: readonly SnapshotRecordData[] | undefined;
    }
  | {
      readonly type: 'barrier-enter';
      readonly requestId: number;
      readonly testId: string | null;
      readonly name: string;
      readonly roles: readonly string[] | null;
      readonly timeoutMs: number;
    }
  | {
      readonly type: 'gather-enter';
      readonly requestId: number;
      readonly testId: string | null;
      readonly name: string;
      readonly roles: readonly string[] | null;
      readonly timeoutMs: number;
      /** This role's value, checked to be structured-cloneable. */
      readonly value: unknown;
    }
  | { readonly type: 'fault'; readonly requestId: number; readonly command: FaultCommand }
  /** `multinode.inspect` of a role whose node the lead holds (processes mode); the reply carries the answer. */
  | { readonly type: 'inspect'; readonly requestId: number; readonly query: unknown }
  | { readonly type: 'reply'; readonly requestId: number; readonly error: SerializedError | null }
  | { readonly type: 'trace'; readonly events: readonly RawTraceEvent[]; readonly omitted: number }
  /** The answer to a ping: the role's event loop runs. */
  | { readonly type: 'pong' }
  /** An error of the role outside any test (a hook, its node, a timer between tests), with when it happened. */
  | { readonly type: 'role-error'; readonly time: number; readonly error: SerializedError }
  /** The role's file is done; `error` is set when the file could not run at all. */
  /** The role's tests and hooks are done (circus's run_finish); it stops its node when told to shut down. */
  | { readonly type: 'run-finished' }
  | { readonly type: 'file-done'; readonly error: SerializedError | null; readonly coverage: unknown };

/** Messages from the lead to a role thread. */
export type LeadToRole =
  | { readonly type: 'all-ready'; readonly error: SerializedError | null }
  | { readonly type: 'test-go'; readonly testId: string; readonly error: SerializedError | null }
  /** The merged verdict of a test the role reported (null: the lead ended the file without deciding one). */
  | { readonly type: 'test-verdict'; readonly testId: string; readonly failed: boolean | null }
  /** The answer to a request; `result` is set by requests that return a value (a gather's values by role). */
  | { readonly type: 'reply'; readonly requestId: number; readonly error: SerializedError | null; readonly result?: unknown }
  | { readonly type: 'node-op'; readonly requestId: number; readonly op: NodeOp; readonly incarnation: number }
  | { readonly type: 'await-members-up'; readonly requestId: number; readonly count: number; readonly timeoutMs: number }
  /** Events of this role's node, which the lead holds (processes mode), to record as the role's own. */
  | { readonly type: 'node-events'; readonly events: ReadonlyArray<{ readonly time: number; readonly event: EventInput }> }
  /** Asks for a pong; a role that cannot answer is blocked (see HangWatch). */
  | { readonly type: 'ping' }
  | { readonly type: 'shutdown' };

/**
 * What one role thread needs to run one test file, sent in a `run-file` message; a pooled thread
 * gets one per file (see RoleThreadPool).
 */
export interface RoleWorkerData {
  readonly role: string;
  readonly roles: readonly string[];
  readonly seed: number;
  readonly testPath: string;
  /** Serialized Jest configs for the role's own run of the file. */
  readonly globalConfig: unknown;
  readonly projectConfig: unknown;
  /** The project's serialized module map (haste modules, `__mocks__`), as the lead's Jest has it. */
  readonly moduleMap: unknown;
  /** Resolved absolute path of the NodeFactory module, or null for the embedded cluster. */
  readonly nodeModule: string | null;
  readonly nodeOptions: Record<string, unknown>;
  /** True when the lead holds every node (processes mode): this role runs test code only. */
  readonly nodesHeldByLead: boolean;
  /** Every role's `multinode.endpoint` (processes mode with a process spec), else null. */
  readonly endpoints: Readonly<Record<string, NodeEndpoint>> | null;
  readonly faultBuffer: SharedArrayBuffer;
  readonly control: MessagePort;
  /** One port per peer role. */
  readonly links: Record<string, MessagePort>;
  readonly settings: ClientSettings & { readonly nodeTimeoutMs: number; readonly setupTimeoutMs: number };
}

/**
 * The `workerData` of a role thread: only what kind of thread it is. A thread runs many files, one
 * at a time; each comes in a `run-file` message.
 */
export interface RoleThreadData {
  readonly kind: 'jest-environment-multinode/role-thread';
}

/** Recognises a role thread (Jest's own worker threads have other data). */
export function isRoleThreadData(value: unknown): value is RoleThreadData {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'jest-environment-multinode/role-thread';
}

/**
 * The pool's channel to a role thread (the Worker's own port), apart from a file's control channel:
 * a thread is given a file, and says when it can take the next one.
 */
export type PoolToThread = { readonly type: 'run-file'; readonly data: RoleWorkerData };

/** Messages from a role thread to the pool. */
export type ThreadToPool =
  /** The file is done, its ports are closed and no late error came: the thread can take another file. */
  | { readonly type: 'idle' }
  /** The thread will not take another file (an error while idle, or a heap grown past half its limit) and ends. */
  | { readonly type: 'retiring'; readonly reason: string };
