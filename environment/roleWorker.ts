/**
 * The entry point of a role thread (threads and processes modes). The thread runs one role's copy of
 * a test file at a time (see runRoleFile), each given in a `run-file` message; after a file it says
 * it is idle, and the pool may give it the next file of the same Jest worker (see RoleThreadPool).
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { type PoolToThread, RoleSession, type RoleWorkerData, type ThreadToPool, isRoleThreadData, portControlEnd, portLinkEnd } from '../src/harness';
import { systemClock } from '../src/util';
import { setCurrentRole } from './roleContext';
import { runRoleFile } from './runRoleFile';

/** A thread whose heap grew past this share of its limit takes no further file (a leak would build up). */
const RETIRE_AT_HEAP_SHARE = 0.5;

let current: RoleSession | null = null;

function tell(message: ThreadToPool): void {
  parentPort!.postMessage(message);
}

/** Ends the thread after telling the pool why (it takes no further file). */
function retire(reason: string): void {
  tell({ type: 'retiring', reason });
  process.exit(0);
}

async function runFile(data: RoleWorkerData): Promise<void> {
  const links = new Map(Object.entries(data.links).map(([peer, port]) => [peer, portLinkEnd(port)]));
  // Trace events wait for the role's next message, or the event loop's next turn (a barrier's enter goes with its request).
  const session = new RoleSession(data, portControlEnd(data.control), links, systemClock, (flush) => setImmediate(flush));
  current = session;
  setCurrentRole({ data, session, simulated: null });
  try {
    const { fileError, coverage } = await runRoleFile(data, session, () => systemClock.now());
    session.fileDone(fileError, coverage);
    await session.whenShutdownRequested();
    await session.close();
  } finally {
    current = null;
    setCurrentRole(null);
  }
  // One turn of the event loop for errors the file's end set off (a late one retires the thread).
  await new Promise((resolve) => setImmediate(resolve));
  const heap = getHeapStatistics();
  const leftovers = leftoverResources();
  if (leftovers.length > 0) retire(`its file left ${leftovers.join(', ')} running`);
  else if (heap.used_heap_size > heap.heap_size_limit * RETIRE_AT_HEAP_SHARE) retire(`its heap holds ${Math.round(heap.used_heap_size / 2 ** 20)} MiB after the file`);
  else tell({ type: 'idle' });
}

/**
 * What still keeps this thread's event loop busy apart from its channel to the pool: a timer, socket
 * or server the file left running would act, or fail, during the next file.
 */
function leftoverResources(): string[] {
  const resources = process.getActiveResourcesInfo();
  const own = resources.indexOf('MessagePort');
  if (own >= 0) resources.splice(own, 1);
  return resources;
}

function main(): void {
  if (!isRoleThreadData(workerData) || parentPort === null) throw new Error('The role thread was started without its thread data.');
  // An error nothing else catches is the running role's error outside any test; between files it
  // ends the thread. jest-circus swaps these listeners for its own while a file runs, and puts them back.
  const late = (error: unknown): void => {
    if (current !== null) current.roleError(error, systemClock.now());
    else retire(`an error came after its file: ${(error as Error)?.message ?? String(error)}`);
  };
  process.on('uncaughtException', late);
  process.on('unhandledRejection', late);
  parentPort.on('message', (message: PoolToThread) => {
    runFile(message.data).catch((error: unknown) => {
      // Surfaces as the worker's 'error' event on the lead, which reports it against this role.
      process.removeAllListeners('uncaughtException');
      setImmediate(() => {
        throw error;
      });
    });
  });
}

main();
