import { createRequire } from 'node:module';
import type { Config } from '@jest/types';
import type TestRunnerClass from 'jest-runner';
import type RuntimeClass from 'jest-runtime';
import type HasteMap from 'jest-haste-map';
import type { IModuleMap, SerializableModuleMap } from 'jest-haste-map';

/** The Jest packages a role runs its file with. */
export interface UserJest {
  readonly TestRunner: typeof TestRunnerClass;
  readonly Runtime: typeof RuntimeClass;
  /** Rebuilds a module map sent by the lead, as jest-runner's own workers do. */
  moduleMapFromJSON(json: SerializableModuleMap): IModuleMap;
  /** Where jest-runner was found, for messages. */
  readonly runnerPath: string;
}

/**
 * The project's own Jest: jest-runner as the project config resolved it (Jest's default `runner`),
 * and jest-runtime and jest-haste-map as that jest-runner finds them. The lead runs inside exactly
 * these, so roles that load them run the same version, whatever this package was installed next to.
 * A project with a custom `runner` falls back to the jest-runner its rootDir resolves.
 */
export function loadUserJest(config: Config.ProjectConfig): UserJest {
  const runnerPath = isJestRunner(config.runner) ? config.runner : createRequire(`${config.rootDir}/`).resolve('jest-runner');
  const fromRunner = createRequire(runnerPath);
  return {
    TestRunner: interop<typeof TestRunnerClass>(fromRunner(runnerPath)),
    Runtime: interop<typeof RuntimeClass>(fromRunner('jest-runtime')),
    moduleMapFromJSON: (json) => interop<typeof HasteMap>(fromRunner('jest-haste-map')).getStatic(config).getModuleMapFromJSON(json),
    runnerPath,
  };
}

function isJestRunner(runner: string): boolean {
  return /[\\/]jest-runner[\\/]/.test(runner);
}

function interop<T>(module: unknown): T {
  const value = module as { __esModule?: boolean; default?: T };
  return (value.__esModule === true || typeof value !== 'function') && value.default !== undefined ? value.default : (module as T);
}

const moduleMaps = new Map<string, Promise<SerializableModuleMap>>();

/**
 * The project's module map (haste modules and `__mocks__`), as Jest's own workers receive it: built
 * once per project and process from Jest's haste map cache, serialized for the role threads.
 */
export function projectModuleMap(config: Config.ProjectConfig, globalConfig: Config.GlobalConfig): Promise<SerializableModuleMap> {
  const key = `${config.id}\0${config.rootDir}`;
  let map = moduleMaps.get(key);
  if (map === undefined) {
    const { Runtime } = loadUserJest(config);
    map = Runtime.createHasteMap(config, { maxWorkers: 1, resetCache: false, watch: false, watchman: globalConfig.watchman })
      .then((hasteMap) => hasteMap.build())
      .then(({ moduleMap }) => (moduleMap as unknown as { toJSON(): SerializableModuleMap }).toJSON());
    map.catch(() => moduleMaps.delete(key));
    moduleMaps.set(key, map);
  }
  return map;
}
