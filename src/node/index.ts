export type { NodeFactory, NodeContext, NodeHandle, NodeLogger, LogLevel, NodeClock, NodeTimer } from './NodeFactory';
export { embeddedNodeFactory, type EmbeddedSystem } from './embeddedNode';
