import { createRng, systemClock, type Clock, type Rng } from '../util';
import { cloneForSend } from './cloneCheck';
import { HandlerSet } from './HandlerSet';
import { AddressInUseError, InvalidLinkFaultError, UnknownAddressError } from './errors';
import type { ClosableTransport, MessageHandler } from './Transport';

/** Runs a task soon, after the current one. */
export type TaskDispatcher = (task: () => void) => void;

/** Options of an `InMemoryNetwork`. */
export interface InMemoryNetworkOptions {
  /**
   * Addresses that are valid destinations before their transport exists (sends to them are
   * dropped until then). Without it, only addresses that have had a transport are known.
   */
  readonly addresses?: readonly string[];
  /** Drives `drop` faults; defaults to a generator seeded with 0, so runs repeat. */
  readonly rng?: Rng;
  /** Drives `delay` faults; defaults to the real clock. */
  readonly clock?: Clock;
  /**
   * Runs each delivery as its own task. Defaults to `setImmediate`, which keeps delivery
   * asynchronous without starving timers and I/O the way microtasks would.
   */
  readonly dispatch?: TaskDispatcher;
}

interface Pending {
  readonly target: InMemoryTransport;
  readonly from: string;
  readonly message: unknown;
  readonly dueAt: number;
}

interface Link {
  cut: boolean;
  dropProbability: number;
  delayMs: number;
  readonly queue: Pending[];
  pumping: boolean;
}

type Side = string | readonly string[];

const defaultDispatch: TaskDispatcher = (task) => {
  setImmediate(task);
};

/**
 * A network of transports inside one thread, for unit and runtime tests. Delivery is asynchronous,
 * messages are structured-cloned at send (so an uncloneable message throws at once, naming the
 * field) and every directed link is FIFO. Test hooks cut, delay or drop links and remove nodes.
 *
 * Faults apply when a message is sent: a message already queued keeps its delay and is delivered
 * even if the link is cut afterwards, unless its destination node was removed.
 */
export class InMemoryNetwork {
  private readonly live = new Map<string, InMemoryTransport>();
  private readonly known = new Set<string>();
  private readonly links = new Map<string, Link>();
  private readonly rng: Rng;
  private readonly clock: Clock;
  private readonly dispatch: TaskDispatcher;
  private pendingCount = 0;

  constructor(options: InMemoryNetworkOptions = {}) {
    for (const address of options.addresses ?? []) this.known.add(address);
    this.rng = options.rng ?? createRng(0);
    this.clock = options.clock ?? systemClock;
    this.dispatch = options.dispatch ?? defaultDispatch;
  }

  /**
   * Creates the transport of node `address`. Throws `AddressInUseError` while a live transport has
   * that address; after `removeNode` or `close`, calling it again starts a new incarnation.
   */
  transport(address: string): InMemoryTransport {
    if (this.live.has(address)) throw new AddressInUseError(address);
    const transport = new InMemoryTransport(address, this);
    this.live.set(address, transport);
    this.known.add(address);
    return transport;
  }

  /** Every address this network knows (declared, live or removed), sorted. */
  get addresses(): string[] {
    return [...this.known].sort();
  }

  /** Whether `address` has a live transport. */
  isLive(address: string): boolean {
    return this.live.has(address);
  }

  /** Messages sent and not yet delivered or discarded; 0 means the network is quiet. */
  get inFlight(): number {
    return this.pendingCount;
  }

  /** Cuts every link between `sideA` and `sideB`, in both directions. */
  partition(sideA: Side, sideB: Side): void {
    this.forPairs(sideA, sideB, (from, to) => {
      this.link(from, to).cut = true;
      this.link(to, from).cut = true;
    });
  }

  /** Cuts `from -> to` only; `to -> from` still flows. */
  blackhole(from: string, to: string): void {
    this.forPairs(from, to, (a, b) => {
      this.link(a, b).cut = true;
    });
  }

  /** Drops each message sent on `from -> to` with `probability` (seeded), in [0, 1]. */
  drop(from: string, to: string, probability: number): void {
    if (!(probability >= 0 && probability <= 1)) {
      throw new InvalidLinkFaultError(`A drop probability must be in [0, 1]; it was given ${String(probability)} for '${from}' -> '${to}'.`);
    }
    this.forPairs(from, to, (a, b) => {
      this.link(a, b).dropProbability = probability;
    });
  }

  /** Delays each message sent on `from -> to` by `delayMs` on the network's clock; FIFO is kept. */
  delay(from: string, to: string, delayMs: number): void {
    if (!(delayMs >= 0) || !Number.isFinite(delayMs)) {
      throw new InvalidLinkFaultError(`A link delay must be a finite number of ms >= 0; it was given ${String(delayMs)} for '${from}' -> '${to}'.`);
    }
    this.forPairs(from, to, (a, b) => {
      this.link(a, b).delayMs = delayMs;
    });
  }

