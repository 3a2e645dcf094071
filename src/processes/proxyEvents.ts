import type { NodeState } from '../harness';

/** Why a proxy refused a new connection (accepted it, then reset it before any byte flowed). */
export type ProxyRefuseReason =
  /** The pair of roles is partitioned (either direction). */
  | 'partition'
  /** The dialer's or the target's node is not running. */
  | Exclude<NodeState, 'running'>
  /** The target's real endpoint did not accept the connection (`detail` has the error code). */
  | 'unreachable'
  /** The dialer reset or failed before the target answered (`detail` has the error code). */
  | 'dialer-error'
  /** The proxy is closing. */
  | 'closing';

/** Why a proxy reset an open connection (both of its sockets, with a TCP RST). */
export type ProxyResetReason =
  | 'partition'
  | Exclude<NodeState, 'running'>
  /** A chunk drew a drop (`drop(p)`: probability p per chunk). */
  | 'drop'
  /** Bytes were discarded by a blackhole that is now healed: the stream cannot resume intact. */
  | 'blackhole-healed'
  /** One side reset or failed (`detail` has the error code); the reset is passed to the other side. */
  | 'dialer-error'
  | 'target-error'
  | 'closing';

/** What became of a chunk of bytes read from one side. */
export type ChunkFate = 'forwarded' | 'delayed' | 'discarded';

/** Fields of every proxy event. */
interface ProxyEventBase {
  /** Epoch milliseconds from the proxy's clock. */
  readonly time: number;
  /** The role that dialled (whose MULTINODE_PEERS entry this proxy is). */
  readonly dialer: string;
  /** The role dialled. */
  readonly target: string;
  /** The connection's number within this proxy, from 1 in accept order. */
  readonly connection: number;
}

/**
 * What a fault proxy reports, for the trace. Chunks are TCP reads, not messages: how a stream is cut
 * into chunks depends on timing, so aggregate them rather than compare them between runs.
 */
export type ProxyEvent =
  | (ProxyEventBase & { readonly type: 'opened' })
  | (ProxyEventBase & { readonly type: 'refused'; readonly reason: ProxyRefuseReason; readonly detail?: string })
  | (ProxyEventBase & { readonly type: 'reset'; readonly reason: ProxyResetReason; readonly detail?: string })
  /** Both sides ended their streams normally. */
  | (ProxyEventBase & { readonly type: 'closed' })
  | (ProxyEventBase & {
      readonly type: 'chunk';
      /** The direction: `from -> to` is `dialer -> target` or `target -> dialer`. */
      readonly from: string;
      readonly to: string;
      readonly bytes: number;
      readonly fate: ChunkFate;
      /** How long the chunk is held (for `delayed`: its drawn delay, or longer to keep order); else 0. */
      readonly delayMs: number;
    });

/** Receives proxy events; called synchronously, so keep it cheap (count, or buffer and aggregate). */
export type ProxyEventListener = (event: ProxyEvent) => void;
