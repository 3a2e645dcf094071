import type { Transport } from '../transport';
import { assertNever, systemClock, type Clock, createRng, hashString, type Rng, describeValue, deferred, type Deferred } from '../util';
import { acceptJoin } from './acceptJoin';
import { buildClusterState, countMembersUp, type ClusterPhase, type ClusterState } from './ClusterState';
import { HeartbeatMonitor } from './HeartbeatMonitor';
import { describeView } from './describeView';
import { ClusterStoppedError, JoinRejectedError, JoinTimeoutError, LeaveFailedError, UnknownMemberError } from './errors';
import { clusterOf, type ExtensionHost } from './clusterExtension';
import { ClusterEventBus, type ClusterEventHandler, type ClusterLogger } from './ClusterEventBus';
import { diffEvents } from './events';
import { EMPTY_CONTENT, EMPTY_GOSSIP, contentEquals, findMember, gossipDigest, gossipEquals, markSeen, mergeGossip, normalizeGossip, raiseMember, setObservation, withContent } from './Gossip';
import type { Gossip, GossipContent } from './Gossip';
import { leaderActions } from './leaderActions';
import { formatMember, isMonitoredStatus, isObserverStatus, memberKey, sameMember, type UniqueAddress } from './Member';
import { leaderOf } from './membershipView';
import { pickGossipTarget } from './pickGossipTarget';
import { decodeClusterMessage, type ClusterMessage, type GossipStatusMessage, type JoinMessage, type JoinRejectedMessage, type WelcomeMessage } from './protocol';
import { resolveClusterSettings, type ClusterSettings } from './settings';
import { validateStartOptions, type ClusterStartOptions } from './startOptions';
import { SplitBrainResolver } from './SplitBrainResolver';
import { TimerGroup } from './TimerGroup';

export type { ClusterEventHandler, ClusterLogger } from './ClusterEventBus';
export type { ClusterStartOptions } from './startOptions';

type StopKind = 'aborted' | 'downed' | 'removed' | 'join-failed';

/**
 * Cluster membership over a plain `Transport`: joining through seed nodes, gossip of a CRDT
 * membership view, heartbeats with a deadline failure detector, a keep-majority split-brain
 * resolver, graceful leaving, and events. It does not depend on the actor runtime.
 *
 * Typical use: `const cluster = Cluster.start({...}); await cluster.whenUp();`, then read
 * `state()` / `membersUp()` or subscribe with `onEvent`, and end with `shutdown()` (graceful) or
 * `abort()` (crash). Once stopped (aborted, downed or removed) a `Cluster` cannot be restarted:
 * start a new one with a higher incarnation.
 */
export class Cluster {
  /** This member's identity. */
  readonly self: UniqueAddress;
  /** The validated settings in force. */
  readonly settings: ClusterSettings;

  private readonly transport: Transport;
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly log: ClusterLogger;
  private readonly seedNodes: readonly string[];
  private readonly heartbeats: HeartbeatMonitor;
  private readonly resolver: SplitBrainResolver;
  private readonly timers: TimerGroup;
  private readonly events: ClusterEventBus;
  private readonly up = deferred<void>();
  private readonly startedAt: number;
  private gossip: Gossip = EMPTY_GOSSIP;
  private phase: ClusterPhase = 'contacting-seeds';
  private leaving: Deferred<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private joinAttempts = 0;
  private joinRounds = 0;
  /** When this node last welcomed each joiner (by member key), to answer repeated Joins only once per retry interval. */
  private readonly welcomedAt = new Map<string, number>();
  private selfDownReason: string | undefined;
  private stopDescription: string | undefined;
  private cachedState: { gossip: Gossip; phase: ClusterPhase; state: ClusterState } | undefined;
  private cachedDigest: { gossip: Gossip; digest: string } | undefined;