  /**
   * Clears link faults: with no arguments every fault, with one side every link touching it, with
   * two sides the links between them in both directions.
   */
  heal(sideA?: Side, sideB?: Side): void {
    for (const [key, link] of this.links) {
      const [from, to] = key.split('\u0000') as [string, string];
      const a = sideA === undefined ? undefined : new Set(typeof sideA === 'string' ? [sideA] : sideA);
      const b = sideB === undefined ? undefined : new Set(typeof sideB === 'string' ? [sideB] : sideB);
      const touches =
        a === undefined ||
        (b === undefined ? a.has(from) || a.has(to) : (a.has(from) && b.has(to)) || (b.has(from) && a.has(to)));
      if (!touches) continue;
      link.cut = false;
      link.dropProbability = 0;
      link.delayMs = 0;
    }
  }

  /**
   * Removes node `address` as if it crashed: its transport stops sending and receiving, messages to
   * it (including those in flight) are dropped, and the address stays known.
   */
  removeNode(address: string): void {
    this.live.get(address)?.close();
  }

  /** @internal Called by a transport's `send`. */
  send(from: InMemoryTransport, to: string, message: unknown): void {
    if (!this.known.has(to)) throw new UnknownAddressError(to, [...this.known]);
    const copy = cloneForSend(to, message);
    if (from.isClosed) return;
    const target = this.live.get(to);
    if (target === undefined) return;
    const link = this.link(from.self, to);
    if (to !== from.self) {
      if (link.cut) return;
      if (link.dropProbability > 0 && this.rng.next() < link.dropProbability) return;
    }
    const dueAt = to !== from.self && link.delayMs > 0 ? this.clock.now() + link.delayMs : 0;
    link.queue.push({ target, from: from.self, message: copy, dueAt });
    this.pendingCount++;
    this.pump(link);
  }

  /** @internal Called by a transport's `close`. */
  detach(transport: InMemoryTransport): void {
    if (this.live.get(transport.self) === transport) this.live.delete(transport.self);
  }

  private pump(link: Link): void {
    if (link.pumping) return;
    const head = link.queue[0];
    if (head === undefined) return;
    link.pumping = true;
    const waitMs = head.dueAt === 0 ? 0 : head.dueAt - this.clock.now();
    const deliverHead = (): void => {
      link.pumping = false;
      const pending = link.queue.shift();
      try {
        if (pending !== undefined) {
          this.pendingCount--;
          pending.target.deliver(pending.from, pending.message);
        }
      } finally {
        // A handler that throws must not stall the rest of the link.
        this.pump(link);
      }
    };
    if (waitMs > 0) this.clock.schedule(waitMs, deliverHead);
    else this.dispatch(deliverHead);
  }

  private link(from: string, to: string): Link {
    const key = `${from}\u0000${to}`;
    let link = this.links.get(key);
    if (link === undefined) {
      link = { cut: false, dropProbability: 0, delayMs: 0, queue: [], pumping: false };
      this.links.set(key, link);
    }
    return link;
  }

  private forPairs(sideA: Side, sideB: Side, fn: (from: string, to: string) => void): void {
    const a = typeof sideA === 'string' ? [sideA] : sideA;
    const b = typeof sideB === 'string' ? [sideB] : sideB;
    for (const address of [...a, ...b]) {
      if (!this.known.has(address)) throw new UnknownAddressError(address, [...this.known]);
    }
    for (const from of a) for (const to of b) if (from !== to) fn(from, to);
  }
}

/**
 * One node's end of an `InMemoryNetwork`. Create it with `network.transport(address)`; `close()`
 * (or `network.removeNode`) takes the node off the network.
 */
export class InMemoryTransport implements ClosableTransport {
  readonly self: string;
  private readonly network: InMemoryNetwork;
  private readonly handlers = new HandlerSet();
  private closed = false;

  /** @internal Use `InMemoryNetwork.transport`. */
  constructor(self: string, network: InMemoryNetwork) {
    this.self = self;
    this.network = network;
  }

  /** Whether `close` was called (or the node was removed). */
  get isClosed(): boolean {
    return this.closed;
  }

  send(to: string, message: unknown): void {
    this.network.send(this, to, message);
  }

  onMessage(handler: MessageHandler): () => void {
    return this.handlers.subscribe(handler);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    this.network.detach(this);
  }

  /** @internal Hands a message to every handler; a throwing handler does not starve the others. */
  deliver(from: string, message: unknown): void {
    if (!this.closed) this.handlers.deliver(from, message);
  }
}
