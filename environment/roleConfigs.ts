import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Config } from '@jest/types';
import { rolesCollectCoverage } from './coverage';

/**
 * The Jest configs a role thread runs the file with. Roles do not print or write snapshots (the lead
 * does, in Jest's own context), they collect coverage for the lead to merge (see coverage.ts), and
 * ts-jest only transpiles there: the lead has already type-checked the same file, and type-checking
 * it again per role costs seconds.
 */
export function roleGlobalConfig(globalConfig: Config.GlobalConfig): Config.GlobalConfig {
  return {
    ...globalConfig,
    verbose: false,
    silent: false,
    collectCoverage: rolesCollectCoverage(globalConfig),
    updateSnapshot: 'none',
    ci: true,
    json: false,
    detectOpenHandles: false,
    reporters: [],
    maxWorkers: 1,
  };
}

/** The project config of a role: ts-jest transforms switched to transpile-only. */
export function roleProjectConfig(projectConfig: Config.ProjectConfig): Config.ProjectConfig {
  const transform = projectConfig.transform.map(([pattern, transformer, options]): [string, string, unknown] => {
    if (!/[\\/]ts-jest[\\/]/.test(transformer) && transformer !== 'ts-jest') return [pattern, transformer, options];
    return [pattern, transformer, transpileOnly(projectConfig, (options ?? {}) as Record<string, unknown>)];
  });
  return { ...projectConfig, transform: transform as Config.ProjectConfig['transform'] };
}

function transpileOnly(projectConfig: Config.ProjectConfig, options: Record<string, unknown>): Record<string, unknown> {
  const tsconfig = options.tsconfig;
  if (typeof tsconfig === 'string') {
    // A derived tsconfig that extends the user's file, so ts-jest reads it the same way.
    const source = path.resolve(projectConfig.rootDir, tsconfig.replace('<rootDir>', projectConfig.rootDir));
    const dir = path.join(projectConfig.cacheDirectory, 'jest-environment-multinode');
    const file = path.join(dir, `tsconfig-${createHash('sha1').update(source).digest('hex').slice(0, 12)}.json`);
    const content = JSON.stringify({ extends: source, compilerOptions: { isolatedModules: true } });
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content) fs.writeFileSync(file, content);
    return { ...options, tsconfig: file };
  }
  const compilerOptions = typeof tsconfig === 'object' && tsconfig !== null ? (tsconfig as Record<string, unknown>) : {};
  return { ...options, tsconfig: { ...compilerOptions, isolatedModules: true } };
}
