import type { Config } from '@jest/types';
import { RoleSession } from '../src/harness';
import { createRng, type Clock, type Rng } from '../src/util';
import { SimNetwork, SimRunner, SimScheduler, SimWorld, type LatencyMs } from '../src/sim';
import { registerSimulatedRole } from './roleContext';
import { runRoleFile } from './runRoleFile';

/** What the lead needs to run a file in simulation mode. */
export interface SimulationOptions {
  readonly roles: readonly string[];
  readonly seed: number;
  readonly latencyMs: LatencyMs;
  /** An error thrown by an event of `owner` (a role, or the harness) that nothing caught. */
  readonly onError: (owner: string, error: unknown) => void;
}

/**
 * One simulated file, on the lead: the scheduler and its virtual clock, the world that knows which
 * role runs, the simulated links, and the runner that starts every other role's copy of the file in
 * this thread. Virtual time stands still until every role has loaded its file (each holds the
 * scheduler until its run_start), so no role's node runs ahead of another's load.
 */
export class Simulation {
  readonly scheduler: SimScheduler;
  readonly world: SimWorld;
  readonly runner: SimRunner;
  private readonly releases = new Map<string, () => void>();

  constructor(private readonly options: SimulationOptions) {
    const lead = options.roles[0]!;
    this.scheduler = new SimScheduler(options.seed, { onError: (owner: string, error: unknown) => options.onError(owner, error) });
    this.world = new SimWorld(this.scheduler, lead, (owner, error) => options.onError(owner, error));
    for (const role of options.roles) this.releases.set(role, this.scheduler.hold(`load:${role}`));
    const network = new SimNetwork(this.world, options.seed, options.latencyMs);
    this.runner = new SimRunner(this.world, network, (role, start, control, links) => {
      const session = new RoleSession(start, control, links, this.world.clockFor(role));
      const registered = registerSimulatedRole(
        { data: start, session, simulated: { world: this.world, random: this.randomFor(role), loaded: () => this.loaded(role) } },
        start.projectConfig as Config.ProjectConfig,
      );
      void (async () => {
        const { fileError, coverage } = await runRoleFile(start, session, () => this.world.now(), registered.projectConfig);
        this.loaded(role);
        session.fileDone(fileError, coverage);
        await session.whenShutdownRequested();
        await session.close();
        registered.forget();
      })();
    });
    this.scheduler.run();
  }

  /** `role`'s clock: virtual now, timers as events of that role. */
  clockFor(role: string): Clock {
    return this.world.clockFor(role);
  }

  /** A seeded generator for `role`'s `Math.random` and crypto (forked again per use). */
  randomFor(role: string): Rng {
    return createRng(this.options.seed).fork(`sim-globals:${role}`);
  }

  /** `role` has loaded its file (or ended without running it): it no longer holds virtual time. */
  loaded(role: string): void {
    this.releases.get(role)?.();
  }

  /** Ends the simulation: no further event runs. */
  stop(): void {
    for (const role of this.options.roles) this.loaded(role);
    this.scheduler.stop();
  }
}

