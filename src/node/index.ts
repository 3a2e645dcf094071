export type { NodeFactory, NodeContext, NodeHandle, NodeLogger, LogLevel } from './NodeFactory';
export { embeddedNodeFactory, type EmbeddedSystem } from './embeddedNode';
