/**
 * A token bucket over output bytes: up to `burstBytes` at once, then `bytesPerSecond` sustained.
 * Time is passed in (milliseconds from the caller's Clock), so it is a pure state machine.
 */
export class OutputRateCap {
  private tokens: number;
  private lastMs: number | null = null;

  constructor(
    private readonly burstBytes: number,
    private readonly bytesPerSecond: number,
  ) {
    this.tokens = burstBytes;
  }

  /** Whether `bytes` may pass at `nowMs`; when it may, they are counted. */
  take(bytes: number, nowMs: number): boolean {
    if (this.lastMs !== null) this.tokens = Math.min(this.burstBytes, this.tokens + ((nowMs - this.lastMs) * this.bytesPerSecond) / 1000);
    this.lastMs = nowMs;
    if (bytes > this.tokens) return false;
    this.tokens -= bytes;
    return true;
  }
}
