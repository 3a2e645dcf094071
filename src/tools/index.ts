/**
 * The embedded cluster's tools, on top of `Cluster.get(system)`. Each takes its time from the
 * node's clock and its randomness from the node's seeded stream.
 */
// Distributed pub/sub
export * from './pubsub';
// Cluster singleton: one instance in the cluster, on the oldest member, reached through proxies.
export * from './singleton';
// Cluster sharding
export * from './sharding';
// Sharded daemon process
export * from './daemon';
