/**
 * The node-to-node protocol of actor remoting, on the `actors` channel of the transport. One
 * direction-free union: every node sends and accepts all of it. Refs inside `body` are serialized
 * (`{ $ref: { node, path } }`); `to`, `target` and `watcher` are paths on the node they name.
 */

/** A serialized ref's inner part. */
export interface RefData {
  readonly node: string;
  readonly path: string;
}

/** An application message for the actor at `to` on the receiving node. */
export interface TellMessage {
  readonly type: 'tell';
  readonly to: string;
  readonly from: RefData | null;
  readonly body: unknown;
}

/** The sender's actor `watcher` wants a `terminated` notice when the receiver's actor `target` stops. */
export interface WatchMessage {
  readonly type: 'watch';
  readonly target: string;
  readonly watcher: string;
}

/** Cancels a `watch`. */
export interface UnwatchMessage {
  readonly type: 'unwatch';
  readonly target: string;
  readonly watcher: string;
}

/** The sender's actor `target` stopped (or never existed); for the receiver's actor `watcher`. */
export interface TerminatedMessage {
  readonly type: 'terminated';
  readonly target: string;
  readonly watcher: string;
  readonly existenceConfirmed: boolean;
}

/** Every remoting message. */
export type RemoteMessage = TellMessage | WatchMessage | UnwatchMessage | TerminatedMessage;

function isRefData(value: unknown): value is RefData {
  return typeof value === 'object' && value !== null && typeof (value as RefData).node === 'string' && typeof (value as RefData).path === 'string';
}

/** Checks the shape of a message from another node. */
export function isRemoteMessage(value: unknown): value is RemoteMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'tell':
      return typeof message.to === 'string' && (message.from === null || isRefData(message.from)) && 'body' in message;
    case 'watch':
    case 'unwatch':
      return typeof message.target === 'string' && typeof message.watcher === 'string';
    case 'terminated':
      return typeof message.target === 'string' && typeof message.watcher === 'string' && typeof message.existenceConfirmed === 'boolean';
    default:
      return false;
  }
}
