/**
 * Processes mode: every role's node as a child OS process. The process spec and its validation,
 * loopback addresses, data dirs, the `setup` command, the `Launcher` seam (local child processes in
 * their own process groups, guarded by a reaper) and one role's node process across incarnations.
 */
export { isProcessSpec, parseProcessSpec, resolveNode, type ProcessSpec, type ResolvedProcessSpec, type ReadyCheck, type StartOrder } from './ProcessSpec';
export { InvalidProcessSpecError, NodeStartError, SetupFailedError, ProcessGroupStuckError } from './errors';
export { AddressPlan, type AddressPlanOptions } from './AddressPlan';
export type { Launcher, LaunchRequest, LaunchedProcess, ExitStatus } from './Launcher';
export { LocalLauncher, type LocalLauncherOptions } from './LocalLauncher';
export { NodeProcess, describeStatus, type NodeProcessOptions, type NodeOutputLine, type NodeExit, type StopOutcome } from './NodeProcess';
export { nodeEnvironment, type NodeIdentity } from './nodeEnvironment';
export { DataDirs } from './DataDirs';
export { runSetup, type SetupOptions } from './runSetup';
export { startNodes } from './startNodes';
export { describeReadyCheck } from './readiness';
export { formatLastLines, type OutputLine, type OutputStream } from './ProcessOutput';
export { groupAlive, processAlive, signalGroup } from './processGroup';
export { PROCESS_SETTINGS } from './settings';
// A NodeFactory node in its own process: the harness's client, its control channel and the TCP transport between node processes.
export { ProcessNodeClient, type ProcessNodeClientOptions, type ProcessStartOptions, type ProcessNodeLog, type ProcessNodeExit } from './ProcessNodeClient';
export { ProcessNodeGroup, faultSnapshot, type ProcessNodeGroupOptions } from './ProcessNodeGroup';
export { createRunToken } from './ControlServer';
export { spawnNodeProcess, NODE_PROCESS_MAIN, type NodeProcessLauncher, type NodeProcessSpec } from './spawnNodeProcess';
export { PROCESS_NODE_DEFAULTS, resolveProcessNodeSettings, type ProcessNodeSettings } from './processNodeSettings';
export { ProcessNodeError, UncloneableAnswerError } from './nodeProcessErrors';
export { CONTROL_ADDRESS_ENV, CONTROL_TOKEN_ENV, type PeerAddresses, type TraceBatch } from './protocol';
// Fault proxies: one TCP proxy per ordered pair of roles, applying the fault table to real sockets.
export { FaultProxy, type FaultProxyOptions } from './FaultProxy';
export { ProxyMesh, type ProxyMeshOptions } from './ProxyMesh';
export { faultTableReader, type FaultReader } from './faultReader';
export type { ProxyEvent, ProxyEventListener, ProxyRefuseReason, ProxyResetReason, ChunkFate } from './proxyEvents';
export { PROXY_SETTINGS, resolveProxySettings, type ProxySettings } from './proxySettings';
export { assertLoopbackHost, formatEndpoint, isLoopbackHost, listenLoopback, type Endpoint } from './loopbackListen';
export { ProxyAddressInUseError, ProxyHostError, ProxyListenError, ProxyNotInMeshError, ProxySettingsError, ProxyTargetError } from './proxyErrors';
// The lead's held nodes in processes mode: process-spec programs behind fault proxies, or NodeFactory nodes in processes.
export { SpecNodes, type SpecNodesOptions } from './SpecNodes';
export { FactoryNodes, type FactoryNodesOptions } from './FactoryNodes';
