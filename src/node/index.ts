export type { NodeFactory, NodeContext, NodeHandle, NodeLogger, LogLevel, NodeClock, NodeTimer } from './NodeFactory';
export { nodeRandom } from './nodeRandom';
export { embeddedNodeFactory, type EmbeddedSystem } from './embeddedNode';
