export { FakeClock } from './FakeClock';
export { flush, runUntilSettled, track, waitFor } from './async';
