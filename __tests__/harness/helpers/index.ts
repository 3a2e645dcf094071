export { FakeClock } from './FakeClock';
export { flush, runUntilSettled, track, waitFor } from './async';
export { send, recv } from './records';
export { CONDUCTOR_SETTINGS } from './conductorSettings';
