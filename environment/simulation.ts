import { url as inspectorUrl } from 'node:inspector';
import type { Context } from 'node:vm';
import { RoleSession } from '../src/harness';
import { createRng, MultinodeError, serializeError, type Clock, type Rng } from '../src/util';
import {
  HARNESS_OWNER,
  SimulationStalledError,
  StallGuard,
  type Stall,
  ownProcessErrors,
  patchSharedModules,
  realProcess,
  roleOfPromiseByRealm,
  SimNetwork,
  SimRunner,
  SimScheduler,
  SimWorld,
  SyncLoopWatchdog,
  watchWakeUps,
  type SyncLoopWatchdogOptions,
  type LatencyMs,
} from '../src/sim';
import { runAsSimulatedRole } from './roleContext';
import { runRoleFile } from './runRoleFile';

/** What the lead needs to run a file in simulation mode. */
export interface SimulationOptions {
  readonly roles: readonly string[];
  readonly seed: number;
  readonly latencyMs: LatencyMs;
  /** Whether a wake-up from outside the simulation fails the role's test. */
  readonly strict: boolean;
  /** Real time virtual time may stand still while a role has not finished, in milliseconds (see `StallGuard`). */
  readonly stallTimeoutMs: number;
  /** Where a role is, as the conductor sees it (its test, the barrier it waits at), once the conductor exists. */
  readonly describeRole: (role: string) => string | null;
  readonly rootDir: string;
  /** What ends the Jest worker when a role's code runs too long without a pause (see `SyncLoopWatchdog`). */
  readonly watchdog: Omit<SyncLoopWatchdogOptions, 'roles'>;
  /** An error of `role` that no handler of that role took (an uncaught error between its tests, say). */
  readonly onUnhandled: (role: string, error: unknown) => void;
}

// Captured at load, before any virtual or fake timer can replace the global one.
const realSetTimeout = setTimeout;
const realClearTimeout = clearTimeout;
/** Real time for the stall guard; its timers keep no process alive. */
const realClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  schedule(delayMs, fn) {
    const handle = realSetTimeout(fn, Math.max(0, delayMs));
    handle.unref();
    return { cancel: () => realClearTimeout(handle) };
  },
  defer(fn) {
    return this.schedule(0, fn);
  },
};
/** The longest virtual time waits for real work a role started (real I/O, a real timer), in real milliseconds. */
const REAL_WAIT_CAP_MS = 5000;

/** A role was woken by something outside the simulation: a real timer, real I/O, a worker thread. */
export class OutOfBandWakeUpError extends MultinodeError {
  constructor(role: string, what: string) {
    super(
      'SIMULATION_WAKE_UP',
      `Role '${role}' was woken from outside the simulation by ${what}. In simulation mode every timer and every wait must go through virtual time ` +
        "(the globals, node:timers and node:timers/promises as the test's module registry loads them, the node's ctx.clock); real I/O and real timers make a run depend on the machine. " +
        'Set multinode.simulation.strict to false to let it pass, which gives up the promise that a seed replays the run.',
    );
  }
}

/**
 * One simulated file, on the lead: the scheduler and its virtual clock, the world that knows which
 * role runs, the simulated links, and the runner that starts every other role's copy of the file in
 * this thread. Virtual time stands still until every role has loaded its file (each holds the
 * scheduler until its run_start), so no role's node runs ahead of another's load.
 *
 * While it runs, it owns what the roles share in this thread: the process's error listeners (each
 * role's jest-circus keeps its own, and an error goes to the role that caused it), the built-in
 * timer, crypto and performance modules (they answer with the running role's virtual time and
 * seeded randomness), and a watch for wake-ups from outside the simulation.
 */
export class Simulation {
  readonly scheduler: SimScheduler;
  readonly world: SimWorld;
  readonly runner: SimRunner;
  private readonly releases = new Map<string, () => void>();
  private readonly loadedRoles = new Set<string>();
  /** Roles other than the lead whose run of the file has ended. */
  private readonly filesDone = new Set<string>();
  private leadRunFinished = false;
  /** Roles between their run_start and run_finish: Jest's own work before and after is not theirs. */
  private readonly inTests = new Set<string>();
  private readonly realms = new Map<string, (promise: Promise<unknown>) => string | undefined>();
  private readonly undo: Array<() => void> = [];

