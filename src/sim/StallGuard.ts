import { MultinodeError, type Cancellable, type Clock } from '../util';

/** What a `StallGuard` watches and whom it tells. */
export interface StallGuardOptions {
  /** Real time the simulation may stand still while a role has not finished, in milliseconds. */
  readonly stallTimeoutMs: number;
  /** Real time: when the guard looks, and how long nothing moved. Never the virtual clock, which is what stands still. */
  readonly clock: Clock;
  /** A count that grows whenever the simulation moves on (see `SimScheduler.progress`). */
  readonly progress: () => number;
  /** The roles that have not finished their copy of the file, in role order; none means nothing can stall. */
  readonly unfinished: () => readonly string[];
  /** Told once, when the simulation has not moved for `stallTimeoutMs` while `roles` had not finished. */
  readonly onStall: (stall: Stall) => void;
}

/** A stall, as a `StallGuard` saw it. */
export interface Stall {
  /** Real time since the simulation last moved, in milliseconds. */
  readonly stalledMs: number;
  /** The roles that had not finished their file, in role order. */
  readonly roles: readonly string[];
}

/** The longest the guard waits between two looks, in real milliseconds. */
const MAX_LOOK_INTERVAL_MS = 1_000;

/**
 * A real-time deadline on virtual time standing still. In simulation mode only an event moves a role
 * on, and every deadline of the harness and of Jest is itself an event; a simulation that has no event
 * to run (its queue is empty, or a hold keeps it parked) while a role has not finished waits for
 * something outside the simulation: a role loading its file, real work a role started, or nothing at
 * all. Real work releases its hold on its own, and a role's load ends; what does not move for
 * `stallTimeoutMs` of real time never will, and the guard says so once, with the roles that had not
 * finished, instead of letting Jest hang without a deadline.
 *
 * A synchronous loop is not a stall (nothing runs the guard then): `SyncLoopWatchdog` covers it.
 */
export class StallGuard {
  private lastProgress: number;
  private lastMovedAt: number;
  private timer: Cancellable | null = null;
  private stopped = false;

  private constructor(private readonly options: StallGuardOptions) {
    if (!Number.isFinite(options.stallTimeoutMs) || options.stallTimeoutMs <= 0) {
      throw new RangeError(`A StallGuard needs a positive, finite stallTimeoutMs; it was given ${options.stallTimeoutMs}.`);
    }
    this.lastProgress = options.progress();
    this.lastMovedAt = options.clock.now();
    this.arm();
  }

  /** Starts watching; call `stop()` when the simulated file ends. */
  static start(options: StallGuardOptions): StallGuard {
    return new StallGuard(options);
  }

  /** Stops watching; no stall is reported after this. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
  }

  private arm(): void {
    const interval = Math.min(MAX_LOOK_INTERVAL_MS, Math.max(1, Math.floor(this.options.stallTimeoutMs / 4)));
    this.timer = this.options.clock.schedule(interval, () => this.look());
  }

  private look(): void {
    this.timer = null;
    if (this.stopped) return;
    const { clock, progress, unfinished } = this.options;
    const now = clock.now();
    const moved = progress();
    const roles = unfinished();
    // Time with every role finished does not count: nothing waits on the simulation then.
    if (moved !== this.lastProgress || roles.length === 0) {
      this.lastProgress = moved;
      this.lastMovedAt = now;
      this.arm();
      return;
    }
    const stalledMs = now - this.lastMovedAt;
    if (stalledMs < this.options.stallTimeoutMs) {
      this.arm();
      return;
    }
    this.stopped = true;
    this.options.onStall({ stalledMs, roles });
  }
}

/** What a `SimulationStalledError` says about the simulation as a whole. */
export interface StallReport extends Stall {
  /** The limit that passed (`multinode.simulation.stallTimeoutMs`), in real milliseconds. */
  readonly stallTimeoutMs: number;
  /** Virtual time since the file started, where it stood still, in milliseconds. */
  readonly virtualMs: number;
  /** The holds that kept the simulation parked, or none when it had no event left to run. */
  readonly heldBy: readonly string[];
}

/**
 * A role of a simulated file that had not finished when virtual time stood still for
 * `multinode.simulation.stallTimeoutMs` of real time. A role other than the lead is ended with it;
 * the lead (which runs in Jest's own context and cannot be ended) gets it as its error outside tests.
 */
export class SimulationStalledError extends MultinodeError {
  constructor(role: string, doing: string, report: StallReport, ended: boolean) {
    const others = report.roles.filter((r) => r !== role);
    const parked =
      report.heldBy.length === 0 ? 'with no event left to run' : `held by ${report.heldBy.map((label) => `'${label}'`).join(', ')} with nothing else to run`;
    super(
      'SIMULATION_STALLED',
      `The simulation stalled: no event ran for ${Math.round(report.stalledMs)} ms of real time ` +
        `(multinode.simulation.stallTimeoutMs is ${report.stallTimeoutMs} ms) while role '${role}' ${doing}` +
        `${others.length === 0 ? '' : `; ${others.length === 1 ? 'role' : 'roles'} ${others.map((r) => `'${r}'`).join(', ')} had not finished either`}. ` +
        `Virtual time stood still at +${Math.round(report.virtualMs)} ms, ${parked}. ` +
        `${ended ? `Role '${role}' was ended so that the file fails instead of hanging; raise` : 'Raise'} ` +
        'multinode.simulation.stallTimeoutMs if loading the file or real work legitimately takes longer.',
    );
  }
}
