import type { MessagePort } from 'node:worker_threads';
import { assertNever } from '../util';
import { cloneForSend, toUncloneableError } from './cloneCheck';
import { HandlerSet } from './HandlerSet';
import { InvalidTransportConfigError, UnknownAddressError } from './errors';
import type { TaskDispatcher } from './InMemoryTransport';
import { isPortFrame } from './portProtocol';
import type { PortFrame } from './portProtocol';
import type { ClosableTransport, MessageHandler } from './Transport';

/**
 * A node with its own port to each peer (full mesh), or the hub of a star when `relay` is true:
 * frames that reach the hub for another peer are forwarded on that peer's port.
 */
export interface MeshTransportOptions {
  /** This node's address. */
  readonly self: string;
  /** One port per peer address; each port's other end belongs to that peer. */
  readonly peers: Readonly<Record<string, MessagePort>>;
  /** Forward frames addressed to another peer (star hub). Default false. */
  readonly relay?: boolean;
  /** Runs self-deliveries; defaults to `setImmediate`. */
  readonly dispatch?: TaskDispatcher;
}

/** A spoke of a star: one port to the hub, which relays to the other spokes. */
export interface SpokeTransportOptions {
  /** This node's address. */
  readonly self: string;
  /** The hub's address. */
  readonly hub: string;
  /** The port whose other end belongs to the hub. */
  readonly hubPort: MessagePort;
  /** The other spokes reachable through the hub (this node's own address is ignored). */
  readonly spokes: readonly string[];
  /** Runs self-deliveries; defaults to `setImmediate`. */
  readonly dispatch?: TaskDispatcher;
}

/** Options of a `MessageChannelTransport`: a mesh node or star hub, or a star spoke. */
export type MessageChannelTransportOptions = MeshTransportOptions | SpokeTransportOptions;

const defaultDispatch: TaskDispatcher = (task) => {
  setImmediate(task);
};

/**
 * A `Transport` over `worker_threads` MessagePorts, for running actor systems in a worker mesh
 * outside the test harness. Messages are structured-cloned by `postMessage`; a message that cannot
 * be cloned throws `UncloneableMessageError` naming the field. Each port is FIFO.
 *
 * Gotcha: ports keep the thread alive while the transport is open; call `close()` when the node
 * stops. Closing a port also closes its other end, so peers then drop what they send to this node.
 */
export class MessageChannelTransport implements ClosableTransport {
  readonly self: string;
  private readonly routes = new Map<string, MessagePort>();
  private readonly ports = new Set<MessagePort>();
  private readonly handlers = new HandlerSet();
  private readonly relay: boolean;
  private readonly dispatch: TaskDispatcher;
  private closed = false;

  constructor(options: MessageChannelTransportOptions) {
    this.self = options.self;
    this.dispatch = options.dispatch ?? defaultDispatch;
    if ('hubPort' in options) {
      if (options.hub === options.self) {
        throw new InvalidTransportConfigError(`A spoke cannot be its own hub: both self and hub are '${options.self}'.`);
      }
      this.relay = false;
      this.routes.set(options.hub, options.hubPort);
      for (const spoke of options.spokes) if (spoke !== options.self) this.routes.set(spoke, options.hubPort);
      this.attach(options.hubPort);
    } else {
      this.relay = options.relay ?? false;
      for (const [peer, port] of Object.entries(options.peers)) {
        if (peer === options.self) {
          throw new InvalidTransportConfigError(`The peers of '${options.self}' include '${peer}' itself; a node needs no port to itself.`);
        }
        this.routes.set(peer, port);
        this.attach(port);
      }
    }
  }

  /** Every address this transport can send to, including its own, sorted. */
  get addresses(): string[] {
    return [this.self, ...this.routes.keys()].sort();
  }

  send(to: string, message: unknown): void {
    if (to === this.self) {
      this.sendToSelf(message);
      return;
    }
    const port = this.routes.get(to);
    if (port === undefined) throw new UnknownAddressError(to, this.addresses);
    if (this.closed) return;
    const frame: PortFrame = { type: 'data', from: this.self, to, body: message };
    try {
      port.postMessage(frame);
    } catch (error) {
      throw toUncloneableError(to, message, error);
    }
  }

  onMessage(handler: MessageHandler): () => void {
    return this.handlers.subscribe(handler);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    for (const port of this.ports) {
      port.removeAllListeners('message');
      port.close();
    }
  }

  private sendToSelf(message: unknown): void {
    const copy = cloneForSend(this.self, message);
    if (this.closed) return;
    this.dispatch(() => this.deliver(this.self, copy));
  }

  private attach(port: MessagePort): void {
    if (this.ports.has(port)) return;
    this.ports.add(port);
    port.on('message', (data: unknown) => this.onFrame(data));
  }

  private onFrame(data: unknown): void {
    if (this.closed || !isPortFrame(data)) return;
    switch (data.type) {
      case 'data':
        if (data.to === this.self) this.deliver(data.from, data.body);
        else if (this.relay) this.routes.get(data.to)?.postMessage(data);
        return;
      default:
        assertNever(data.type, 'port frame type');
    }
  }

  private deliver(from: string, message: unknown): void {
    if (!this.closed) this.handlers.deliver(from, message);
  }
}
