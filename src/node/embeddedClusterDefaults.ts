import { DEFAULT_CLUSTER_SETTINGS, type ClusterSettings } from '../cluster';

/**
 * The embedded node's first start waits as long as a cluster setting allows: a role thread may start
 * its node long before the lead (still type-checking the file under load) forms the cluster, and the
 * harness's start-up gate bounds that wait and ends the role's thread if it is too long.
 */
const FIRST_JOIN_TIMEOUT_MS = 10 * 60_000;
/** A restart (an incarnation after the first) joins a running cluster. */
const RESTART_JOIN_TIMEOUT_MS = 60_000;

/** Up to this many roles, the failure detection defaults hold as they are. */
export const ROLES_AT_DEFAULT_TIMING = 8;
/** The most the failure detection defaults are stretched for a large cluster. */
export const MAX_TIMING_FACTOR = 3;

/**
 * The cluster settings the embedded node uses where `nodeOptions.cluster` says nothing.
 *
 * Every role of a test file runs on one machine, so a cluster of many roles is also a machine with
 * many busy threads per core: on two cores, 32 role threads that are still booting Jest starve each
 * other for seconds at a time, and a healthy member that misses its heartbeats for 1 s is downed
 * 1 s later. So beyond `ROLES_AT_DEFAULT_TIMING` roles, `unreachableAfterMs` and `stableAfterMs` grow
 * with the number of roles (16 roles: twice the defaults; 24 and more: `MAX_TIMING_FACTOR` times),
 * as Akka's test kit dilates its timeouts on slow machines. The factor depends on the role count only,
 * never on the machine, so a simulated run stays the same on every machine.
 */
export function embeddedClusterDefaults(roleCount: number, incarnation: number): Partial<ClusterSettings> {
  const joinTimeoutMs = incarnation === 0 ? FIRST_JOIN_TIMEOUT_MS : RESTART_JOIN_TIMEOUT_MS;
  const factor = timingFactor(roleCount);
  if (factor === 1) return { joinTimeoutMs };
  return {
    joinTimeoutMs,
    unreachableAfterMs: Math.round(DEFAULT_CLUSTER_SETTINGS.unreachableAfterMs * factor),
    stableAfterMs: Math.round(DEFAULT_CLUSTER_SETTINGS.stableAfterMs * factor),
  };
}

/** How much the failure detection defaults stretch for `roleCount` roles on one machine: 1 up to 8 roles, then roles / 8, at most 3. */
export function timingFactor(roleCount: number): number {
  return Math.min(MAX_TIMING_FACTOR, Math.max(1, roleCount / ROLES_AT_DEFAULT_TIMING));
}
