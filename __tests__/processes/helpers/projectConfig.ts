import * as path from 'node:path';
import type { Config } from '@jest/types';
import { normalize } from 'jest-config';
import { roleProjectConfig } from '../../../environment/roleConfigs';

/** The repository root, where the tests' tsconfig and node_modules are. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** A normalized Jest project config of this repository with ts-jest made transpile-only, as a role gets it. */
export async function transpileOnlyProjectConfig(): Promise<Config.ProjectConfig> {
  const { options } = await normalize({ rootDir: REPO_ROOT, transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] } }, {} as Config.Argv);
  return roleProjectConfig(options);
}