  /**
   * The cluster of an actor system (registered as its `'cluster'` extension, as the embedded node
   * factory does): `Cluster.get(multinode.system).state()`. Throws `ClusterNotRegisteredError` if none.
   */
  static get(system: ExtensionHost): Cluster {
    return clusterOf(system);
  }

  /** Validates `options`, subscribes to the transport and starts joining. Returns at once; see `whenUp()`. */
  static start(options: ClusterStartOptions): Cluster {
    const settings = resolveClusterSettings(options.settings);
    const cluster = new Cluster(options, settings);
    cluster.begin();
    return cluster;
  }

  private constructor(options: ClusterStartOptions, settings: ClusterSettings) {
    const { transport, address, incarnation, seeds } = validateStartOptions(options);
    this.self = Object.freeze({ address, incarnation });
    this.settings = settings;
    this.transport = transport;
    this.clock = options.clock ?? systemClock;
    this.rng = options.rng ?? createRng(hashString(`cluster:${address}#${incarnation}`));
    this.log = options.log ?? (() => undefined);
    this.seedNodes = [...seeds];
    this.heartbeats = new HeartbeatMonitor(this.self, settings.unreachableAfterMs, settings.heartbeatIntervalMs, settings.monitoredByNrOfMembers, this.clock, (to, message) => this.send(to, message));
    this.resolver = new SplitBrainResolver(settings.stableAfterMs, settings.heartbeatIntervalMs);
    this.startedAt = this.clock.now();
    this.timers = new TimerGroup(this.clock, (fn) => this.entryPoint(fn));
    this.events = new ClusterEventBus(this.self, this.log);
  }

  // ---------------------------------------------------------------- public API

  /**
   * Resolves once this node is Up in its own view. Rejects with `JoinTimeoutError` after
   * `joinTimeoutMs`, `JoinRejectedError` if a seed refused this incarnation, or `ClusterStoppedError`
   * if the membership stopped first. On a timeout before any seed answered, the cluster stops itself;
   * a node that was welcomed but is not yet Up keeps running (call `abort()` if you give up on it).
   */
  whenUp(): Promise<void> {
    return this.up.promise;
  }

  /** An immutable snapshot of this node's view. Cheap; the same object is returned until the view changes. */
  state(): ClusterState {
    const cached = this.cachedState;
    if (cached && cached.gossip === this.gossip && cached.phase === this.phase) return cached.state;
    const state = buildClusterState(this.gossip, this.self, this.phase);
    this.cachedState = { gossip: this.gossip, phase: this.phase, state };
    return state;
  }

  /** How many members are Up and reachable in this node's view; 0 unless this node is a running member. */
  membersUp(): number {
    return countMembersUp(this.state());
  }

  /** A multi-line, human-readable view of the membership for error messages (see `describeView`). */
  describe(): string {
    const notes: string[] = [];
    if (this.phase === 'contacting-seeds') {
      notes.push(
        `contacting seed nodes ${this.otherSeeds().map((s) => `'${s}'`).join(', ')} for ${Math.round(this.clock.now() - this.startedAt)} ms; ` +
          `${this.joinAttempts} Join requests sent, none welcomed yet`,
      );
    }
    if (this.stopDescription) notes.push(`stopped: ${this.stopDescription}`);
    return describeView(this.gossip, this.self, this.phase, notes);
  }

  /**
   * Subscribes to cluster events; returns a function that unsubscribes. Events are delivered
   * synchronously after each change of the view, in order, never re-entrantly. A new subscriber
   * gets only later events: read `state()` for the current picture.
   */
  onEvent(handler: ClusterEventHandler): () => void {
    return this.events.subscribe(handler);
  }

