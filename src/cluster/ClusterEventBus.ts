import type { ClusterEvent } from './events';
import { formatMember, type UniqueAddress } from './Member';

/** Receives cluster events; exceptions it throws are logged and do not disturb the cluster. */
export type ClusterEventHandler = (event: ClusterEvent) => void;

/** Where the cluster writes its log lines; the harness's `ctx.log` fits. */
export type ClusterLogger = (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/**
 * Queues events while the view changes and delivers them afterwards, in order, never re-entrantly:
 * a handler that calls back into the cluster (say, `leave()` on `MemberUp`) sees a consistent view,
 * and the events its call causes are delivered after the current ones.
 */
export class ClusterEventBus {
  private readonly handlers = new Set<ClusterEventHandler>();
  private readonly pending: ClusterEvent[] = [];
  private flushing = false;

  constructor(
    private readonly self: UniqueAddress,
    private readonly log: ClusterLogger,
  ) {}

  /** Adds a handler; returns a function that removes it. */
  subscribe(handler: ClusterEventHandler): () => void {
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }

  /** Queues events for the next `flush`. */
  publish(events: readonly ClusterEvent[]): void {
    this.pending.push(...events);
  }

  /** Logs and delivers every queued event, including ones queued by handlers meanwhile. */
  flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let event = this.pending.shift(); event; event = this.pending.shift()) {
        this.logEvent(event);
        for (const handler of [...this.handlers]) {
          try {
            handler(event);
          } catch (error) {
            this.log('error', `A cluster event handler threw on ${event.type}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private logEvent(event: ClusterEvent): void {
    const who = formatMember(this.self);
    switch (event.type) {
      case 'UnreachableMember':
        return this.log('warn', `${who} sees ${formatMember(event.member)} as unreachable.`);
      case 'ReachableMember':
        return this.log('info', `${who} sees ${formatMember(event.member)} as reachable again.`);
      case 'LeaderChanged':
        return this.log('debug', `${who} sees leader ${event.leader ? formatMember(event.leader) : 'none'}.`);
      case 'SelfDowned':
      case 'SelfRemoved':
        // The runtime logs its own stop with the reason.
        return;
      default:
        return this.log('info', `${who} sees ${formatMember(event.member)} as ${event.member.status}.`);
    }
  }
}
