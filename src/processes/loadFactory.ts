import { createRequire } from 'node:module';
import type { Config } from '@jest/types';
import type { NodeFactory } from '../node';
import { describeValue } from '../util';
import { ProcessNodeError } from './nodeProcessErrors';

/** The part of `@jest/transform` a node process uses. */
interface JestTransform {
  createScriptTransformer(config: Config.ProjectConfig): Promise<{
    requireAndTranspileModule<T>(moduleName: string, callback?: (module: T) => void | Promise<void>): Promise<T>;
  }>;
}

/** A loaded factory, and the release of the require hook that compiles what it loads later. */
export interface LoadedFactory {
  readonly factory: NodeFactory;
  /** Removes the require hook; call when the node is done. */
  release(): void;
}

/**
 * `@jest/transform` as the project's own Jest finds it: through its jest-runner and jest-runtime
 * when the project config names the default runner, else from rootDir, else the one next to this
 * package. The same version as the lead's, so its transform cache and options mean the same.
 */
export function resolveJestTransform(config: Config.ProjectConfig): JestTransform {
  const attempts: Array<() => string> = [];
  if (/[\\/]jest-runner[\\/]/.test(config.runner ?? '')) {
    attempts.push(() => createRequire(createRequire(config.runner).resolve('jest-runtime')).resolve('@jest/transform'));
  }
  attempts.push(() => createRequire(`${config.rootDir}/`).resolve('@jest/transform'));
  attempts.push(() => require.resolve('@jest/transform'));
  for (const attempt of attempts) {
    let found: string;
    try {
      found = attempt();
    } catch {
      continue;
    }
    return require(found) as JestTransform;
  }
  throw new ProcessNodeError(
    'JEST_TRANSFORM_NOT_FOUND',
    `@jest/transform cannot be resolved from the project's jest-runner or rootDir ${config.rootDir}; a node process compiles its factory with the project's own Jest transform, so install jest in the project.`,
  );
}

/**
 * Loads the factory module with the project's Jest transform (the config given should be
 * transpile-only, as role threads use), outside coverage (no instrumentation). The require hook stays
 * in place until `release()`, so modules the node requires later are compiled too.
 */
export async function loadFactory(factoryModule: string, projectConfig: Config.ProjectConfig): Promise<LoadedFactory> {
  const transformer = await resolveJestTransform(projectConfig).createScriptTransformer(projectConfig);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let loaded!: (module: unknown) => void;
  const module = new Promise<unknown>((resolve) => (loaded = resolve));
  // The callback's promise keeps the hook installed: requireAndTranspileModule reverts it when that settles.
  const done = transformer.requireAndTranspileModule<unknown>(factoryModule, (value) => {
    loaded(value);
    return held;
  });
  const factory = await Promise.race([module, done.then(() => module)]);
  if (typeof factory !== 'function') {
    release();
    throw new ProcessNodeError('NOT_A_FACTORY', `The node module ${factoryModule} must default-export a NodeFactory function; its default export is ${describeValue(factory)}.`);
  }
  return { factory: factory as NodeFactory, release };
}