  /**
   * Leaves the cluster gracefully: leaving -> exiting -> removed, driven by the leader. Resolves
   * when this node sees itself removed (its membership then stops). Rejects with `LeaveFailedError`
   * after `leaveTimeoutMs` or if this node is downed meanwhile. Called before this node was
   * welcomed, it simply stops. Calling it again returns the same promise.
   */
  leave(): Promise<void> {
    if (this.leaving) return this.leaving.promise;
    const leaving = deferred<void>();
    this.leaving = leaving;
    if (this.phase === 'stopped') {
      if (findMember(this.gossip.content, this.self)?.status === 'removed') leaving.resolve();
      else leaving.reject(new ClusterStoppedError(`${formatMember(this.self)} cannot leave: its cluster membership already stopped (${this.stopDescription}).`));
      return leaving.promise;
    }
    if (this.phase === 'contacting-seeds') {
      leaving.resolve();
      this.entryPoint(() => this.halt('aborted', 'left before it was welcomed by a seed node'));
      return leaving.promise;
    }
    this.timers.after(this.settings.leaveTimeoutMs, () => {
      leaving.reject(
        new LeaveFailedError(
          'CLUSTER_LEAVE_TIMEOUT',
          `${formatMember(this.self)} did not see itself removed within ${this.settings.leaveTimeoutMs} ms (leaveTimeoutMs) after leave(). ` +
            `The leader moves a leaving member on only when the view has converged; the current view:\n${this.describe()}`,
        ),
      );
    });
    this.entryPoint(() => {
      const status = findMember(this.gossip.content, this.self)?.status;
      if (status === 'joining' || status === 'up') this.changeContent(raiseMember(this.gossip.content, this.self, 'leaving'));
      this.runLeaderActions();
    });
    return leaving.promise;
  }

  /**
   * Marks a member down in this node's view; gossip spreads it and the leader removes it. `target`
   * is an address (every live incarnation there) or a unique address. Downing self stops this node's
   * membership. Throws `UnknownMemberError` for an address that is not a member here, and
   * `ClusterStoppedError` unless this node is a running member.
   */
  down(target: string | UniqueAddress): void {
    if (this.phase !== 'member') {
      throw new ClusterStoppedError(`${formatMember(this.self)} cannot down ${describeValue(target)}: it is not a running member (phase '${this.phase}').`);
    }
    const matches = this.gossip.content.members.filter((m) =>
      typeof target === 'string' ? m.address === target && m.status !== 'removed' : sameMember(m, target),
    );
    if (matches.length === 0) {
      throw new UnknownMemberError(
        `Cannot down ${describeValue(typeof target === 'string' ? target : formatMember(target))}: it is not a member in ${formatMember(this.self)}'s view. ` +
          `Members: ${this.gossip.content.members.filter((m) => m.status !== 'removed').map((m) => `${formatMember(m)} (${m.status})`).join(', ')}.`,
      );
    }
    this.entryPoint(() => {
      if (matches.some((m) => sameMember(m, this.self))) this.selfDownReason = `cluster.down(${describeValue(typeof target === 'string' ? target : formatMember(target))}) was called on this node`;
      this.downMembers(matches);
    });
  }

