import { Actor, describeMessageType, type ActorContext, type ActorRef } from '../../actors';
import { Cluster, formatMember, sameMember, type Member, type UniqueAddress } from '../../cluster';
import { oldestHost, type HostFilter } from './oldestHost';
import { CHECK, isSingletonMessage, managerPath, type Bounced, type Deliver, type Identified, type Identify, type ProxyMessage } from './protocol';
import type { SingletonRecord } from './SingletonRecord';
import type { ClusterSingletonSettings } from './settings';

/** How a proxy is set up: one per singleton name on every node. */
export interface ProxyConfig {
  readonly name: string;
  readonly allowed: HostFilter;
  readonly settings: ClusterSingletonSettings;
  readonly record: SingletonRecord;
}

interface Buffered {
  readonly seq: number;
  readonly message: unknown;
  readonly sender: ActorRef | undefined;
}

const IDENTIFY_TIMER = 'identify';
const IDENTIFY: Identify = Object.freeze({ $singleton: 'Identify' });

/**
 * Routes every message it receives to the singleton's current instance, keeping the sender, so
 * `ask(proxy, message)` works. It follows its own cluster view: when the oldest allowed member
 * changes, or the instance's host becomes unreachable, it stops sending there and buffers (up to
 * `bufferSize`, the oldest going to dead letters when full) while it asks the new oldest's manager
 * every `identifyIntervalMs`; once that manager answers, the buffer goes out in the order the
 * messages came in. Messages a former host returns (`Bounced`) are buffered again in their place;
 * one that comes back after the new host is known goes there at once, so it can arrive after
 * messages sent later (only messages sent to a host in the moment it hands over are returned).
 */
export class SingletonProxy extends Actor<unknown> {
  private host: UniqueAddress | undefined;
  private buffer: Buffered[] = [];
  private nextSeq = 0;
  /** Messages dropped since the buffer last emptied, for one summary line instead of one per message. */
  private dropped = 0;
  private unsubscribe: (() => void) | undefined;
  private cluster!: Cluster;

  constructor(private readonly config: ProxyConfig) {
    super();
  }

  override preStart(ctx: ActorContext<unknown>): void {
    this.cluster = Cluster.get(ctx.system);
    this.unsubscribe = this.cluster.onEvent(() => ctx.self.tell(CHECK));
    this.check(ctx);
  }

  override postStop(): void {
    this.unsubscribe?.();
    this.config.record.knownHost = undefined;
  }

  receive(message: unknown, ctx: ActorContext<unknown>): void {
    if (!isSingletonMessage(message)) {
      this.route({ seq: this.nextSeq++, message, sender: ctx.sender }, ctx);
      return;
    }
    const internal = message as ProxyMessage;
    switch (internal.$singleton) {
      case 'Check':
        this.check(ctx);
        return;
      case 'Identified':
        this.onIdentified(internal, ctx);
        return;
      case 'Bounced':
        this.onBounced(internal, ctx);
        return;
      default:
        // A user message that happens to carry the reserved key: route it like any other.
        this.route({ seq: this.nextSeq++, message, sender: ctx.sender }, ctx);
    }
  }

  private get name(): string {
    return this.config.name;
  }

  /** Where the instance belongs in this node's current view (none once its membership ended). */
  private target(): Member | undefined {
    const state = this.cluster.state();
    return state.phase === 'member' ? oldestHost(state, this.config.allowed) : undefined;
  }

  /** Whether `host` is still where the instance belongs, and reachable, in this node's view. */
  private stillHosts(host: UniqueAddress, target = this.target()): boolean {
    return target !== undefined && sameMember(target, host) && target.reachable;
  }

  /** Re-reads the cluster view: forgets a host that is no longer the oldest or is unreachable, and looks for one. */
  private check(ctx: ActorContext<unknown>): void {
    const target = this.target();
    if (this.host !== undefined) {
      if (this.stillHosts(this.host, target)) return;
      const why = target === undefined ? 'no member may host it now' : sameMember(target, this.host) ? 'it is unreachable' : `${formatMember(target)} is now the oldest`;
      this.lose(`${formatMember(this.host)} no longer hosts it in this node's view (${why})`, ctx);
    }
    if (target === undefined || !target.reachable) {
      ctx.timers.cancel(IDENTIFY_TIMER);
      return;
    }
    ctx.system.refFor(target.address, managerPath(this.name)).tell(IDENTIFY, ctx.self);
    if (!ctx.timers.isTimerActive(IDENTIFY_TIMER)) ctx.timers.startTimerWithFixedDelay(IDENTIFY_TIMER, CHECK, this.config.settings.identifyIntervalMs);
  }

