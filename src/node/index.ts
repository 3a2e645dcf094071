export type { NodeFactory, NodeContext, NodeHandle, NodeLogger, LogLevel } from './NodeFactory';
