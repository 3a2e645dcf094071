import { createRequire } from 'node:module';
import type { Config } from '@jest/types';
import type RuntimeClass from 'jest-runtime';
import type HasteMap from 'jest-haste-map';
import type { SerializableModuleMap } from 'jest-haste-map';
import { MultinodeError } from '../src/util';

/**
 * The Jest packages a role runs its file with. Opaque here, typed where they are used (the role
 * worker): the package's typings must not reference Jest packages it does not depend on.
 */
export interface UserJest {
  /** jest-runner's `TestRunner` class. */
  readonly TestRunner: unknown;
  /** jest-runtime's `Runtime` class. */
  readonly Runtime: unknown;
  /** Rebuilds a module map sent by the lead (jest-haste-map's `IModuleMap`), as jest-runner's own workers do. */
  moduleMapFromJSON(json: unknown): unknown;
}

/** The project's Jest could not be found. */
export class UserJestNotFoundError extends MultinodeError {
  constructor(message: string) {
    super('USER_JEST_NOT_FOUND', message);
  }
}

/**
 * The project's own Jest: jest-runner as the project config resolved it (Jest's default `runner`),
 * and jest-runtime and jest-haste-map as that jest-runner finds them. The lead runs inside exactly
 * these, so roles that load them run the same version, whatever this package was installed next to.
 * A project with a custom `runner` falls back to the jest-runner its rootDir resolves.
 */
export function loadUserJest(config: Config.ProjectConfig): UserJest {
  let runnerPath = config.runner;
  if (!isJestRunner(runnerPath)) {
    try {
      runnerPath = createRequire(`${config.rootDir}/`).resolve('jest-runner');
    } catch {
      throw new UserJestNotFoundError(
        `The project's runner is '${config.runner}', and jest-runner cannot be resolved from rootDir ${config.rootDir}; multi-node roles run their file with the project's own jest-runner, so install jest in the project.`,
      );
    }
  }
  const fromRunner = createRequire(runnerPath);
  return {
    TestRunner: interop(fromRunner(runnerPath)),
    Runtime: interop(fromRunner('jest-runtime')),
    moduleMapFromJSON: (json) => interop<typeof HasteMap>(fromRunner('jest-haste-map')).getStatic(config).getModuleMapFromJSON(json as SerializableModuleMap),
  };
}

function isJestRunner(runner: string): boolean {
  return /[\\/]jest-runner[\\/]/.test(runner);
}

function interop<T = unknown>(module: unknown): T {
  const value = module as { __esModule?: boolean; default?: T };
  return (value.__esModule === true || typeof value !== 'function') && value.default !== undefined ? value.default : (module as T);
}

const moduleMaps = new Map<string, Promise<SerializableModuleMap>>();

/**
 * The project's module map (haste modules and `__mocks__`), as Jest's own workers receive it: built
 * from Jest's haste map cache and serialized for the role threads, once per project and process. In
 * watch mode every file gets a fresh one, so that a `__mocks__` file added while Jest watches counts.
 */
export function projectModuleMap(config: Config.ProjectConfig, globalConfig: Config.GlobalConfig): Promise<unknown> {
  const watching = globalConfig.watch || globalConfig.watchAll;
  const key = `${config.id}\0${config.rootDir}`;
  let map = watching ? undefined : moduleMaps.get(key);
  if (map === undefined) {
    const Runtime = loadUserJest(config).Runtime as typeof RuntimeClass;
    map = Runtime.createHasteMap(config, { maxWorkers: 1, resetCache: false, watch: false, watchman: globalConfig.watchman })
      .then((hasteMap) => hasteMap.build())
      .then(({ moduleMap }) => (moduleMap as unknown as { toJSON(): SerializableModuleMap }).toJSON());
    if (!watching) {
      map.catch(() => moduleMaps.delete(key));
      moduleMaps.set(key, map);
    }
  }
  return map;
}
