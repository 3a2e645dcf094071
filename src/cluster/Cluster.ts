import { assertNever, systemClock, createRng, hashString, describeValue, deferred } from '../util';
import { buildClusterState, countMembersUp, type ClusterPhase, type ClusterState } from './ClusterState';
import { ClusterCore } from './ClusterCore';
import { describeView } from './describeView';
import { ClusterStoppedError, LeaveFailedError, UnknownMemberError } from './errors';
import { clusterOf, type ExtensionHost } from './clusterExtension';
import type { ClusterEventHandler } from './ClusterEventBus';
import { findMember, gossipEquals, normalizeGossip, raiseMember, type Gossip } from './Gossip';
import { Joining } from './Joining';
import { MemberDuties } from './MemberDuties';
import { formatMember, sameMember, type UniqueAddress } from './Member';
import { decodeClusterMessage, type ClusterMessage, type GossipStatusMessage } from './protocol';
import { resolveClusterSettings, type ClusterSettings } from './settings';
import { validateStartOptions, type ClusterStartOptions } from './startOptions';

export type { ClusterEventHandler, ClusterLogger } from './ClusterEventBus';
export type { ClusterStartOptions } from './startOptions';

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

  private readonly core: ClusterCore;
  private readonly joining: Joining;
  private cachedState: { gossip: Gossip; phase: ClusterPhase; state: ClusterState } | undefined;

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
    cluster.core.listen((from, message) => cluster.onMessage(from, message));
    cluster.joining.begin();
    return cluster;
  }

  private constructor(options: ClusterStartOptions, settings: ClusterSettings) {
    const { transport, address, incarnation, seeds } = validateStartOptions(options);
    this.self = Object.freeze({ address, incarnation });
    this.settings = settings;
    const rng = options.rng ?? createRng(hashString(`cluster:${address}#${incarnation}`));
    this.core = new ClusterCore(this.self, settings, transport, options.clock ?? systemClock, rng, options.log ?? (() => undefined));
    const duties = new MemberDuties(this.core);
    this.joining = new Joining(this.core, [...seeds], () => duties.start(), () => this.describe());
  }

  /**
   * Resolves once this node is Up in its own view. Rejects with `JoinTimeoutError` after
   * `joinTimeoutMs`, `JoinRejectedError` if a seed refused this incarnation, or `ClusterStoppedError`
   * if the membership stopped first. On a timeout before any seed answered, the cluster stops itself;
   * a node that was welcomed but is not yet Up keeps running (call `abort()` if you give up on it).
   */
  whenUp(): Promise<void> {
    return this.core.up.promise;
  }

  /** An immutable snapshot of this node's view. Cheap; the same object is returned until the view changes. */
  state(): ClusterState {
    const cached = this.cachedState;
    if (cached && cached.gossip === this.core.gossip && cached.phase === this.core.phase) return cached.state;
    const state = buildClusterState(this.core.gossip, this.self, this.core.phase);
    this.cachedState = { gossip: this.core.gossip, phase: this.core.phase, state };
    return state;
  }

  /** How many members are Up and reachable in this node's view; 0 unless this node is a running member. */
  membersUp(): number {
    return countMembersUp(this.state());
  }

  /** A multi-line, human-readable view of the membership for error messages (see `describeView`). */
  describe(): string {
    const notes: string[] = [];
    if (this.core.phase === 'contacting-seeds') notes.push(this.joining.describeProgress());
    if (this.core.stopDescription) notes.push(`stopped: ${this.core.stopDescription}`);
    return describeView(this.core.gossip, this.self, this.core.phase, notes);
  }

  /**
   * Subscribes to cluster events; returns a function that unsubscribes. Events are delivered
   * synchronously after each change of the view, in order, never re-entrantly. A new subscriber
   * gets only later events: read `state()` for the current picture.
   */
  onEvent(handler: ClusterEventHandler): () => void {
    return this.core.events.subscribe(handler);
  }

  /**
   * Leaves the cluster gracefully: leaving -> exiting -> removed, driven by the leader. Resolves
   * when this node sees itself removed (its membership then stops). Rejects with `LeaveFailedError`
   * after `leaveTimeoutMs` or if this node is downed meanwhile. Called before this node was
   * welcomed, it simply stops. Calling it again returns the same promise.
   */
  leave(): Promise<void> {
    const { core } = this;
    if (core.leaving) return core.leaving.promise;
    const leaving = deferred<void>();
    core.leaving = leaving;
    if (core.phase === 'stopped') {
      if (findMember(core.gossip.content, this.self)?.status === 'removed') leaving.resolve();
      else leaving.reject(new ClusterStoppedError(`${formatMember(this.self)} cannot leave: its cluster membership already stopped (${core.stopDescription}).`));
      return leaving.promise;
    }
    if (core.phase === 'contacting-seeds') {
      leaving.resolve();
      core.entryPoint(() => core.halt('aborted', 'left before it was welcomed by a seed node'));
      return leaving.promise;
    }
    core.timers.after(this.settings.leaveTimeoutMs, () => {
      leaving.reject(
        new LeaveFailedError(
          'CLUSTER_LEAVE_TIMEOUT',
          `${formatMember(this.self)} did not see itself removed within ${this.settings.leaveTimeoutMs} ms (leaveTimeoutMs) after leave(). ` +
            `The leader moves a leaving member on only when the view has converged; the current view:\n${this.describe()}`,
        ),
      );
    });
    core.entryPoint(() => {
      const status = findMember(core.gossip.content, this.self)?.status;
      if (status === 'joining' || status === 'up') core.changeContent(raiseMember(core.gossip.content, this.self, 'leaving'));
      core.runLeaderActions();
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
    const { core } = this;
    if (core.phase !== 'member') {
      throw new ClusterStoppedError(`${formatMember(this.self)} cannot down ${describeValue(target)}: it is not a running member (phase '${core.phase}').`);
    }
    const matches = core.gossip.content.members.filter((m) =>
      typeof target === 'string' ? m.address === target && m.status !== 'removed' : sameMember(m, target),
    );
    if (matches.length === 0) {
      throw new UnknownMemberError(
        `Cannot down ${describeValue(typeof target === 'string' ? target : formatMember(target))}: it is not a member in ${formatMember(this.self)}'s view. ` +
          `Members: ${core.gossip.content.members.filter((m) => m.status !== 'removed').map((m) => `${formatMember(m)} (${m.status})`).join(', ')}.`,
      );
    }
    core.entryPoint(() => {
      if (matches.some((m) => sameMember(m, this.self))) core.selfDownReason = `cluster.down(${describeValue(typeof target === 'string' ? target : formatMember(target))}) was called on this node`;
      core.downMembers(matches);
    });
  }

  /**
   * Graceful stop: `leave()`, then stop. Resolves once stopped. If leaving fails or times out, the
   * failure is logged as a warning and the node stops anyway, because the caller's intent is to stop.
   */
  async shutdown(): Promise<void> {
    if (this.core.phase !== 'stopped') {
      try {
        await this.leave();
      } catch (error) {
        this.core.log('warn', `Graceful leave of ${formatMember(this.self)} failed; stopping anyway. ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.abort();
  }

  /** Stops at once: no goodbye messages, every timer cancelled, the transport unsubscribed. Idempotent. */
  abort(): void {
    this.core.entryPoint(() => this.core.halt('aborted', 'aborted'));
  }

  // ---------------------------------------------------------------- messages

  private onMessage(from: string, raw: unknown): void {
    if (this.core.phase === 'stopped') return;
    const decoded = decodeClusterMessage(from, raw);
    if (!decoded.ok) {
      this.core.log('warn', `${formatMember(this.self)} dropped a malformed cluster message from '${from}': ${decoded.reason}.`);
      return;
    }
    this.core.entryPoint(() => this.handle(decoded.message));
  }

  private handle(message: ClusterMessage): void {
    switch (message.type) {
      case 'Join':
        return this.joining.onJoin(message);
      case 'Welcome':
        if (!sameMember(message.to, this.self) || this.joining.onWelcome(message)) return;
        return this.onGossip(message.from, message.gossip);
      case 'JoinRejected':
        return this.joining.onJoinRejected(message);
      case 'Gossip':
        return this.onGossip(message.from, message.gossip);
      case 'GossipStatus':
        return this.onGossipStatus(message);
      case 'Heartbeat':
        return this.core.heartbeats.onHeartbeat(message);
      case 'HeartbeatRsp':
        return this.core.phase === 'member' ? this.core.heartbeats.onHeartbeatRsp(message) : undefined;
      default:
        return assertNever(message, 'cluster message');
    }
  }

  private onGossip(from: UniqueAddress, received: Gossip): void {
    const { core } = this;
    const incoming = normalizeGossip(received);
    if (core.phase === 'contacting-seeds') {
      this.joining.onGossipWhileContacting(from, incoming);
      return;
    }
    core.mergeIn(incoming);
    // Push-pull: a sender that lacks something we know (including that we have seen its view) hears back.
    // Each answer strictly grows the sender's view, so the exchange ends after at most a few rounds.
    if (core.phase === 'member' && !gossipEquals(core.gossip, incoming)) core.sendGossip(from.address);
  }

  private onGossipStatus(message: GossipStatusMessage): void {
    if (this.core.phase === 'member' && message.digest !== this.core.digest()) this.core.sendGossip(message.from.address);
  }
}