  constructor(private readonly options: SimulationOptions) {
    const lead = options.roles[0]!;
    this.scheduler = new SimScheduler(options.seed, { onError: (owner, error) => this.uncaught(owner, error) });
    const watchdog = SyncLoopWatchdog.start({ ...options.watchdog, roles: options.roles });
    if (watchdog !== undefined) this.undo.push(() => watchdog.stop());
    this.world = new SimWorld(
      this.scheduler,
      (owner, error) => this.uncaught(owner, error),
      (owner) => watchdog?.enter(owner, this.scheduler.now()),
    );
    for (const role of options.roles) this.releases.set(role, this.scheduler.hold(`load:${role}`));
    const network = new SimNetwork(this.world, options.seed, options.latencyMs);
    this.runner = new SimRunner(this.world, network, (role, start, control, links) => this.launch(role, start, control, links));

    const currentRole = (): string | null => {
      const owner = this.world.current();
      return owner === HARNESS_OWNER ? null : owner;
    };
    const errors = ownProcessErrors({
      // Jest's own context is the lead's: its jest-circus installs its handlers there.
      currentRole: () => currentRole() ?? lead,
      report: (role, _kind, error) => options.onUnhandled(role ?? lead, error),
      roleOfPromise: (promise) => {
        for (const roleOf of this.realms.values()) {
          const role = roleOf(promise);
          if (role !== undefined) return role;
        }
        return undefined;
      },
    });
    this.undo.push(() => errors.release());
    const shared = options.roles.map((role) => [role, { clock: this.world.clockFor(role), random: this.randomFor(role).fork('shared-modules') }] as const);
    const byRole = new Map(shared);
    this.undo.push(
      patchSharedModules({
        currentRole,
        timeOf: (role) => byRole.get(role)?.clock,
        randomOf: (role) => {
          const rng = byRole.get(role)?.random;
          return rng === undefined ? undefined : () => rng.next();
        },
      }),
    );
    const watch = watchWakeUps({
      currentRole: () => {
        const role = currentRole();
        return role !== null && this.inTests.has(role) ? role : null;
      },
      // From each role's run_start (see currentRole above), not from the moment every role has loaded:
      // a role's first test may start real I/O while another role is still loading its file.
      isSimulating: () => options.strict,
      rootDir: options.rootDir,
      // Right after the waking callback, in its async context: the test it woke is still running.
      onWakeUp: (role, what) => queueMicrotask(() => this.uncaught(role, new OutOfBandWakeUpError(role, what))),
      // Virtual time waits for the real thing (up to REAL_WAIT_CAP_MS of real time), so that no virtual
      // timeout passes first and the wake-up fails the test whatever the machine's speed.
      onTracked: (role) => {
        const release = this.scheduler.hold(`real work started by ${role}`);
        realSetTimeout(release, REAL_WAIT_CAP_MS).unref();
        return release;
      },
    });
    this.undo.push(() => watch.stop());
    // Like the watchdog, off while a debugger may hold the thread at a breakpoint.
    if (inspectorUrl() === undefined) {
      const guard = watch.harness(() =>
        StallGuard.start({
          stallTimeoutMs: options.stallTimeoutMs,
          clock: realClock,
          progress: () => this.scheduler.progress,
          unfinished: () => this.unfinished(),
          onStall: (stall) => this.world.runAs(HARNESS_OWNER, () => this.stalled(stall)),
        }),
      );
      this.undo.push(() => guard.stop());
    }
    // The scheduler's own loop runs as the harness: its real immediates are not a role's.
    this.world.runAs(HARNESS_OWNER, () => void this.scheduler.run());
  }

  /** `role`'s clock: virtual now, timers as events of that role. */
  clockFor(role: string): Clock {
    return this.world.clockFor(role);
  }

