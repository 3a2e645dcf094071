/**
 * The messages of the pub/sub mediator: the local commands that `DistributedPubSub` asks it, the
 * registry gossip between the mediators of different members, and its own timer and cluster notices.
 */
import type { ActorRef, Terminated } from '../../actors';
import type { ClusterEvent } from '../../cluster';
import type { BucketDelta } from './TopicRegistry';

/** Where every node's mediator lives; mediators find each other by this path. */
export const MEDIATOR_NAME = 'distributedPubSubMediator';

/** Asked by `subscribe`/`unsubscribe`; the mediator answers `Ack` once its registry has the change. */
export type MediatorCommand =
  | { readonly type: 'Subscribe'; readonly topic: string; readonly ref: ActorRef }
  | { readonly type: 'Unsubscribe'; readonly topic: string; readonly ref: ActorRef };

/** The acknowledgement of a command; `changed` is false when it changed nothing (already subscribed, say). */
export interface MediatorAck {
  readonly type: 'Ack';
  readonly changed: boolean;
}

/**
 * Between mediators. `Status` carries the sender's bucket versions; the receiver answers with a
 * `Delta` of whatever the sender lacks and, when `reply` is set and it lacks something itself, with
 * its own `Status` (never replying to a reply, so one exchange ends after two messages each way).
 * `Delta` carries bucket changes: pushed eagerly on every change, or answering a `Status`.
 */
export type GossipMessage =
  | { readonly type: 'PubSubStatus'; readonly versions: Readonly<Record<string, number>>; readonly reply: boolean }
  | { readonly type: 'PubSubDelta'; readonly buckets: readonly BucketDelta<ActorRef>[] };

/** The mediator's own notices: its gossip timer and the cluster events it follows. */
export type MediatorNotice = { readonly type: 'GossipTick' } | { readonly type: 'ClusterChanged'; readonly event: ClusterEvent };

/** Everything the mediator receives. */
export type MediatorMessage = MediatorCommand | GossipMessage | MediatorNotice | Terminated;
