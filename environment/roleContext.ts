import { workerData } from 'node:worker_threads';
import type { Config } from '@jest/types';
import { isRoleWorkerData, type RoleSession, type RoleStart } from '../src/harness';
import type { SimWorld } from '../src/sim';
import type { Rng } from '../src/util';

/** Where a role thread's bootstrap leaves its session for the environment Jest creates in that thread. */
export const ROLE_SESSION_KEY = Symbol.for('jest-environment-multinode.role-session');

/** The key in a simulated role's `testEnvironmentOptions` that names its entry in this thread's registry. */
export const SIMULATED_ROLE_OPTION = 'multinodeSimulatedRole';

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

const simulated = new Map<string, RoleContext>();
let nextToken = 1;

/**
 * Registers a role that runs in this thread (simulation mode) and returns the project config its run
 * of the file uses, which leads its environment back here, and how to forget it.
 */
export function registerSimulatedRole(context: RoleContext, projectConfig: Config.ProjectConfig): { projectConfig: Config.ProjectConfig; forget(): void } {
  const token = `${context.data.role}#${nextToken++}`;
  simulated.set(token, context);
  return {
    projectConfig: { ...projectConfig, testEnvironmentOptions: { ...projectConfig.testEnvironmentOptions, [SIMULATED_ROLE_OPTION]: token } },
    forget: () => simulated.delete(token),
  };
}

/** The role this environment runs, or null on the lead (Jest's own run of the file). */
export function findRoleContext(projectConfig: Config.ProjectConfig): RoleContext | null {
  const token = projectConfig.testEnvironmentOptions?.[SIMULATED_ROLE_OPTION];
  if (typeof token === 'string') {
    const context = simulated.get(token);
    if (context === undefined) throw new Error(`The simulated role '${token}' is not registered in this thread; its lead has already ended the file.`);
    return context;
  }
  if (!isRoleWorkerData(workerData)) return null;
  return { data: workerData, session: (globalThis as Record<symbol, unknown>)[ROLE_SESSION_KEY] as RoleSession, simulated: null };
}
