import { UncloneableMessageError, channel, toUncloneableError, type Transport } from '../transport';
import { assertNever, describeValue } from '../util';
import type { ActorRef } from './ActorRef';
import { describeError } from './errors';
import type { ActorLogger } from './Logger';
import { reviveRefs, serializeRefs } from './refCodec';
import { isRemoteMessage } from './remoteProtocol';
import type { RemoteMessage, TellMessage } from './remoteProtocol';

/** @internal What remoting needs from the local runtime. */
export interface RemotingHost {
  readonly address: string;
  readonly systemLog: ActorLogger;
  reviveRef(node: string, path: string): ActorRef;
  deliverLocal(path: string, message: unknown, sender: ActorRef | undefined): void;
  acceptWatch(node: string, target: string, watcher: string): void;
  acceptUnwatch(node: string, target: string, watcher: string): void;
  acceptTerminated(node: string, target: string, watcher: string, existenceConfirmed: boolean): void;
}

function isCloneFailure(error: unknown): boolean {
  if (error instanceof UncloneableMessageError) return true;
  if (typeof error !== 'object' || error === null) return false;
  return (error as { code?: unknown }).code === 'UNCLONEABLE_MESSAGE' || (error as { name?: unknown }).name === 'DataCloneError';
}

/**
 * Actor messages between nodes, over a named channel of any `Transport`. Outgoing refs are
 * serialized and incoming ones revived against the local runtime; remote death watch is a
 * watch/unwatch/terminated exchange. Internal to the actor system.
 */
export class Remoting {
  private readonly host: RemotingHost;
  private readonly link: Transport;
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(host: RemotingHost, transport: Transport, channelName: string) {
    this.host = host;
    this.link = channel(transport, channelName);
    this.unsubscribe = this.link.onMessage((from, message) => this.receive(from, message));
  }

  /**
   * Sends an application message. Throws `UncloneableMessageError` naming the field (relative to
   * the message itself, not the envelope) and the transport's own programming errors.
   */
  tell(target: ActorRef, message: unknown, sender: ActorRef | undefined): void {
    if (this.closed) return;
    const frame: TellMessage = {
      type: 'tell',
      to: target.path,
      from: sender === undefined ? null : { node: sender.node, path: sender.path },
      body: serializeRefs(message),
    };
    try {
      this.link.send(target.node, frame);
    } catch (error) {
      if (isCloneFailure(error)) throw toUncloneableError(target.toString(), message, error);
      throw error;
    }
  }

  watch(target: ActorRef, watcherPath: string): void {
    this.post(target.node, { type: 'watch', target: target.path, watcher: watcherPath });
  }

  unwatch(target: ActorRef, watcherPath: string): void {
    this.post(target.node, { type: 'unwatch', target: target.path, watcher: watcherPath });
  }

  terminated(node: string, watcherPath: string, targetPath: string, existenceConfirmed: boolean): void {
    this.post(node, { type: 'terminated', target: targetPath, watcher: watcherPath, existenceConfirmed });
  }

  /** Stops receiving and drops everything sent from now on. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
  }

  private post(node: string, message: RemoteMessage): void {
    if (this.closed) return;
    this.link.send(node, message);
  }

  private receive(from: string, message: unknown): void {
    if (this.closed) return;
    if (!isRemoteMessage(message)) {
      this.host.systemLog.warn(`ignored a malformed remoting message from '${from}': ${describeValue(message)}`);
      return;
    }
    try {
      this.handle(from, message);
    } catch (error) {
      this.host.systemLog.error(`failed to handle a '${message.type}' remoting message from '${from}': ${describeError(error)}`);
    }
  }

  private handle(from: string, message: RemoteMessage): void {
    switch (message.type) {
      case 'tell': {
        const body = reviveRefs(message.body, (node, path) => this.host.reviveRef(node, path));
        const sender = message.from === null ? undefined : this.host.reviveRef(message.from.node, message.from.path);
        this.host.deliverLocal(message.to, body, sender);
        return;
      }
      case 'watch':
        this.host.acceptWatch(from, message.target, message.watcher);
        return;
      case 'unwatch':
        this.host.acceptUnwatch(from, message.target, message.watcher);
        return;
      case 'terminated':
        this.host.acceptTerminated(from, message.target, message.watcher, message.existenceConfirmed);
        return;
      default:
        assertNever(message, 'remoting message');
    }
  }
}
