/**
 * The entry point of a role's worker thread: runs the role's copy of the test file with Jest's own
 * TestRunner, in band (the environment starts the node once the file is loaded), and shuts down
 * when the lead says so.
 */
import { workerData } from 'node:worker_threads';
import type { Config } from '@jest/types';
import type { SerializableError, Test } from '@jest/test-result';
import type { IModuleMap } from 'jest-haste-map';
import type TestRunnerClass from 'jest-runner';
import type RuntimeClass from 'jest-runtime';
import { RoleSession, isRoleWorkerData, portControlEnd, portLinkEnd } from '../src/harness';
import { serializeError, systemClock, type SerializedError } from '../src/util';
import { ROLE_SESSION_KEY } from './MultinodeEnvironment';
import { loadUserJest } from './userJest';

async function main(): Promise<void> {
  if (!isRoleWorkerData(workerData)) throw new Error('The role worker was started without role data.');
  const data = workerData;
  const globalConfig = data.globalConfig as Config.GlobalConfig;
  const config = data.projectConfig as Config.ProjectConfig;
  const links = new Map(Object.entries(data.links).map(([peer, port]) => [peer, portLinkEnd(port)]));
  const session = new RoleSession(data, portControlEnd(data.control), links, systemClock);
  (globalThis as Record<symbol, unknown>)[ROLE_SESSION_KEY] = session;
  // Until this thread ends, an error nothing else catches is this role's error outside any test.
  // jest-circus swaps these listeners for its own while the file runs, and puts them back after.
  const late = (error: unknown): void => session.roleError(error, systemClock.now());
  process.on('uncaughtException', late);
  process.on('unhandledRejection', late);

  let fileError: SerializedError | null = null;
  let coverage: unknown = null;
  try {
    // The lead's own Jest and module map: a role resolves and mocks modules exactly as the lead does.
    const jest = loadUserJest(config);
    const TestRunner = jest.TestRunner as typeof TestRunnerClass;
    const Runtime = jest.Runtime as typeof RuntimeClass;
    const moduleMap = jest.moduleMapFromJSON(data.moduleMap) as IModuleMap;
    const resolver = Runtime.createResolver(config, moduleMap);
    const runner = new TestRunner(globalConfig, { changedFiles: undefined, sourcesRelatedToTestsInChangedFiles: undefined });
    runner.on('test-file-failure', ([, error]) => {
      fileError = fromJest(error);
    });
    runner.on('test-file-success', ([, result]) => {
      coverage = result.coverage ?? null;
      // The environment reports each error outside tests as it happens; this is only a safety net.
      if (result.testExecError && session.reportedErrorCount === 0) session.roleError(fromJest(result.testExecError), systemClock.now());
    });
    const test = { path: data.testPath, context: { config, moduleMap, resolver, hasteFS: undefined } } as unknown as Test;
    const watcher = { isInterrupted: () => false, isWatchMode: () => false, on: () => () => undefined, setState: () => undefined };
    await runner.runTests([test], watcher as never, { serial: true });
  } catch (error) {
    fileError = { name: 'Error', message: `The role's test run failed: ${(error as Error)?.stack ?? String(error)}` };
  }
  session.fileDone(fileError, coverage);
  await session.whenShutdownRequested();
  await session.close();
}

function fromJest(error: SerializableError): SerializedError {
  return serializeError({ name: 'Error', message: error.message, stack: error.stack ?? undefined, code: typeof error.code === 'string' ? error.code : undefined });
}

main().catch((error: unknown) => {
  // Surfaces as the worker's 'error' event on the lead, which reports it against this role.
  process.removeAllListeners('uncaughtException');
  setImmediate(() => {
    throw error;
  });
});