  private onIdentified(message: Identified, ctx: ActorContext<unknown>): void {
    const target = this.target();
    if (this.host !== undefined || target === undefined || !sameMember(target, message.host)) return;
    this.host = message.host;
    this.config.record.knownHost = message.host.address;
    ctx.timers.cancel(IDENTIFY_TIMER);
    const buffered = this.buffer;
    this.buffer = [];
    if (buffered.length > 0 || this.dropped > 0) {
      ctx.log.info(
        `singleton proxy '${this.name}' found the instance on ${formatMember(message.host)}; delivering ${buffered.length} buffered message(s)` +
          (this.dropped > 0 ? ` (${this.dropped} more were dropped to dead letters while the buffer was full)` : ''),
      );
    }
    this.dropped = 0;
    for (const entry of buffered) this.send(entry, ctx);
  }

  private onBounced(message: Bounced, ctx: ActorContext<unknown>): void {
    const from = ctx.sender?.node;
    if (this.host !== undefined && from === this.host.address) this.lose(`${formatMember(this.host)} returned a message: it no longer hosts the instance`, ctx);
    this.route({ seq: message.seq, message: message.message, sender: message.sender }, ctx);
    this.check(ctx);
  }

  private lose(reason: string, ctx: ActorContext<unknown>): void {
    ctx.log.debug(`singleton proxy '${this.name}' buffers from now on: ${reason}`);
    this.host = undefined;
    this.config.record.knownHost = undefined;
  }

  private route(entry: Buffered, ctx: ActorContext<unknown>): void {
    // The view may have moved on since the last Check (queued behind this message): never send to a
    // host this node already knows is leaving, or gone. A host that has left and stopped its actors
    // would drop the message instead of returning it.
    if (this.host !== undefined && !this.stillHosts(this.host)) this.check(ctx);
    if (this.host !== undefined) this.send(entry, ctx);
    else this.enqueue(entry, ctx);
  }

  private send(entry: Buffered, ctx: ActorContext<unknown>): void {
    const host = this.host as UniqueAddress;
    const deliver: Deliver = { $singleton: 'Deliver', seq: entry.seq, message: entry.message, sender: entry.sender };
    try {
      ctx.system.refFor(host.address, managerPath(this.name)).tell(deliver, ctx.self);
    } catch (error) {
      ctx.log.error(`singleton proxy '${this.name}' could not send a ${describeMessageType(entry.message)} message to ${formatMember(host)}: ${String(error)}`);
      this.deadLetter(entry, `it could not be sent to ${formatMember(host)}: ${String(error)}`, ctx);
    }
  }

  /** Buffers `entry` in sequence order; when the buffer is full, the oldest message goes to dead letters. */
  private enqueue(entry: Buffered, ctx: ActorContext<unknown>): void {
    let at = this.buffer.length;
    while (at > 0 && this.buffer[at - 1].seq > entry.seq) at--;
    this.buffer.splice(at, 0, entry);
    const { bufferSize } = this.config.settings;
    while (this.buffer.length > bufferSize) {
      const oldest = this.buffer.shift() as Buffered;
      const full = `is full (bufferSize ${bufferSize}) while no instance is known`;
      if (this.dropped === 0) {
        ctx.log.warn(`singleton proxy '${this.name}' dropped its oldest buffered ${describeMessageType(oldest.message)} message to dead letters: its buffer ${full}`);
      }
      this.dropped++;
      this.deadLetter(oldest, `the buffer of singleton proxy '${this.name}' ${full}`, ctx);
    }
  }

  private deadLetter(entry: Buffered, reason: string, ctx: ActorContext<unknown>): void {
    ctx.system.eventStream.publish({ type: 'DeadLetter', message: entry.message, sender: entry.sender, recipient: ctx.self, reason });
  }
}
