/** Distributed publish/subscribe: a mediator per node and a topic registry spread by gossip. */
export { DistributedPubSub } from './DistributedPubSub';
export { DEFAULT_PUBSUB_SETTINGS, InvalidPubSubSettingError, resolvePubSubSettings } from './settings';
export type { PubSubSettings } from './settings';