  /**
   * Graceful stop: `leave()`, then stop. Resolves once stopped. If leaving fails or times out, the
   * failure is logged as a warning and the node stops anyway, because the caller's intent is to stop.
   */
  async shutdown(): Promise<void> {
    if (this.phase !== 'stopped') {
      try {
        await this.leave();
      } catch (error) {
        this.log('warn', `Graceful leave of ${formatMember(this.self)} failed; stopping anyway. ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.abort();
  }

  /** Stops at once: no goodbye messages, every timer cancelled, the transport unsubscribed. Idempotent. */
  abort(): void {
    this.entryPoint(() => this.halt('aborted', 'aborted'));
  }

  // ---------------------------------------------------------------- joining

  private begin(): void {
    this.unsubscribe = this.transport.onMessage((from, message) => this.onMessage(from, message));
    this.timers.after(this.settings.joinTimeoutMs, () => this.onJoinDeadline());
    const otherSeeds = this.otherSeeds();
    const isFirstSeed = this.seedNodes[0] === this.self.address;
    if (isFirstSeed && (this.self.incarnation === 0 || otherSeeds.length === 0)) {
      this.entryPoint(() => this.formAlone('it is the first seed node'));
      return;
    }
    if (isFirstSeed) {
      // A restarted first seed must not found a second cluster while the old one is still alive.
      this.timers.after(this.settings.seedNodeTimeoutMs, () => {
        if (this.phase === 'contacting-seeds') {
          this.formAlone(`no other seed node (${otherSeeds.join(', ')}) welcomed it within ${this.settings.seedNodeTimeoutMs} ms (seedNodeTimeoutMs)`);
        }
      });
    }
    this.log('info', `${formatMember(this.self)} is joining through seed nodes ${otherSeeds.map((s) => `'${s}'`).join(', ')}.`);
    this.sendJoin(otherSeeds);
    this.timers.every(this.settings.joinRetryIntervalMs, () => {
      if (this.phase !== 'contacting-seeds') return false;
      this.sendJoin(otherSeeds);
      return true;
    });
  }

  private otherSeeds(): string[] {
    return this.seedNodes.filter((s) => s !== this.self.address);
  }

  /**
   * One round of Join requests: to the first of `seeds` (the one that forms the cluster) and to one
   * other, rotating through the rest round by round. Any running member can welcome a joiner, and
   * asking every seed every round made the cost grow with the square of the cluster size: 31 joiners
   * asking 31 seeds five times a second, each answered with a whole view by every member already
   * running, flooded the threads of the first members Up while the harness was still starting.
   */
  private sendJoin(seeds: readonly string[]): void {
    const targets = seeds.length <= 2 ? seeds : [seeds[0], seeds[1 + (this.joinRounds % (seeds.length - 1))]];
    this.joinRounds++;
    this.joinAttempts += targets.length;
    for (const seed of targets) this.send(seed, { type: 'Join', from: this.self });
  }

  private formAlone(reason: string): void {
    this.log('info', `${formatMember(this.self)} forms a new cluster because ${reason}.`);
    this.phase = 'member';
    this.commit({ content: raiseMember(EMPTY_CONTENT, this.self, 'joining'), seen: [memberKey(this.self)] });
    this.startMemberTimers();
    this.runLeaderActions();
  }

  private becomeMember(incoming: Gossip, via: UniqueAddress): void {
    this.log('info', `${formatMember(this.self)} was welcomed into the cluster by ${formatMember(via)}.`);
    this.phase = 'member';
    this.mergeIn(incoming);
    if (this.phase === 'member') this.startMemberTimers();
  }

  private onJoinDeadline(): void {
    if (this.up.settled) return;
    const ms = this.settings.joinTimeoutMs;
    const what =
      this.phase === 'contacting-seeds'
        ? `it sent ${this.joinAttempts} Join requests to the seed nodes ${this.otherSeeds().map((s) => `'${s}'`).join(', ')} and none welcomed it. Check that a seed node is running and reachable`
        : `it was welcomed but the leader has not moved it to Up (the leader needs a converged view)`;
    this.up.reject(new JoinTimeoutError(`${formatMember(this.self)} did not become Up within ${ms} ms (joinTimeoutMs): ${what}.\n${this.describe()}`));
    if (this.phase === 'contacting-seeds') this.halt('join-failed', `not welcomed within joinTimeoutMs (${ms} ms)`);
  }

  // ---------------------------------------------------------------- messages

  private onMessage(from: string, raw: unknown): void {
    if (this.phase === 'stopped') return;
    const decoded = decodeClusterMessage(from, raw);
    if (!decoded.ok) {
      this.log('warn', `${formatMember(this.self)} dropped a malformed cluster message from '${from}': ${decoded.reason}.`);
      return;
    }
    this.entryPoint(() => this.handle(decoded.message));
  }

  private handle(message: ClusterMessage): void {
    switch (message.type) {
      case 'Join':
        return this.onJoin(message);
      case 'Welcome':
        return this.onWelcome(message);
      case 'JoinRejected':
        return this.onJoinRejected(message);
      case 'Gossip':
        return this.onGossip(message.from, message.gossip);
      case 'GossipStatus':
        return this.onGossipStatus(message);
      case 'Heartbeat':
        return this.heartbeats.onHeartbeat(message);
      case 'HeartbeatRsp':
        return this.phase === 'member' ? this.heartbeats.onHeartbeatRsp(message) : undefined;
      default:
        return assertNever(message, 'cluster message');
    }
  }

  private onJoin(message: JoinMessage): void {
    const selfStatus = findMember(this.gossip.content, this.self)?.status;
    // Only a running member can let others in; the joiner keeps retrying until one does.
    if (this.phase !== 'member' || selfStatus === undefined || !isMonitoredStatus(selfStatus)) return;
    const outcome = acceptJoin(this.gossip.content, message.from);
    if (outcome.type === 'rejected') {
      this.send(message.from.address, { type: 'JoinRejected', from: this.self, to: message.from, reason: outcome.reason });
      return;
    }
    // A joiner re-sends Join every joinRetryIntervalMs until a Welcome reaches it. When this node is
    // slow to answer, the repeats queue up behind each other; answering every one with a whole view
    // fed a storm that kept the first member Up (the lead) busy for seconds, starving its heartbeat
    // answers until it was downed. One Welcome per joiner per retry interval is enough.
    const key = memberKey(message.from);
    const now = this.clock.now();
    const welcomedAt = this.welcomedAt.get(key);
    if (welcomedAt !== undefined && contentEquals(outcome.content, this.gossip.content) && now - welcomedAt < this.settings.joinRetryIntervalMs) return;
    this.welcomedAt.set(key, now);
    if (outcome.downed.length > 0) {
      this.log('info', `${formatMember(message.from)} replaces the older incarnation ${outcome.downed.map(formatMember).join(', ')}, which is downed.`);
    }
    this.changeContent(outcome.content);
    this.runLeaderActions();
    if (this.phase === 'member') this.send(message.from.address, { type: 'Welcome', from: this.self, to: message.from, gossip: this.gossip });
  }

  private onWelcome(message: WelcomeMessage): void {
    if (!sameMember(message.to, this.self)) return;
    if (this.phase === 'contacting-seeds') this.becomeMember(normalizeGossip(message.gossip), message.from);
    else this.onGossip(message.from, message.gossip);
  }

  private onJoinRejected(message: JoinRejectedMessage): void {
    if (this.phase !== 'contacting-seeds' || !sameMember(message.to, this.self)) return;
    this.up.reject(new JoinRejectedError(`Seed node ${formatMember(message.from)} refused ${formatMember(this.self)}: ${message.reason}`));
    this.halt('join-failed', `join rejected by ${formatMember(message.from)}`);
  }

  private onGossip(from: UniqueAddress, received: Gossip): void {
    const incoming = normalizeGossip(received);
    if (this.phase === 'contacting-seeds') {
      // Gossip that already lists this node as a live member stands in for a lost Welcome.
      const entry = findMember(incoming.content, this.self);
      if (entry && isMonitoredStatus(entry.status)) this.becomeMember(incoming, from);
      return;
    }
    this.mergeIn(incoming);
    // Push-pull: a sender that lacks something we know (including that we have seen its view) hears back.
    // Each answer strictly grows the sender's view, so the exchange ends after at most a few rounds.
    if (this.phase === 'member' && !gossipEquals(this.gossip, incoming)) this.sendGossip(from.address);
  }

  private onGossipStatus(message: GossipStatusMessage): void {
    if (this.phase === 'member' && message.digest !== this.digest()) this.sendGossip(message.from.address);
  }

  // ---------------------------------------------------------------- periodic work

  private startMemberTimers(): void {
    this.timers.every(this.settings.gossipIntervalMs, () => this.gossipTick());
    this.timers.every(this.settings.heartbeatIntervalMs, () => this.heartbeatTick());
  }

  private gossipTick(): void {
    const target = pickGossipTarget(this.gossip, this.self, this.rng);
    if (target) {
      if (this.gossip.seen.includes(memberKey(target))) this.send(target.address, { type: 'GossipStatus', from: this.self, digest: this.digest() });
      else this.sendGossip(target.address);
    }
    this.runLeaderActions();
  }

  private heartbeatTick(): void {
    this.changeContent(setObservation(this.gossip.content, this.self, this.heartbeats.tick(this.gossip.content)));
    this.applySplitBrainResolver(this.clock.now());
    this.runLeaderActions();
  }

  private applySplitBrainResolver(now: number): void {
    if (this.settings.splitBrainResolver === 'off' || this.phase !== 'member') return;
    // Only a member that is Up (or Leaving) decides: a joining node is still starting, and before it
    // is Up its view of who is reachable is neither its own (it watches nobody yet) nor settled.
    const selfStatus = findMember(this.gossip.content, this.self)?.status;
    if (selfStatus === undefined || !isObserverStatus(selfStatus)) return;
    const decision = this.resolver.evaluate(this.gossip.content, this.self, now);
    const isLeader = sameMemberOrFalse(leaderOf(this.gossip.content, this.self), this.self);
    switch (decision.type) {
      case 'no-action':
        return;
      case 'down-others':
        if (!isLeader) return;
        this.log('warn', decision.reason);
        this.downMembers(decision.down);
        return;
      case 'down-own-side': {
        // The leader downs its whole side; every other member downs at least itself, in case the
        // leader's gossip never reaches it.
        const down = isLeader ? decision.down : decision.down.filter((m) => sameMember(m, this.self));
        if (down.length === 0) return;
        this.log('warn', decision.reason);
        if (down.some((m) => sameMember(m, this.self))) this.selfDownReason = decision.reason;
        this.downMembers(down);
        return;
      }
      default:
        return assertNever(decision, 'downing decision');
    }
  }

  /** Runs the leader's moves until there is nothing left that the current convergence allows. */
  private runLeaderActions(): void {
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

  // ---------------------------------------------------------------- state changes

  private mergeIn(incoming: Gossip): void {
    this.commit(markSeen(mergeGossip(this.gossip, incoming), this.self));
    this.runLeaderActions();
  }

  private changeContent(content: GossipContent): void {
    this.commit(withContent(this.gossip, content, this.self));
  }

  private downMembers(members: readonly UniqueAddress[]): void {
    let content = this.gossip.content;
    for (const member of members) content = raiseMember(content, member, 'down');
    this.changeContent(content);
    this.runLeaderActions();
  }

  /** The single place where the view changes: derives events, re-syncs monitoring, checks self. */
  private commit(next: Gossip): void {
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

  private halt(kind: StopKind, description: string): void {
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
  private entryPoint(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log('error', `Cluster ${formatMember(this.self)} failed internally: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    this.events.flush();
  }

  private send(to: string, message: ClusterMessage): void {
    try {
      this.transport.send(to, message);
    } catch (error) {
      this.log('error', `${formatMember(this.self)} could not send ${message.type} to '${to}': ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private sendGossip(to: string): void {
    this.send(to, { type: 'Gossip', from: this.self, gossip: this.gossip });
  }

  private digest(): string {
    if (this.cachedDigest?.gossip !== this.gossip) this.cachedDigest = { gossip: this.gossip, digest: gossipDigest(this.gossip) };
    return this.cachedDigest.digest;
  }
}

function sameMemberOrFalse(a: UniqueAddress | undefined, b: UniqueAddress): boolean {
  return a !== undefined && sameMember(a, b);
}
