import { Actor, Terminated, type ActorContext, type ActorRef, type Props } from '../../actors';
import { Cluster, formatMember, memberKey, sameMember, type ClusterState, type UniqueAddress } from '../../cluster';
import { STOP_INSTANCE, hostedProps } from './hostedProps';
import { oldestHost, olderHosts, type HostFilter } from './oldestHost';
import { CHECK, managerPath, type Deliver, type HandOverDone, type HandOverInProgress, type HandOverToMe, type ManagerMessage } from './protocol';
import type { ClusterSingletonSettings } from './settings';
import type { SingletonRecord } from './SingletonRecord';

/** How a manager is set up: one per singleton name on every node that may host it. */
export interface ManagerConfig {
  readonly name: string;
  readonly props: Props;
  readonly allowed: HostFilter;
  readonly settings: ClusterSingletonSettings;
  readonly record: SingletonRecord;
}

/**
 * - `younger`: another member is the oldest; no instance here.
 * - `becoming`: this node is the oldest and waits until every previous host has confirmed, or was
 *   downed or removed `removalMarginMs` ago.
 * - `oldest`: the instance runs here.
 * - `handingOver`: the instance was told to stop; waiting for its `Terminated`.
 * - `done`: no instance here, never again in this incarnation (a hand-over was confirmed or the
 *   membership ended).
 */
type Mode = 'younger' | 'becoming' | 'oldest' | 'handingOver' | 'done';

/**
 * An older member that may still run the instance: `goneSince` is when it was first seen downed or
 * removed, `heardAt` when it last said its instance is still stopping.
 */
interface PreviousHost {
  readonly member: UniqueAddress;
  goneSince: number | undefined;
  heardAt: number | undefined;
}

const RETRY_TIMER = 'hand-over-retry';

/**
 * The singleton's manager on one node. Every manager follows its own cluster view: the oldest
 * allowed member that is Up or Leaving runs the instance, as the manager's child. A new oldest
 * starts it only when every older allowed member it has seen has confirmed `HandOverDone` (a
 * graceful hand-over) or has been downed or removed for `removalMarginMs` (a fail-over); a manager
 * that stops being the oldest, or whose membership ends, stops its instance and then confirms.
 */
