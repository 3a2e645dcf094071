import type { Clock } from '../util';
import { DeadlineFailureDetector } from './DeadlineFailureDetector';
import { findMember, type GossipContent } from './Gossip';
import { heartbeatReceivers } from './heartbeatReceivers';
import { isMonitoredStatus, isObserverStatus, memberKey, sameMember, type UniqueAddress } from './Member';
import { unreachableKeys } from './membershipView';
import type { ClusterMessage, HeartbeatMessage, HeartbeatRspMessage } from './protocol';

/**
 * The heartbeat side of failure detection for one node: once this node is Up, it monitors its ring
 * neighbours among the members expected to answer (joining, up, leaving; see `heartbeatReceivers`),
 * probes them each tick, and it answers every probe at any time.
 * Request/response (as in Akka) rather than one-way beats means a one-way fault is noticed by the
 * side that sends, too: a lost probe and a lost answer look the same to the prober.
 *
 * A node that is not Up yet watches nobody: it is still busy joining (under the harness, often on a
 * thread that is still loading Jest), so its silence figures say more about itself than about the
 * others, and a view it reported would count towards downing decisions.
 */
export class HeartbeatMonitor {
  private readonly detector: DeadlineFailureDetector;
  private sequenceNr = 0;

  constructor(
    private readonly self: UniqueAddress,
    unreachableAfterMs: number,
    heartbeatIntervalMs: number,
    private readonly monitoredByNrOfMembers: number,
    private readonly clock: Clock,
    private readonly send: (to: string, message: ClusterMessage) => void,
  ) {
    this.detector = new DeadlineFailureDetector(unreachableAfterMs, heartbeatIntervalMs);
  }

  /**
   * Monitors exactly this node's heartbeat receivers in `content`, or nobody while this node is not
   * Up (or Leaving). Exiting, down and removed members are dropped at once, so a departing node is
   * never reported unreachable.
   */
  sync(content: GossipContent): void {
    const now = this.clock.now();
    const selfStatus = findMember(content, this.self)?.status;
    const candidates = selfStatus !== undefined && isObserverStatus(selfStatus) ? content.members.filter((m) => isMonitoredStatus(m.status)) : [];
    const receivers = heartbeatReceivers(candidates, this.self, this.monitoredByNrOfMembers, unreachableKeys(content));
    const wanted = new Set(receivers.map(memberKey));
    for (const key of this.detector.monitored()) if (!wanted.has(key)) this.detector.unmonitor(key);
    for (const key of wanted) this.detector.monitor(key, now);
  }

  /** Probes every monitored member and returns those that are currently unreachable. */
  tick(content: GossipContent): UniqueAddress[] {
    const now = this.clock.now();
    this.detector.observeTick(now);
    const byKey = new Map(content.members.map((m) => [memberKey(m), { address: m.address, incarnation: m.incarnation }] as const));
    this.sequenceNr++;
    for (const key of this.detector.monitored()) {
      const member = byKey.get(key);
      if (member) this.send(member.address, { type: 'Heartbeat', from: this.self, to: member, sequenceNr: this.sequenceNr });
    }
    return this.detector.unreachable(now).flatMap((key) => byKey.get(key) ?? []);
  }

  /** Answers a probe meant for this incarnation; a restarted node must not keep its predecessor alive. */
  onHeartbeat(message: HeartbeatMessage): void {
    if (!sameMember(message.to, this.self)) return;
    this.send(message.from.address, { type: 'HeartbeatRsp', from: this.self, to: message.from, sequenceNr: message.sequenceNr });
  }

  /** Records an answer to one of this incarnation's probes. */
  onHeartbeatRsp(message: HeartbeatRspMessage): void {
    if (sameMember(message.to, this.self)) this.detector.heartbeat(memberKey(message.from), this.clock.now());
  }
}
