/** Settings of the conductor, all in milliseconds. */
export interface ConductorSettings {
  readonly graceMs: number;
  /** Start-up of every node, and members Up for the embedded cluster. */
  readonly setupTimeoutMs: number;
  /** How long teardown waits for roles to finish their file. */
  readonly finishTimeoutMs: number;
  /** How long a node may take to stop at teardown. */
  readonly stopTimeoutMs: number;
  /** How often roles are pinged to tell a hung role from a slow one. */
  readonly pingIntervalMs: number;
  /** Silence after which a role that every other role waits for is ended as hung. */
  readonly unresponsiveAfterMs: number;
}
