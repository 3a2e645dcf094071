import { AsyncLocalStorage } from 'node:async_hooks';
import type { RoleSession, RoleStart } from '../src/harness';
import type { SimWorld } from '../src/sim';
import type { Rng } from '../src/util';

/**
 * Where a role thread leaves the role whose file it runs now, for the environment Jest creates for it
 * (on the thread's global, so any copy of this module finds it).
 */
const THREAD_ROLE_KEY = Symbol.for('jest-environment-multinode.thread-role');

/** Sets (or clears, between files) the role this thread runs. */
export function setCurrentRole(context: RoleContext | null): void {
  (globalThis as Record<symbol, unknown>)[THREAD_ROLE_KEY] = context;
}

/** What a simulated role's environment needs besides its session. */
export interface SimulatedRole {
  readonly world: SimWorld;
  /** Seeded randomness of this role's `Math.random` and crypto. */
  readonly random: Rng;
  /** Called at the role's run_start: its file is loaded, virtual time may run. */
  readonly loaded: () => void;
  /** Called at the role's run_finish: its tests and hooks are done. */
  readonly runFinished: () => void;
  /** Tells the simulation the role's test sandbox, to attribute its unhandled rejections. */
  readonly registerRealm: (context: import('node:vm').Context) => void;
}

/** A non-lead role's identity and session, as the environment Jest creates for it finds them. */
export interface RoleContext {
  readonly data: RoleStart;
  readonly session: RoleSession;
  /** Set in simulation mode. */
  readonly simulated: SimulatedRole | null;
}

/** The simulated role whose run of the file is in progress, carried through that run's async context. */
const simulatedRole = new AsyncLocalStorage<RoleContext>();

/**
 * Runs `run` (a role's run of the file, in this thread: simulation mode) so that the environment Jest
 * creates during it finds `context`. Carried by the run's async context rather than by its project
 * config, so every role's config stays the lead's and the transform cache serves them all.
 */
export function runAsSimulatedRole<T>(context: RoleContext, run: () => T): T {
  return simulatedRole.run(context, run);
}

/** The role this environment runs, or null on the lead (Jest's own run of the file). */
export function findRoleContext(): RoleContext | null {
  const simulated = simulatedRole.getStore();
  if (simulated !== undefined) return simulated;
  return ((globalThis as Record<symbol, unknown>)[THREAD_ROLE_KEY] as RoleContext | null | undefined) ?? null;
}
