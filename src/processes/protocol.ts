import type { Endpoint } from './loopbackListen';
/**
 * The wire of processes mode: the control channel between the harness and a node process, and the
 * node-to-node links between node processes. Every frame is an object with a `type` (see frames.ts).
 */
import type { MessageReceiveRecord, MessageSendRecord } from '../harness';
import type { LogLevel } from '../node';
import type { SerializedError } from '../util';

/** Environment variable holding the harness's control address (`127.0.0.1:port`) for a node process. */
export const CONTROL_ADDRESS_ENV = 'MULTINODE_CONTROL_ADDRESS';
/** Environment variable holding the per-run token a node process presents on its control connection. */
export const CONTROL_TOKEN_ENV = 'MULTINODE_CONTROL_TOKEN';

/** Where every role's node process listens for its peers; null while a role has no process. */
export type PeerAddresses = Readonly<Record<string, Endpoint | null>>;

/** What a node process needs to start its node (sent once: one process per incarnation). */
export interface StartCommand {
  readonly type: 'start';
  readonly role: string;
  readonly roles: readonly string[];
  readonly seed: number;
  readonly incarnation: number;
  readonly options: Readonly<Record<string, unknown>>;
  /** Absolute path of the module whose default export is the `NodeFactory`. */
  readonly factoryModule: string;
  /** The Jest project config whose transform compiles the factory module (transpile-only). */
  readonly projectConfig: unknown;
  /** The token peers present on node-to-node links. */
  readonly linkToken: string;
  readonly peers: PeerAddresses;
  /** The fault table's cells (see `faultSnapshot`). */
  readonly faults: Int32Array;
  /** The harness's current test id, for the trace. */
  readonly test: string | null;
}

/** Harness -> node process. Commands with a `seq` are answered with that `seq`. */
export type HarnessToNode =
  | StartCommand
  | { readonly type: 'stop'; readonly seq: number }
  | { readonly type: 'crash'; readonly seq: number }
  | { readonly type: 'inspect'; readonly seq: number; readonly query: unknown }
  | { readonly type: 'faults'; readonly seq: number; readonly cells: Int32Array }
  | { readonly type: 'peers'; readonly seq: number; readonly peers: PeerAddresses }
  | { readonly type: 'test'; readonly test: string | null };

/** One batch of message records (both halves), with how many sends the per-test cap left out. */
export interface TraceBatch {
  readonly records: ReadonlyArray<MessageSendRecord | MessageReceiveRecord>;
  readonly omitted: number;
}

/** Node process -> harness. */
export type NodeToHarness =
  | { readonly type: 'hello'; readonly token: string; readonly pid: number; readonly link: Endpoint }
  | { readonly type: 'started' }
  | { readonly type: 'start-failed'; readonly error: SerializedError }
  | { readonly type: 'done'; readonly seq: number }
  | { readonly type: 'failed'; readonly seq: number; readonly error: SerializedError }
  | { readonly type: 'answer'; readonly seq: number; readonly answer: unknown }
  | { readonly type: 'log'; readonly time: number; readonly level: LogLevel; readonly message: string; readonly fields?: Record<string, unknown> }
  | ({ readonly type: 'trace' } & TraceBatch);

/** The first frame on a node-to-node connection: who dials, and the run's link token. */
export interface PeerHello {
  readonly type: 'peer-hello';
  readonly from: string;
  readonly token: string;
}

/** A node-to-node message after the hello: what the receiver's trace needs, and the payload. */
export interface PeerEnvelope {
  readonly type: 'msg';
  readonly seq: number;
  readonly lamport: number;
  readonly payload: unknown;
}

/** Any frame on a node-to-node connection. */
export type PeerFrame = PeerHello | PeerEnvelope;

/** True for an object frame with a string `type` (what both channels carry). */
export function isFrame(value: unknown): value is { type: string } {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
