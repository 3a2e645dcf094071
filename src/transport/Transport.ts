/**
 * The node-to-node transport contract. The harness hands one to every node as `ctx.transport`;
 * the embedded actor runtime also runs on `MessageChannelTransport` (worker meshes) and
 * `InMemoryTransport` (unit tests). Addresses are plain strings (role names inside the harness).
 */

/** Receives a message from a peer. */
export type MessageHandler = (from: string, message: unknown) => void;

/** A best-effort, unordered-across-peers, ordered-per-link datagram transport with structured-clone semantics. */
export interface Transport {
  /** This node's address. */
  readonly self: string;
  /**
   * Sends `message` to `to`. Never throws for an unreachable, crashed or partitioned peer: the
   * message is dropped, as on a network. Throws at once for programming errors: an unknown address
   * or a message that cannot be structured-cloned (the error names the offending field).
   * Sending to `self` is allowed and is delivered asynchronously.
   */
  send(to: string, message: unknown): void;
  /** Subscribes to incoming messages; returns a function that unsubscribes. */
  onMessage(handler: MessageHandler): () => void;
}

/** A transport that owns resources (ports, timers) and must be closed. */
export interface ClosableTransport extends Transport {
  /** Stops sending and receiving and releases every resource; idempotent. */
  close(): void;
}
