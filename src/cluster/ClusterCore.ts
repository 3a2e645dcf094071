import type { Transport } from '../transport';
import { type Clock, type Rng, deferred, type Deferred } from '../util';
import { ClusterStoppedError, LeaveFailedError } from './errors';
import { ClusterEventBus, type ClusterLogger } from './ClusterEventBus';
import type { ClusterPhase } from './ClusterState';
import { diffEvents } from './events';
import { EMPTY_GOSSIP, findMember, gossipDigest, markSeen, mergeGossip, raiseMember, withContent } from './Gossip';
import type { Gossip, GossipContent } from './Gossip';
import { HeartbeatMonitor } from './HeartbeatMonitor';
import { leaderActions } from './leaderActions';
import { formatMember, sameMember, type UniqueAddress } from './Member';
import type { ClusterMessage } from './protocol';
import type { ClusterSettings } from './settings';
import { TimerGroup } from './TimerGroup';

/** How a node's membership ended; decides the events published and how a pending `leave()` settles. */
export type StopKind = 'aborted' | 'downed' | 'removed' | 'join-failed';

/**
 * The state of one cluster node and the only code that changes it. `Cluster` (the public face),
 * `Joining` and `MemberDuties` decide what to do; every change of the view goes through `commit`,
 * which derives events, re-syncs heartbeat monitoring and notices when this node itself is downed
 * or removed. Internal to the cluster folder.
 */
export class ClusterCore {
  readonly timers: TimerGroup;
  readonly events: ClusterEventBus;
  readonly heartbeats: HeartbeatMonitor;
  /** Settles once: resolved when this node is Up in its own view, rejected if it never gets there. */
  readonly up = deferred<void>();
  readonly startedAt: number;
  gossip: Gossip = EMPTY_GOSSIP;
  phase: ClusterPhase = 'contacting-seeds';
  /** Set by the first `leave()`; settled when the membership stops. */
  leaving: Deferred<void> | undefined;
  /** Why this node downs itself, when it decided so (a downing from elsewhere arrives by gossip). */
  selfDownReason: string | undefined;
  stopDescription: string | undefined;
  private unsubscribe: (() => void) | undefined;
  private cachedDigest: { gossip: Gossip; digest: string } | undefined;

  constructor(
    readonly self: UniqueAddress,
    readonly settings: ClusterSettings,
    private readonly transport: Transport,
    readonly clock: Clock,
    readonly rng: Rng,
    readonly log: ClusterLogger,
  ) {
    this.heartbeats = new HeartbeatMonitor(self, settings.unreachableAfterMs, settings.heartbeatIntervalMs, settings.monitoredByNrOfMembers, clock, (to, message) => this.send(to, message));
    this.startedAt = clock.now();
    this.timers = new TimerGroup(clock, (fn) => this.entryPoint(fn));
    this.events = new ClusterEventBus(self, log);
  }

  /** Subscribes to the transport until the membership stops. */
  listen(handler: (from: string, message: unknown) => void): void {
    this.unsubscribe = this.transport.onMessage(handler);
  }

  // ---------------------------------------------------------------- state changes

  mergeIn(incoming: Gossip): void {
    this.commit(markSeen(mergeGossip(this.gossip, incoming), this.self));
    this.runLeaderActions();
  }

  changeContent(content: GossipContent): void {
    this.commit(withContent(this.gossip, content, this.self));
  }

  downMembers(members: readonly UniqueAddress[]): void {
    let content = this.gossip.content;
    for (const member of members) content = raiseMember(content, member, 'down');
    this.changeContent(content);
    this.runLeaderActions();
  }

  /** Runs the leader's moves until there is nothing left that the current convergence allows. */
  runLeaderActions(): void {
    for (let step = 0; step < 8 && this.phase === 'member'; step++) {
      const result = leaderActions(this.gossip, this.self);
      if (!result) return;
      for (const t of result.transitions) {
        this.log('debug', `Leader ${formatMember(this.self)} moves ${formatMember(t.member)} from ${t.from} to ${t.to}.`);
      }
      this.changeContent(result.content);
      // A removed member stops gossiping with us, so tell it directly; a leaving node waits for this.
      for (const t of result.transitions) if (t.to === 'removed' && !sameMember(t.member, this.self)) this.sendGossip(t.member.address);
    }
  }

  /** The single place where the view changes: derives events, re-syncs monitoring, checks self. */
  commit(next: Gossip): void {
    const before = this.gossip;
    this.gossip = next;
    if (before === next) return;
    this.events.publish(diffEvents(before, next, this.self));
    this.heartbeats.sync(next.content);
    const status = findMember(next.content, this.self)?.status;
    if (status === 'up') this.up.resolve();
    if (status === 'down') this.halt('downed', this.selfDownReason ?? 'another member downed this node (learned from gossip)');
    // Removed without having asked to leave means downed, then removed before the news arrived.
    else if (status === 'removed' && this.leaving) this.halt('removed', 'removed from the cluster after leaving');
    else if (status === 'removed') this.halt('downed', this.selfDownReason ?? 'another member downed and removed this node (learned from gossip)');
  }

  /** Ends the membership for good: timers cancelled, transport unsubscribed, pending promises settled. */
  halt(kind: StopKind, description: string): void {
    if (this.phase === 'stopped') return;
    if (kind === 'downed') {
      // Tell every member we know at once, so the rest of a losing side learns without waiting.
      for (const m of this.gossip.content.members) {
        if (!sameMember(m, this.self) && m.status !== 'removed') this.sendGossip(m.address);
      }
    }
    this.phase = 'stopped';
    this.stopDescription = description;
    this.timers.cancelAll();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const who = formatMember(this.self);
    if (kind === 'downed') this.events.publish([{ type: 'SelfDowned', reason: description }]);
    if (kind === 'removed') this.events.publish([{ type: 'SelfRemoved' }]);
    this.log(kind === 'downed' ? 'warn' : 'info', `${who} stopped its cluster membership: ${description}.`);
    this.up.reject(new ClusterStoppedError(`${who} stopped before it became Up: ${description}.`));
    if (kind === 'removed') this.leaving?.resolve();
    else if (kind === 'downed') this.leaving?.reject(new LeaveFailedError('CLUSTER_DOWNED_WHILE_LEAVING', `${who} was downed while leaving: ${description}.`));
    else this.leaving?.reject(new ClusterStoppedError(`${who} stopped before it was removed: ${description}.`));
  }

  // ---------------------------------------------------------------- plumbing

  /** Runs `fn` as one step of work, then delivers the events it produced. Errors are logged, not thrown. */
  entryPoint(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log('error', `Cluster ${formatMember(this.self)} failed internally: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    this.events.flush();
  }

  send(to: string, message: ClusterMessage): void {
    try {
      this.transport.send(to, message);
    } catch (error) {
      this.log('error', `${formatMember(this.self)} could not send ${message.type} to '${to}': ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  sendGossip(to: string): void {
    this.send(to, { type: 'Gossip', from: this.self, gossip: this.gossip });
  }

  digest(): string {
    if (this.cachedDigest?.gossip !== this.gossip) this.cachedDigest = { gossip: this.gossip, digest: gossipDigest(this.gossip) };
    return this.cachedDigest.digest;
  }
}
