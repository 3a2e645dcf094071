// Virtual time for simulation mode: the event scheduler and per-role virtual globals.
export { SimScheduler, SIM_EPOCH_MS, HARNESS_OWNER, type SimSchedulerOptions, type EventError } from './SimScheduler';
export { installVirtualGlobals, type VirtualGlobalsOptions } from './virtualGlobals';
export { fakeTimersStartAt, type ModernFakeTimersLike } from './fakeTimersStartAt';
export { ReentrantStepError, VirtualGlobalsInstalledError } from './timeErrors';
