/**
 * `jest-environment-multinode/actors`: the embedded actor runtime and cluster as a product of its
 * own. Actor systems, refs, supervision and remoting; the transports they run on (in memory, and
 * `MessageChannelTransport` for worker meshes); cluster membership (`Cluster.get(system)`); and the
 * default `NodeFactory` the test environment boots for every role.
 */
export * from './actors';
export * from './cluster';
export * from './tools';
export { embeddedNodeFactory, type EmbeddedSystem } from './node';
