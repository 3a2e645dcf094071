/**
 * The embedded cluster's tools, built on `Cluster.get(system)`: each takes its time from the
 * system's scheduler and its randomness from the system's seeded `Rng`.
 */
// Distributed pub/sub
export * from './pubsub';
