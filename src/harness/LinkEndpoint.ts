import type { Clock, Rng } from '../util';
import { HandlerSet, cloneForSend, toUncloneableError, type MessageHandler, type Transport } from '../transport';
import { LINK_BLACKHOLED, LINK_PARTITIONED, type FaultTable, type LinkFaults } from './FaultTable';
import type { TraceBuffer } from './TraceBuffer';
import { NodeError, UnknownRoleError } from './errors';
import type { LinkPort, NodeRealm } from './NodeRealm';
import type { LinkEnd } from './RoleRunner';

/** What crosses a node link: the message plus what the trace needs to pair send and receipt. */
interface LinkEnvelope {
  readonly from: string;
  readonly seq: number;
  readonly lamport: number;
  readonly payload: unknown;
}

/**
 * One role's end of the node-to-node mesh: a link end per peer (see `RoleRunner`), the fault table read at send
 * time, and the transport handed to the current incarnation of the role's node. Faults apply at
 * the sender; a message in flight keeps the delay it was given. Crash cuts both directions: senders
 * see the crashed state, and a crashed receiver drops what arrives.
 */
export class LinkEndpoint {
  private readonly indexOf = new Map<string, number>();
  private readonly selfIndex: number;
  private seq = 0;
  private current: IncarnationTransport | null = null;
  private readonly pending = new Set<{ cancel(): void }>();
  private closed = false;
  /** The ports in the node's realm, once `connect` has moved them there. */
  private linkPorts: Map<string, LinkPort> | null = null;
  private realm: NodeRealm | null = null;

  constructor(
    readonly role: string,
    private readonly roles: readonly string[],
    private readonly ports: ReadonlyMap<string, LinkEnd>,
    private readonly table: FaultTable,
    private readonly clock: Clock,
    private readonly rng: Rng,
    private readonly trace: TraceBuffer,
  ) {
    roles.forEach((r, i) => this.indexOf.set(r, i));
    this.selfIndex = this.indexOf.get(role) ?? -1;
  }

  /**
   * Has the node's realm adopt the link ends and starts receiving; the first call wins. Messages sent
   * before it wait in the links.
   */
  connect(realm: NodeRealm): void {
    if (this.linkPorts !== null || this.closed) return;
    this.realm = realm;
    this.linkPorts = new Map();
    for (const [peer, end] of this.ports) {
      const adopted = end.adopt(realm);
      adopted.listen((envelope) => this.receive(peer, envelope as LinkEnvelope));
      this.linkPorts.set(peer, adopted);
    }
  }

  /** A fresh transport for a new incarnation; the previous one goes dead. Call `connect` first. */
  open(): Transport {
    if (this.linkPorts === null) throw new NodeError(`The links of role '${this.role}' were opened before they were connected to the node's realm.`);
    this.current?.kill();
    this.current = new IncarnationTransport(this);
    return this.current;
  }

  /** Kills the current incarnation's transport: it neither sends nor receives any more. */
  cut(): void {
    this.current?.kill();
    this.current = null;
  }

  /** Closes every port and cancels delayed sends; the endpoint cannot be used after this. */
  close(): void {
    this.closed = true;
    this.cut();
    for (const timer of this.pending) timer.cancel();
    this.pending.clear();
    if (this.linkPorts === null) for (const port of this.ports.values()) port.close();
    else for (const port of this.linkPorts.values()) port.close();
  }

