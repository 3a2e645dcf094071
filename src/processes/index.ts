/**
 * Processes mode: every role's node as a child OS process. The process spec and its validation,
 * loopback addresses, data dirs, the `setup` command, the `Launcher` seam (local child processes in
 * their own process groups, guarded by a reaper) and one role's node process across incarnations.
 */
export { isProcessSpec, parseProcessSpec, resolveNode, type ProcessSpec, type ResolvedProcessSpec, type ReadyCheck, type StartOrder } from './ProcessSpec';
export { InvalidProcessSpecError, NodeStartError, SetupFailedError, ProcessGroupStuckError } from './errors';
export { AddressPlan, formatEndpoint, type Endpoint, type AddressPlanOptions } from './AddressPlan';
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
