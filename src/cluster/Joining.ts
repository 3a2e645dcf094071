import { acceptJoin } from './acceptJoin';
import type { ClusterCore } from './ClusterCore';
import { JoinRejectedError, JoinTimeoutError } from './errors';
import { EMPTY_CONTENT, contentEquals, findMember, normalizeGossip, raiseMember, type Gossip } from './Gossip';
import { formatMember, isMonitoredStatus, memberKey, sameMember, type UniqueAddress } from './Member';
import type { JoinMessage, JoinRejectedMessage, WelcomeMessage } from './protocol';

/**
 * Both sides of joining: this node contacting seed nodes until one welcomes it (or forming a new
 * cluster when it is the first seed), and this node, once a running member, letting others in.
 * `onMember` runs when this node becomes a member (to start gossip and heartbeats); `describe`
 * renders the node's view for a join timeout.
 */
export class Joining {
  private joinAttempts = 0;
  private joinRounds = 0;
  /** When this node last welcomed each joiner (by member key), to answer repeated Joins only once per retry interval. */
  private readonly welcomedAt = new Map<string, number>();

  constructor(
    private readonly core: ClusterCore,
    private readonly seedNodes: readonly string[],
    private readonly onMember: () => void,
    private readonly describe: () => string,
  ) {}

  /** Starts joining: forms a cluster alone (first seed) or sends Join rounds until welcomed. */
  begin(): void {
    const { core } = this;
    const { settings } = core;
    core.timers.after(settings.joinTimeoutMs, () => this.onJoinDeadline());
    const otherSeeds = this.otherSeeds();
    const isFirstSeed = this.seedNodes[0] === core.self.address;
    if (isFirstSeed && (core.self.incarnation === 0 || otherSeeds.length === 0)) {
      core.entryPoint(() => this.formAlone('it is the first seed node'));
      return;
    }
    if (isFirstSeed) {
      // A restarted first seed must not found a second cluster while the old one is still alive.
      core.timers.after(settings.seedNodeTimeoutMs, () => {
        if (core.phase === 'contacting-seeds') {
          this.formAlone(`no other seed node (${otherSeeds.join(', ')}) welcomed it within ${settings.seedNodeTimeoutMs} ms (seedNodeTimeoutMs)`);
        }
      });
    }
    core.log('info', `${formatMember(core.self)} is joining through seed nodes ${otherSeeds.map((s) => `'${s}'`).join(', ')}.`);
    this.sendJoin(otherSeeds);
    core.timers.every(settings.joinRetryIntervalMs, () => {
      if (core.phase !== 'contacting-seeds') return false;
      this.sendJoin(otherSeeds);
      return true;
    });
  }

  /** A line for `describe()` while this node is still contacting seed nodes. */
  describeProgress(): string {
    return (
      `contacting seed nodes ${this.otherSeeds().map((s) => `'${s}'`).join(', ')} for ${Math.round(this.core.clock.now() - this.core.startedAt)} ms; ` +
      `${this.joinAttempts} Join requests sent, none welcomed yet`
    );
  }

  onJoin(message: JoinMessage): void {
    const { core } = this;
    const selfStatus = findMember(core.gossip.content, core.self)?.status;
    // Only a running member can let others in; the joiner keeps retrying until one does.
    if (core.phase !== 'member' || selfStatus === undefined || !isMonitoredStatus(selfStatus)) return;
    const outcome = acceptJoin(core.gossip.content, message.from);
    if (outcome.type === 'rejected') {
      core.send(message.from.address, { type: 'JoinRejected', from: core.self, to: message.from, reason: outcome.reason });
      return;
    }
    // A joiner re-sends Join every joinRetryIntervalMs until a Welcome reaches it. When this node is
    // slow to answer, the repeats queue up behind each other; answering every one with a whole view
    // fed a storm that kept the first member Up (the lead) busy for seconds, starving its heartbeat
    // answers until it was downed. One Welcome per joiner per retry interval is enough.
    const key = memberKey(message.from);
    const now = core.clock.now();
    const welcomedAt = this.welcomedAt.get(key);
    if (welcomedAt !== undefined && contentEquals(outcome.content, core.gossip.content) && now - welcomedAt < core.settings.joinRetryIntervalMs) return;
    this.welcomedAt.set(key, now);
    if (outcome.downed.length > 0) {
      core.log('info', `${formatMember(message.from)} replaces the older incarnation ${outcome.downed.map(formatMember).join(', ')}, which is downed.`);
    }
    core.changeContent(outcome.content);
    core.runLeaderActions();
    if (core.phase === 'member') core.send(message.from.address, { type: 'Welcome', from: core.self, to: message.from, gossip: core.gossip });
  }

  /** A Welcome for this node; returns false when it is already a member (the caller treats it as gossip). */
  onWelcome(message: WelcomeMessage): boolean {
    if (this.core.phase !== 'contacting-seeds') return false;
    this.becomeMember(normalizeGossip(message.gossip), message.from);
    return true;
  }

  onJoinRejected(message: JoinRejectedMessage): void {
    const { core } = this;
    if (core.phase !== 'contacting-seeds' || !sameMember(message.to, core.self)) return;
    core.up.reject(new JoinRejectedError(`Seed node ${formatMember(message.from)} refused ${formatMember(core.self)}: ${message.reason}`));
    core.halt('join-failed', `join rejected by ${formatMember(message.from)}`);
  }

  /** Gossip that arrives before a Welcome: if it already lists this node as a live member, it stands in for a lost Welcome. */
  onGossipWhileContacting(from: UniqueAddress, incoming: Gossip): void {
    const entry = findMember(incoming.content, this.core.self);
    if (entry && isMonitoredStatus(entry.status)) this.becomeMember(incoming, from);
  }

  private otherSeeds(): string[] {
    return this.seedNodes.filter((s) => s !== this.core.self.address);
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
    for (const seed of targets) this.core.send(seed, { type: 'Join', from: this.core.self });
  }

  private formAlone(reason: string): void {
    const { core } = this;
    core.log('info', `${formatMember(core.self)} forms a new cluster because ${reason}.`);
    core.phase = 'member';
    core.commit({ content: raiseMember(EMPTY_CONTENT, core.self, 'joining'), seen: [memberKey(core.self)] });
    this.onMember();
    core.runLeaderActions();
  }

  private becomeMember(incoming: Gossip, via: UniqueAddress): void {
    const { core } = this;
    core.log('info', `${formatMember(core.self)} was welcomed into the cluster by ${formatMember(via)}.`);
    core.phase = 'member';
    core.mergeIn(incoming);
    if (core.phase === 'member') this.onMember();
  }

  private onJoinDeadline(): void {
    const { core } = this;
    if (core.up.settled) return;
    const ms = core.settings.joinTimeoutMs;
    const what =
      core.phase === 'contacting-seeds'
        ? `it sent ${this.joinAttempts} Join requests to the seed nodes ${this.otherSeeds().map((s) => `'${s}'`).join(', ')} and none welcomed it. Check that a seed node is running and reachable`
        : `it was welcomed but the leader has not moved it to Up (the leader needs a converged view)`;
    core.up.reject(new JoinTimeoutError(`${formatMember(core.self)} did not become Up within ${ms} ms (joinTimeoutMs): ${what}.\n${this.describe()}`));
    if (core.phase === 'contacting-seeds') core.halt('join-failed', `not welcomed within joinTimeoutMs (${ms} ms)`);
  }
}
