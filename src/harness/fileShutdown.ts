import { type Clock, serializeError, type SerializedError, withDeadline } from '../util';
import { HarnessTimeoutError, withoutFrames } from './errors';
import type { LeadToRole } from './protocol';
import type { RoleSlot } from './RoleSlot';
import type { NodeDirectory } from './RoleNodeHost';

/** What ending a file needs from the conductor. */
export interface ShutdownHost {
  /** Every role, lead first. */
  readonly roles: readonly string[];
  readonly clock: Clock;
  readonly settings: { readonly finishTimeoutMs: number; readonly stopTimeoutMs: number; readonly graceMs: number };
  /** Which nodes the lead holds (they stop here; the others stop with their role's thread). */
  readonly nodes: NodeDirectory;
  slot(role: string): RoleSlot;
  terminate(role: string, reason: string): void;
  post(role: string, message: LeadToRole): void;
  roleError(role: string, time: number, error: SerializedError): void;
}

/** Waits until every other role has finished its tests and hooks; ends a role that takes past `finishTimeoutMs`. */
export async function awaitRunsFinished(host: ShutdownHost): Promise<void> {
  const finish = host.settings.finishTimeoutMs;
  await Promise.all(
    host.roles.slice(1).map(async (role) => {
      const slot = host.slot(role);
      if (slot.status !== 'running') return;
      try {
        await withDeadline(host.clock, slot.runFinished.promise, finish, () => new HarnessTimeoutError('finish'));
      } catch {
        host.terminate(role, `it did not finish its test file within ${finish} ms after the lead finished`);
      }
    }),
  );
}

/**
 * Tells every other role to shut down (it stops its own node, if it holds one) and ends its thread,
 * and stops the nodes the lead holds, each with a deadline; a failure is an error of its role.
 */
export async function closeRoles(host: ShutdownHost): Promise<void> {
  const { clock, settings } = host;
  const closeMs = settings.stopTimeoutMs + settings.graceMs;
  const threads = host.roles.slice(1).map(async (role) => {
    const slot = host.slot(role);
    if (slot.status !== 'terminated') host.post(role, { type: 'shutdown' });
    try {
      await withDeadline(clock, slot.closed, closeMs, () => new HarnessTimeoutError('close'));
    } catch {
      const error = new HarnessTimeoutError(`Role '${role}' did not shut down within ${closeMs} ms; its thread was terminated.`);
      host.roleError(role, clock.now(), serializeError(withoutFrames(error)));
      await slot.channel?.terminate();
      return;
    }
    // A role the harness ended, or whose thread failed, is not given another file.
    if (slot.status === 'terminated') await slot.channel?.terminate();
    else await slot.channel?.release();
  });
  const held = host.roles.map((role) => host.nodes.hostOf(role)?.stop().catch((error: unknown) => host.roleError(role, clock.now(), serializeError(error))));
  await Promise.all([...threads, ...held]);
}
