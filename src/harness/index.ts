/**
 * The harness core: everything the Jest environment and reporter use, and nothing Jest-specific.
 */
export { LeadSession, type LeadSessionOptions } from './LeadSession';
export { RoleSession } from './RoleSession';
export type { HarnessClient, ClientSettings } from './HarnessClient';
export type { RoleResult, SnapshotRecordData } from './TestLockstep';
export type { RoleNodeHost, NodeDirectory, HeldNodes, HeldNodesSink, NodeEndpoint } from './RoleNodeHost';
export { isRoleThreadData, type NodeOp, type PoolToThread, type RoleThreadData, type RoleWorkerData, type ThreadToPool, type TestPlanEntry, type LeadToRole, type RoleToLead } from './protocol';
export type { RoleRunner, RoleChannel, RoleStart, LinkEnd, ControlEnd } from './RoleRunner';
export { ThreadRunner, portControlEnd, portLinkEnd, type ThreadRunnerOptions } from './ThreadRunner';
export { RoleThread, RoleThreadPool, type RoleThreadLimits, type ThreadEnd } from './RoleThreadPool';
export { faultCommand, isolateCommand, type RoleSet } from './faultCommands';
export { FaultTable, LINK_PARTITIONED, LINK_BLACKHOLED, type LinkFaults, type NodeState } from './FaultTable';
export { TraceCollector, type TraceHeader } from './TraceCollector';
export { REPORT_DIR_ENV, TRACE_FILE_EXTENSION, relativeTestPath, serializeTrace, traceFilePath, traceProjectFolder } from './traceFile';
export { PROGRESS_FILE_ENV, type ProgressSnapshot, type ProgressWait } from './progress';
export type { FileTrace, TestTrace, TraceEvent, TraceError, RoleTestResult, RoleOutcome, RoleError, RunMode, FaultCommand, ConsoleCall, ConsoleMethod, GatherSize } from './traceTypes';
export {
  UnknownRoleError,
  InvalidFaultError,
  BarrierTimeoutError,
  BarrierFailedError,
  RoleTerminatedError,
  TestMismatchError,
  NodeError,
  HarnessTimeoutError,
  withoutFrames,
} from './errors';
export { copyGatherValue, serializedSize, UncloneableGatherValueError } from './gatherValue';
export { harnessRealm, plainLinkPort, realmCopier, RealmSlot, type NodeRealm, type LinkPort } from './NodeRealm';
export { TraceBuffer, messageCapPerRole, type EventInput, type MessageSendRecord, type MessageReceiveRecord } from './TraceBuffer';
export { previewOf } from './LinkEndpoint';