export class SingletonManager extends Actor<ManagerMessage> {
  private mode: Mode = 'younger';
  private instance: ActorRef | undefined;
  /** Older allowed members seen in the view that have not confirmed, by member key. */
  private readonly previous = new Map<string, PreviousHost>();
  /** Members that confirmed `HandOverDone`, by member key. */
  private readonly confirmed = new Set<string>();
  /** Managers that asked this one to hand over and wait for `HandOverDone`. */
  private readonly waiting: ActorRef[] = [];
  private cluster!: Cluster;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly config: ManagerConfig) {
    super();
  }

  override preStart(ctx: ActorContext<ManagerMessage>): void {
    this.cluster = Cluster.get(ctx.system);
    this.unsubscribe = this.cluster.onEvent(() => ctx.self.tell(CHECK));
    this.check(ctx);
  }

  override postStop(ctx: ActorContext<ManagerMessage>): void {
    this.unsubscribe?.();
    this.config.record.hostedHere = false;
    this.config.record.setHolding(false);
    // The instance, a child, has stopped already.
    if (this.mode !== 'done') this.finish(ctx, 'its manager stopped');
  }

  receive(message: ManagerMessage, ctx: ActorContext<ManagerMessage>): void {
    if (message instanceof Terminated) {
      this.onInstanceStopped(message, ctx);
      return;
    }
    switch (message.$singleton) {
      case 'Check':
        this.check(ctx);
        return;
      case 'HandOverToMe':
        this.onHandOverToMe(message, ctx);
        return;
      case 'HandOverDone':
        this.onHandOverDone(message, ctx);
        return;
      case 'HandOverInProgress':
        this.onHandOverInProgress(message, ctx);
        return;
      case 'Identify':
        if (this.mode === 'oldest') ctx.reply({ $singleton: 'Identified', host: this.cluster.self });
        return;
      case 'Deliver':
        this.deliver(message, ctx);
        return;
      default:
        ctx.unhandled(message);
    }
  }

  private get name(): string {
    return this.config.name;
  }

  /** Re-reads the cluster view and moves on from there. */
  private check(ctx: ActorContext<ManagerMessage>): void {
    const state = this.cluster.state();
    if (state.phase === 'stopped') {
      const downed = state.selfMember?.status === 'down';
      this.relinquish(ctx, downed ? 'stop' : 'drain', downed ? 'this node was downed' : 'this node left the cluster');
      return;
    }
    if (state.phase !== 'member' || state.selfMember === undefined) return;
    this.trackPrevious(state, ctx.system.clock.now());
    const host = oldestHost(state, this.config.allowed);
    const isOldest = host !== undefined && sameMember(host, state.self);
    if (this.mode === 'younger' && isOldest) {
      this.mode = 'becoming';
      ctx.log.info(`singleton '${this.name}': ${formatMember(state.self)} is now the oldest and takes over`);
    }
    if (this.mode === 'becoming') {
      if (isOldest) this.takeOver(state, ctx);
      else {
        this.mode = 'younger';
        ctx.timers.cancel(RETRY_TIMER);
      }
    } else if (this.mode === 'oldest' && !isOldest) {
      this.relinquish(ctx, 'drain', host === undefined ? 'no member may host it any more' : `${formatMember(host)} is now the oldest`);
    }
  }

  /** Remembers every older allowed member in the view, and when it was first seen downed or removed. */
  private trackPrevious(state: ClusterState, now: number): void {
    for (const member of olderHosts(state, state.self, this.config.allowed)) {
      const key = memberKey(member);
      if (!this.confirmed.has(key) && !this.previous.has(key)) this.previous.set(key, { member, goneSince: undefined, heardAt: undefined });
    }
    for (const [key, entry] of this.previous) {
      const current = state.members.find((m) => sameMember(m, entry.member));
      if (current === undefined || current.status === 'down') entry.goneSince ??= now;
      // Long gone and never heard from: nothing left to wait for.
      if (entry.goneSince !== undefined && now - entry.goneSince >= this.config.settings.removalMarginMs && this.mode !== 'becoming') this.previous.delete(key);
    }
  }

  /** Starts the instance once no previous host may still run it; until then asks them to hand over. */
  private takeOver(state: ClusterState, ctx: ActorContext<ManagerMessage>): void {
    const now = ctx.system.clock.now();
    const { removalMarginMs, handOverRetryIntervalMs } = this.config.settings;
    for (const [key, entry] of this.previous) {
      if (entry.goneSince === undefined) continue;
      const since = Math.max(entry.goneSince, entry.heardAt ?? entry.goneSince);
      if (now - since < removalMarginMs) continue;
      ctx.log.info(
        `singleton '${this.name}': previous host ${formatMember(entry.member)} never confirmed the hand-over; it was downed or removed, ` +
          `and nothing was heard from it for ${Math.round(now - since)} ms (removalMarginMs ${removalMarginMs}): taking over without it`,
      );
      this.previous.delete(key);
    }
    if (this.previous.size === 0) {
      ctx.timers.cancel(RETRY_TIMER);
      this.startInstance(state.self, ctx);
      return;
    }
    const request: HandOverToMe = { $singleton: 'HandOverToMe', from: state.self };
    for (const entry of this.previous.values()) this.managerAt(entry.member.address, ctx).tell(request, ctx.self);
    if (!ctx.timers.isTimerActive(RETRY_TIMER)) ctx.timers.startTimerWithFixedDelay(RETRY_TIMER, CHECK, handOverRetryIntervalMs);
  }

  private startInstance(self: UniqueAddress, ctx: ActorContext<ManagerMessage>): void {
    this.instance = ctx.watch(ctx.spawn(hostedProps(this.config.props), this.name));
    this.mode = 'oldest';
    this.config.record.hostedHere = true;
    this.config.record.setHolding(true);
    ctx.log.info(`singleton '${this.name}' started on ${formatMember(self)}`);
  }

  /** Gives the singleton up: stops the instance if it runs here (`drain`: after its queued messages). */
  private relinquish(ctx: ActorContext<ManagerMessage>, how: 'drain' | 'stop', reason: string): void {
    switch (this.mode) {
      case 'oldest':
        this.mode = 'handingOver';
        this.config.record.hostedHere = false;
        ctx.log.info(`singleton '${this.name}' hands over because ${reason}: stopping its instance on ${formatMember(this.cluster.self)}`);
        if (how === 'drain') this.instance?.tell(STOP_INSTANCE);
        else if (this.instance !== undefined) ctx.stop(this.instance);
        return;
      case 'handingOver':
        if (how === 'stop' && this.instance !== undefined) ctx.stop(this.instance);
        return;
      case 'done':
        return;
      default:
        this.finish(ctx, reason);
    }
  }

  private onInstanceStopped(message: Terminated, ctx: ActorContext<ManagerMessage>): void {
    if (this.instance === undefined || !message.ref.equals(this.instance)) return;
    if (this.mode === 'handingOver') {
      this.finish(ctx, 'its instance stopped');
      return;
    }
    ctx.log.warn(
      `singleton '${this.name}': its instance on ${formatMember(this.cluster.self)} stopped by itself; it is not restarted, ` +
        'and messages routed to it go to dead letters until another member takes over',
    );
  }

  private onHandOverToMe(message: HandOverToMe, ctx: ActorContext<ManagerMessage>): void {
    if (ctx.sender !== undefined && !this.waiting.some((ref) => ref.equals(ctx.sender))) this.waiting.push(ctx.sender);
    if (this.mode === 'done') this.confirmTo(this.waiting, ctx);
    else this.relinquish(ctx, 'drain', `${formatMember(message.from)} asked for it`);
    // Still stopping: say so, so that the asker keeps waiting even after this node was removed.
    if (this.mode === 'handingOver') ctx.reply({ $singleton: 'HandOverInProgress', from: this.cluster.self } satisfies HandOverInProgress);
  }

  private onHandOverInProgress(message: HandOverInProgress, ctx: ActorContext<ManagerMessage>): void {
    const entry = this.previous.get(memberKey(message.from));
    if (entry !== undefined) entry.heardAt = ctx.system.clock.now();
  }

  private onHandOverDone(message: HandOverDone, ctx: ActorContext<ManagerMessage>): void {
    const key = memberKey(message.from);
    this.confirmed.add(key);
    this.previous.delete(key);
    if (this.mode === 'becoming') this.check(ctx);
  }

  /** No instance here any more, and never again: tell whoever waits for that. */
  private finish(ctx: ActorContext<ManagerMessage>, reason: string): void {
    const held = this.mode === 'handingOver';
    this.mode = 'done';
    this.config.record.setHolding(false);
    ctx.timers.cancel(RETRY_TIMER);
    if (held) ctx.log.info(`singleton '${this.name}' stopped on ${formatMember(this.cluster.self)} (${reason}); hand-over confirmed`);
    const others = this.cluster
      .state()
      .members.filter((m) => !sameMember(m, this.cluster.self) && this.config.allowed(m.address) && m.status !== 'down')
      .map((m) => this.managerAt(m.address, ctx));
    this.confirmTo([...this.waiting, ...others.filter((ref) => !this.waiting.some((w) => w.equals(ref)))], ctx);
  }

  private confirmTo(refs: readonly ActorRef[], ctx: ActorContext<ManagerMessage>): void {
    const done: HandOverDone = { $singleton: 'HandOverDone', from: this.cluster.self };
    for (const ref of refs) ref.tell(done, ctx.self);
  }

  private deliver(message: Deliver, ctx: ActorContext<ManagerMessage>): void {
    if (this.mode === 'oldest' && this.instance !== undefined) this.instance.tell(message.message, message.sender);
    else ctx.reply({ $singleton: 'Bounced', seq: message.seq, message: message.message, sender: message.sender });
  }

  private managerAt(address: string, ctx: ActorContext<ManagerMessage>): ActorRef {
    return ctx.system.refFor(address, managerPath(this.name));
  }
}
