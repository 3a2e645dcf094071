import * as vm from 'node:vm';
import NodeEnvironment from 'jest-environment-node';
import type { Config } from '@jest/types';

/** A role's context as Jest makes it: jest-environment-node's vm context and global, and a way to run code in it. */
export interface JestContext {
  readonly env: NodeEnvironment;
  readonly global: typeof globalThis;
  readonly projectConfig: Config.ProjectConfig;
  /** Evaluates `code` in the context and returns its value. */
  run<T = unknown>(code: string): T;
  /** Makes `value` a global of the context named `name`. */
  expose(name: string, value: unknown): void;
  teardown(): Promise<void>;
}

/** Creates a jest-environment-node environment with the smallest config it accepts. */
export function createJestContext(): JestContext {
  const projectConfig = { testEnvironmentOptions: {}, globals: {}, fakeTimers: {} } as unknown as Config.ProjectConfig;
  const env = new NodeEnvironment({ globalConfig: {} as Config.GlobalConfig, projectConfig }, { console, docblockPragmas: {}, testPath: __filename });
  const context = env.getVmContext()!;
  return {
    env,
    global: env.global as unknown as typeof globalThis,
    projectConfig,
    run: <T>(code: string) => vm.runInContext(code, context) as T,
    expose: (name, value) => {
      (env.global as unknown as Record<string, unknown>)[name] = value;
    },
    teardown: () => env.teardown(),
  };
}
