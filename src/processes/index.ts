export { ProcessNodeClient, type ProcessNodeClientOptions, type ProcessStartOptions, type ProcessNodeLog, type ProcessNodeExit } from './ProcessNodeClient';
export { ProcessNodeGroup, faultSnapshot, type ProcessNodeGroupOptions } from './ProcessNodeGroup';
export { createRunToken } from './ControlServer';
export { spawnNodeProcess, NODE_PROCESS_MAIN, type NodeProcessLauncher, type NodeProcessSpec } from './spawnNodeProcess';
export { PROCESS_NODE_DEFAULTS, resolveProcessNodeSettings, type ProcessNodeSettings } from './settings';
export { ProcessNodeError, UncloneableAnswerError } from './errors';
export { CONTROL_ADDRESS_ENV, CONTROL_TOKEN_ENV, type HostPort, type PeerAddresses, type TraceBatch } from './protocol';
