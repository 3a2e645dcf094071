/**
 * The entry point of a role's worker thread (threads mode): runs the role's copy of the test file
 * (see runRoleFile) and shuts down when the lead says so.
 */
import { workerData } from 'node:worker_threads';
import { RoleSession, isRoleWorkerData, portControlEnd, portLinkEnd } from '../src/harness';
import { systemClock } from '../src/util';
import { ROLE_SESSION_KEY } from './roleContext';
import { runRoleFile } from './runRoleFile';

async function main(): Promise<void> {
  if (!isRoleWorkerData(workerData)) throw new Error('The role worker was started without role data.');
  const data = workerData;
  const links = new Map(Object.entries(data.links).map(([peer, port]) => [peer, portLinkEnd(port)]));
  const session = new RoleSession(data, portControlEnd(data.control), links, systemClock);
  (globalThis as Record<symbol, unknown>)[ROLE_SESSION_KEY] = session;
  // Until this thread ends, an error nothing else catches is this role's error outside any test.
  // jest-circus swaps these listeners for its own while the file runs, and puts them back after.
  const late = (error: unknown): void => session.roleError(error, systemClock.now());
  process.on('uncaughtException', late);
  process.on('unhandledRejection', late);

  const { fileError, coverage } = await runRoleFile(data, session, () => systemClock.now());
  session.fileDone(fileError, coverage);
  await session.whenShutdownRequested();
  await session.close();
}

main().catch((error: unknown) => {
  // Surfaces as the worker's 'error' event on the lead, which reports it against this role.
  process.removeAllListeners('uncaughtException');
  setImmediate(() => {
    throw error;
  });
});
