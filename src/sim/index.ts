/**
 * Simulation mode: virtual time, one event at a time, every role in one thread (see API.md,
 * "Simulation mode").
 */
// Virtual time: the event scheduler and per-role virtual globals.
export { SimScheduler, SIM_EPOCH_MS, HARNESS_OWNER, type SimSchedulerOptions, type EventError } from './SimScheduler';
export { installVirtualGlobals, type VirtualGlobalsOptions } from './virtualGlobals';
export { fakeTimersStartAt, type ModernFakeTimersLike } from './fakeTimersStartAt';
export { ReentrantStepError, VirtualGlobalsInstalledError } from './timeErrors';
// Roles in one thread: who runs, simulated links and control channels.
export { SimWorld, type SimQueue } from './SimWorld';
export { SimNetwork, type LatencyMs } from './SimNetwork';
export { SimRunner, type SimRoleLauncher } from './SimRunner';
export { SyncLoopWatchdog, type SyncLoopWatchdogOptions } from './SyncLoopWatchdog';
export { StallGuard, SimulationStalledError, type Stall, type StallGuardOptions, type StallReport } from './StallGuard';
// Shared module patches, out-of-band wake-up watch and process error ownership.
export { patchSharedModules, type SharedModuleRoute } from './sharedModules';
export { VirtualTimer, type RoleTimeSource } from './sharedTimers';
export { type RandomSource } from './sharedCrypto';
export { watchWakeUps, wakeUpKinds, type WakeWatch, type WakeWatchOptions } from './wakeWatch';
export {
  ownProcessErrors,
  realProcess,
  roleOfPromiseByRealm,
  type ProcessErrorKind,
  type ProcessErrorRoute,
  type ProcessErrorOwnership,
} from './processErrors';