  /** Sends on behalf of `sender`, applying the faults in force right now. */
  send(sender: IncarnationTransport, to: string, message: unknown): void {
    const toIndex = this.indexOf.get(to);
    if (toIndex === undefined) throw new UnknownRoleError([to], this.roles, `transport.send from '${this.role}'`);
    if (!sender.alive || this.closed) return;
    const lamport = this.trace.tick();
    const seq = ++this.seq;
    const time = this.clock.now();
    if (to === this.role) {
      const copy = this.copyForSelf(message);
      const handle = this.clock.schedule(0, () => {
        this.pending.delete(handle);
        this.deliver(this.role, { from: this.role, seq, lamport, payload: copy });
      });
      this.pending.add(handle);
      this.record(to, seq, lamport, time, null, 0, message);
      return;
    }
    const faults = this.table.isLinkClean(this.selfIndex, toIndex) ? null : this.table.linkFaults(this.selfIndex, toIndex);
    const dropped = this.faultFor(toIndex, faults);
    if (dropped !== null) {
      // Programming errors must surface even when the network would have dropped the message.
      cloneForSend(to, message);
      this.record(to, seq, lamport, time, dropped, 0, message);
      return;
    }
    const delayMs = faults !== null && faults.delayMaxMs > 0 ? faults.delayMinMs + this.rng.next() * (faults.delayMaxMs - faults.delayMinMs) : 0;
    const port = this.linkPorts!.get(to)!;
    if (delayMs > 0) {
      const envelope: LinkEnvelope = { from: this.role, seq, lamport, payload: cloneForSend(to, message) };
      const handle = this.clock.schedule(delayMs, () => {
        this.pending.delete(handle);
        if (!this.closed) port.postMessage(envelope);
      });
      this.pending.add(handle);
    } else {
      try {
        port.postMessage({ from: this.role, seq, lamport, payload: message } satisfies LinkEnvelope);
      } catch (error) {
        throw toUncloneableError(to, message, error);
      }
    }
    this.record(to, seq, lamport, time, null, delayMs, message);
  }

  /** A message to itself is copied straight into the node's realm, as a link would deliver it. */
  private copyForSelf(message: unknown): unknown {
    try {
      return this.realm!.copy(message);
    } catch (error) {
      if (error instanceof NodeError) throw error;
      throw toUncloneableError(this.role, message, error);
    }
  }

  /** Why a message on the link to `toIndex`, with `faults` on it (null: none), is lost, or null. */
  private faultFor(toIndex: number, faults: LinkFaults | null): 'partition' | 'blackhole' | 'drop' | 'crashed' | null {
    if (this.table.nodeState(this.selfIndex) !== 'running' || this.table.nodeState(toIndex) !== 'running') return 'crashed';
    if (faults === null) return null;
    if (faults.flags & LINK_PARTITIONED) return 'partition';
    if (faults.flags & LINK_BLACKHOLED) return 'blackhole';
    if (faults.dropProbability > 0 && this.rng.next() < faults.dropProbability) return 'drop';
    return null;
  }

  private record(
    to: string,
    seq: number,
    lamport: number,
    time: number,
    dropped: 'partition' | 'blackhole' | 'drop' | 'crashed' | null,
    delayMs: number,
    message: unknown,
  ): void {
    this.trace.message({ type: 'msg-send', time, role: this.role, lamport, test: this.trace.currentTest, to, seq, dropped, delayMs, preview: previewOf(message) });
  }

  private receive(peer: string, envelope: LinkEnvelope): void {
    if (this.closed || this.table.nodeState(this.selfIndex) !== 'running') return;
    this.deliver(peer, envelope);
  }

  private deliver(from: string, envelope: LinkEnvelope): void {
    const target = this.current;
    if (target === null || !target.alive) return;
    const lamport = from === this.role ? this.trace.tick() : this.trace.receive(envelope.lamport);
    this.trace.message({ type: 'msg-recv', time: this.clock.now(), role: this.role, lamport, from, seq: envelope.seq });
    target.dispatch(from, envelope.payload);
  }
}

/** The transport of one incarnation of a node. */
class IncarnationTransport implements Transport {
  alive = true;
  private readonly handlers = new HandlerSet();

  constructor(private readonly endpoint: LinkEndpoint) {}

  get self(): string {
    return this.endpoint.role;
  }

  send(to: string, message: unknown): void {
    this.endpoint.send(this, to, message);
  }

  onMessage(handler: MessageHandler): () => void {
    return this.handlers.subscribe(handler);
  }

  dispatch(from: string, payload: unknown): void {
    this.handlers.deliver(from, payload);
  }

  kill(): void {
    this.alive = false;
    this.handlers.clear();
  }
}

/** A cheap label for a message: channel and `type` fields, never a full serialization. */
export function previewOf(message: unknown, depth = 0): string {
  if (typeof message !== 'object' || message === null) return typeof message === 'string' ? JSON.stringify(message.slice(0, 40)) : String(message);
  const record = message as Record<string, unknown>;
  if (depth < 3 && typeof record.ch === 'string' && 'm' in record) return `${record.ch}:${previewOf(record.m, depth + 1)}`;
  if (typeof record.type === 'string') return record.type;
  if (typeof record.kind === 'string') return record.kind;
  return Array.isArray(message) ? `array(${message.length})` : 'object';
}
