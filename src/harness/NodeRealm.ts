import { MessageChannel, MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { NodeFactory } from '../node';
import { NodeError } from './errors';

/** One end of a node link as the link endpoint uses it, whichever realm its messages arrive in. */
export interface LinkPort {
  postMessage(value: unknown): void;
  /** Starts delivery; `handler` receives every message that arrives after this call. */
  listen(handler: (value: unknown) => void): void;
  close(): void;
}

/**
 * Where a role's node lives: the realm (module registry and globals) its factory is loaded into, and
 * how values reach that realm. In a Jest role this is the role's own test sandbox, so that the node
 * and its copy of the test file share one copy of every library and values arriving from links are
 * objects of the test's realm.
 */
export interface NodeRealm {
  /** Loads the node factory in this realm (memoized by the caller's module registry). */
  loadFactory(): Promise<NodeFactory>;
  /** Re-homes a link port so that the messages it receives are made of this realm's objects. */
  adoptPort(port: MessagePort): LinkPort;
  /** A structured-clone copy of `value` made of this realm's objects (throws DataCloneError). */
  copy<T>(value: T): T;
  /** True once the realm is gone (its role's file has ended): nothing can be delivered into it. */
  isClosed?(): boolean;
}

/** A port used as it is: messages arrive as objects of the realm that created the port. */
export function plainLinkPort(port: MessagePort): LinkPort {
  return {
    postMessage: (value) => port.postMessage(value),
    listen: (handler) => port.on('message', handler),
    close: () => port.close(),
  };
}

/** The realm the harness itself runs in: plain ports, the global structured clone. */
export function harnessRealm(loadFactory: () => Promise<NodeFactory>): NodeRealm {
  return { loadFactory, adoptPort: plainLinkPort, copy: (value) => structuredClone(value) };
}

/**
 * A synchronous structured-clone copy into another realm: post `value` on one end of a channel whose
 * other end was moved into that realm, and take it off at once.
 */
export function realmCopier(moveIntoRealm: (port: MessagePort) => MessagePort): { copy<T>(value: T): T; close(): void; isClosed(): boolean } {
  const channel = new MessageChannel();
  const inside = moveIntoRealm(channel.port2);
  // Nothing waits on this channel: it must not keep the thread alive. Neither end may: a port moved
  // into a context is referenced again, and a simulated role that was ended never closes its realm.
  channel.port1.unref();
  MessagePort.prototype.unref.call(inside);
  let closed = false;
  return {
    copy<T>(value: T): T {
      if (closed) throw new NodeError('A value was sent into a test realm that was already closed (the role\'s file has ended); nothing can be delivered to its node any more.');
      channel.port1.postMessage(value);
      return (receiveMessageOnPort(inside) as { message: T }).message;
    },
    close: () => {
      closed = true;
      channel.port1.close();
    },
    isClosed: () => closed,
  };
}

/**
 * Holds a role's node realm: a session exists before its test's realm does (a role thread connects
 * to the lead while Jest is still creating the role's environment), so the environment fills it in.
 */
export class RealmSlot {
  private realm: NodeRealm | null = null;

  /** Sets the realm; the first call wins. */
  set(realm: NodeRealm): void {
    this.realm ??= realm;
  }

  /** The realm; throws when the environment has not given one yet. */
  readonly get = (): NodeRealm => {
    if (this.realm === null) throw new NodeError('The node was started before its test realm existed; the environment must call realm.set() in its constructor.');
    return this.realm;
  };
}