  /** A seeded generator for `role`'s `Math.random` and crypto (forked again per use). */
  randomFor(role: string): Rng {
    return createRng(this.options.seed).fork(`sim-globals:${role}`);
  }

  /** `role`'s test sandbox: promises made there that reject unhandled are that role's. */
  registerRealm(role: string, context: Context): void {
    this.realms.set(role, roleOfPromiseByRealm(new Map([[role, context]])));
  }

  /** `role` has loaded its file (or ended without running it): it no longer holds virtual time. */
  loaded(role: string): void {
    this.releases.get(role)?.();
    if (!this.loadedRoles.has(role)) this.inTests.add(role);
    this.loadedRoles.add(role);
  }

  /** `role`'s tests and hooks are done (its run_finish): what Jest does for it afterwards is not watched. */
  runFinished(role: string): void {
    this.inTests.delete(role);
    if (role === this.options.roles[0]) this.leadRunFinished = true;
  }

  /** Ends the simulation: no further event runs, and what the roles shared is given back. */
  stop(): void {
    for (const role of this.options.roles) this.releases.get(role)?.();
    this.scheduler.stop();
    for (const undo of this.undo.splice(0).reverse()) undo();
  }

  /** The roles the simulation still waits for: the lead until its run_finish, the others until their file has ended. */
  private unfinished(): string[] {
    const [lead, ...others] = this.options.roles;
    const waiting = others.filter((role) => !this.filesDone.has(role) && !this.world.isDead(role));
    return this.leadRunFinished ? waiting : [lead!, ...waiting];
  }

  /**
   * Virtual time stood still too long while `roles` had not finished: each is ended with an error
   * saying what it was doing (the lead's becomes its error outside tests), and every hold is let go,
   * so that the deadlines on virtual time (the lead's shutdown among them) can pass.
   */
  private stalled({ stalledMs, roles }: Stall): void {
    const report = { stalledMs, roles, stallTimeoutMs: this.options.stallTimeoutMs, virtualMs: this.scheduler.now() - this.scheduler.startMs, heldBy: this.scheduler.holds() };
    const lead = this.options.roles[0]!;
    for (const role of roles) {
      const doing = this.doing(role);
      const error = new SimulationStalledError(role, doing, report, role !== lead);
      if (role === lead) this.options.onUnhandled(role, error);
      else this.runner.end(role, `the simulation stalled while it ${doing}`, serializeError(error));
    }
    this.scheduler.releaseHolds();
  }

  private doing(role: string): string {
    if (!this.loadedRoles.has(role)) return 'was loading its copy of the test file';
    if (!this.inTests.has(role)) return 'had finished its tests and was waiting to be shut down';
    return this.options.describeRole(role) ?? 'was running its tests';
  }

  /**
   * An error thrown by an event, as Node treats a throwing timer: an uncaught exception of the role
   * that owned the event, which that role's jest-circus turns into a failure of its running test.
   */
  private uncaught(owner: string, error: unknown): void {
    if (owner === HARNESS_OWNER) {
      this.options.onUnhandled(this.options.roles[0]!, error);
      return;
    }
    this.world.runAs(owner, () => realProcess().emit('uncaughtException', error as Error));
  }

  private launch(...[role, start, control, links]: Parameters<ConstructorParameters<typeof SimRunner>[2]>): void {
    const session = new RoleSession(start, control, links, this.world.clockFor(role));
    const context = {
      data: start,
      session,
      simulated: {
        world: this.world,
        random: this.randomFor(role),
        loaded: () => this.loaded(role),
        runFinished: () => this.runFinished(role),
        registerRealm: (sandbox: Context) => this.registerRealm(role, sandbox),
      },
    };
    void (async () => {
      const { fileError, coverage } = await runAsSimulatedRole(context, () => runRoleFile(start, session, () => this.world.now()));
      this.loaded(role);
      this.runFinished(role);
      this.filesDone.add(role);
      // Its test realm is gone with its file: what is still on its way to it is lost, as at an ended thread's port.
      for (const end of links.values()) end.close();
      session.fileDone(fileError, coverage);
      await session.whenShutdownRequested();
      await session.close();
    })();
  }
}
