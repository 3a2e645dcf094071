import MultinodeEnvironment from './MultinodeEnvironment';

export default MultinodeEnvironment;
export { MultinodeEnvironment };
export { InvalidOptionError, type MultinodeOptions } from './options';
export type { MultinodeInfo, BarrierOptions, EventuallyOptions, FaultApi, MultinodeGlobals } from './globalsApi';
export type { MultinodeDescribeOptions } from './describeMultinode';
export type { NodeFactory, NodeContext, NodeHandle, NodeLogger, LogLevel } from '../src/node';
export type { Transport, MessageHandler } from '../src/transport/Transport';
import './globalTypes';
export type { MultinodeDescribe, MultinodeDescribeBase, MultinodeEach, MultinodeEachBlock } from './globalTypes';
