import type { Config } from '@jest/types';
import type { SerializableError, Test } from '@jest/test-result';
import type { IModuleMap } from 'jest-haste-map';
import type TestRunnerClass from 'jest-runner';
import type RuntimeClass from 'jest-runtime';
import type { RoleSession, RoleStart } from '../src/harness';
import { serializeError, type SerializedError } from '../src/util';
import { loadUserJest } from './userJest';

/** How a role's run of the file ended: an error when the file could not run, and its coverage. */
export interface RoleFileOutcome {
  readonly fileError: SerializedError | null;
  readonly coverage: unknown;
}

/**
 * Runs a role's copy of the test file with the lead's own Jest (its TestRunner, in band), so a role
 * resolves, transforms and mocks modules exactly as the lead does. The Jest environment it creates
 * finds `session` (see MultinodeEnvironment) and starts the node once the file is loaded. Threads
 * mode calls this in the role's worker thread, simulation mode once per role in the lead's thread.
 */
export async function runRoleFile(data: RoleStart, session: RoleSession, now: () => number, projectConfig = data.projectConfig as Config.ProjectConfig): Promise<RoleFileOutcome> {
  const globalConfig = data.globalConfig as Config.GlobalConfig;
  let fileError: SerializedError | null = null;
  let coverage: unknown = null;
  try {
    const jest = loadUserJest(projectConfig);
    const TestRunner = jest.TestRunner as typeof TestRunnerClass;
    const Runtime = jest.Runtime as typeof RuntimeClass;
    const moduleMap = jest.moduleMapFromJSON(data.moduleMap) as IModuleMap;
    const resolver = Runtime.createResolver(projectConfig, moduleMap);
    const runner = new TestRunner(globalConfig, { changedFiles: undefined, sourcesRelatedToTestsInChangedFiles: undefined });
    runner.on('test-file-failure', ([, error]) => {
      fileError = fromJest(error);
    });
    runner.on('test-file-success', ([, result]) => {
      coverage = result.coverage ?? null;
      // The environment reports each error outside tests as it happens; this is only a safety net.
      if (result.testExecError && session.reportedErrorCount === 0) session.roleError(fromJest(result.testExecError), now());
    });
    const test = { path: data.testPath, context: { config: projectConfig, moduleMap, resolver, hasteFS: undefined } } as unknown as Test;
    const watcher = { isInterrupted: () => false, isWatchMode: () => false, on: () => () => undefined, setState: () => undefined };
    await runner.runTests([test], watcher as never, { serial: true });
  } catch (error) {
    fileError = { name: 'Error', message: `The role's test run failed: ${(error as Error)?.stack ?? String(error)}` };
  }
  return { fileError, coverage };
}

function fromJest(error: SerializableError): SerializedError {
  return serializeError({ name: 'Error', message: error.message, stack: error.stack ?? undefined, code: typeof error.code === 'string' ? error.code : undefined });
}
