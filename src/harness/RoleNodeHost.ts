import type { NodeOp } from './protocol';
import type { EventInput, RawTraceEvent } from './TraceBuffer';

/**
 * One role's node as the harness drives it, wherever it runs: in the role's own thread (`NodeHost`,
 * threads and simulation mode), in a child process held by the lead (processes mode), or, on a role
 * thread in processes mode, out of reach (`RemoteNodeHost`, which asks the lead).
 */
export interface RoleNodeHost {
  /** The current (or last) node's system: what `multinode.system` gives. */
  readonly system: unknown;
  /** The current incarnation number (-1 before the first start). */
  readonly incarnation: number;
  /** Whether a node is running now. */
  readonly isRunning: boolean;
  /** Starts incarnation `incarnation`; resolves once it is started (ready). */
  start(incarnation: number): Promise<void>;
  /** Stops the running node gracefully; a no-op when none runs. */
  stop(): Promise<void>;
  /** Runs a node operation the conductor asked for. */
  run(op: NodeOp, incarnation: number): Promise<void>;
  /** Resolves when the node sees exactly `count` members Up and reachable. */
  awaitMembersUp(count: number, timeoutMs: number): Promise<void>;
  /** Asks the running node's `inspect(query)`; the answer is a copy in the test's realm. */
  inspect(query: unknown): Promise<unknown>;
}

/** Where a node listens, as `multinode.endpoint` gives it. */
export interface NodeEndpoint {
  readonly host: string;
  readonly port: number;
  /** `http://host:port` (IPv6 hosts in brackets). */
  readonly url: string;
}

/** Who runs each role's node, as the conductor reaches it. */
export interface NodeDirectory {
  /** True when the lead holds every role's node (processes mode), false when each role holds its own. */
  readonly holdsEveryNode: boolean;
  /** The host of `role`'s node when the lead holds it; null when the role's own thread does. */
  hostOf(role: string): RoleNodeHost | null;
  /** Called after a link fault was written to the fault table; resolves once every node applies it. */
  linksChanged(): Promise<void>;
}

/**
 * Every node of a file held by the lead (processes mode): the lead starts them, runs their node
 * operations and faults, and ends them with the file. Role threads only run test code.
 */
export interface HeldNodes extends NodeDirectory {
  /** `multinode.endpoint` of every role, or null when the nodes have none to give (NodeFactory nodes). */
  readonly endpoints: Readonly<Record<string, NodeEndpoint>> | null;
  /** Where the nodes report: each role's trace recorder, and errors of a role outside any test. */
  attach(sink: HeldNodesSink): void;
  /** Starts every role's first node; calls `started` as each one settles (null: ready). */
  startAll(started: (role: string, error: Error | null) => void): Promise<void>;
  /** The test each role runs now, for the records its node makes. */
  setTest(role: string, test: string | null): void;
  /** Ends every node and proxy; returns the path of the kept data dirs after a failing file, else null. Idempotent. */
  close(passed: boolean): Promise<string | null>;
}

/** What held nodes report into. */
export interface HeldNodesSink {
  /**
   * Records an event of `role`'s node (a log or output line, a start, a crash) as that role's own:
   * in the role's order of events, tagged with the test it runs.
   */
  record(role: string, event: EventInput): void;
  /** Message records a node process made (both halves, its own Lamport times); `omitted` sends past its cap. */
  records(role: string, events: readonly RawTraceEvent[], omitted: number): void;
  /** An error of `role` outside any test: its node process ended by itself, say. */
  roleError(role: string, error: Error): void;
}
