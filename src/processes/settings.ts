/**
 * The fixed settings of processes mode, with units in their names. They are not user options: they
 * bound what the harness buffers and how often it polls, and the tests rely on their order of
 * magnitude only.
 */
export const PROCESS_SETTINGS = {
  /** Pause between two readiness probes (HTTP request, TCP connect) of a starting node. */
  readyPollMs: 20,
  /** How long one readiness probe may take before it counts as a failed probe. */
  readyProbeTimeoutMs: 1_000,
  /** Pause between two checks that a killed process group is gone. */
  groupPollMs: 10,
  /** Output lines kept per node (and for `setup`) for error messages. */
  lastLines: 20,
  /** A longer line is cut at this many bytes (the rest of it is dropped, never buffered). */
  maxLineBytes: 16 * 1024,
  /** Output a node may write at once before the rate cap applies. */
  outputBurstBytes: 1024 * 1024,
  /** Sustained output rate forwarded to the log; past it lines are dropped (the process keeps running). */
  outputBytesPerSecond: 256 * 1024,
  /** How long the pipes of an exited process may stay open (held by a process outside its group) before they are no longer read. */
  pipeDrainMs: 1_000,
  /** How long a SIGKILLed group may take to be gone when the harness cleans up on its own (after an exit, at close). */
  orphanKillMs: 5_000,
  /** How long the reaper may take to exit once told to. */
  reaperExitMs: 5_000,
} as const;
