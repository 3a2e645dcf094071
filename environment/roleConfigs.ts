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
    if (!isTsJest(transformer)) return [pattern, transformer, options];
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

/** The transformer module a role runs in place of a cache-first-able one (see cacheFirstTransformer.ts). */
export const CACHE_FIRST_TRANSFORMER = path.join(__dirname, 'cacheFirstTransformer.js');

// A file that exists nowhere: the real transformer's key for it depends only on the config.
const PROBE_SOURCE = 'export {};\n';
const PROBE_FILE = '__multinode_cache_probe__.ts';

/** Fingerprints already computed in this process, by transformer, options and config. */
const fingerprints = new Map<string, string | null>();

/**
 * A role's project config (from `roleProjectConfig`) whose ts-jest transforms run through the
 * cache-first transformer: roles then load ts-jest and TypeScript only for a module Jest's cache does
 * not have. Each fingerprint is the real transformer's key of a probe file under the role's config,
 * computed here on the lead, where Jest has loaded ts-jest already. A transform whose fingerprint
 * cannot be computed is left as it is.
 */
export function cacheFirstTransforms(roleConfig: Config.ProjectConfig): Config.ProjectConfig {
  const transform = roleConfig.transform.map(([pattern, transformer, options]): [string, string, unknown] => {
    if (!isTsJest(transformer)) return [pattern, transformer, options];
    const fingerprint = fingerprintOf(transformer, options, roleConfig);
    return fingerprint === null ? [pattern, transformer, options] : [pattern, CACHE_FIRST_TRANSFORMER, { transformer, options, fingerprint }];
  });
  return { ...roleConfig, transform: transform as Config.ProjectConfig['transform'] };
}

function fingerprintOf(transformer: string, options: unknown, config: Config.ProjectConfig): string | null {
  const configString = JSON.stringify(config);
  const id = `${transformer}\0${JSON.stringify(options)}\0${configString}`;
  if (fingerprints.has(id)) return fingerprints.get(id)!;
  let fingerprint: string | null = null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(transformer) as { default?: unknown };
    const module = (loaded.default ?? loaded) as { createTransformer?: (options: unknown) => unknown };
    const real = (typeof module.createTransformer === 'function' ? module.createTransformer(options) : module) as { getCacheKey?: (source: string, file: string, options: unknown) => string };
    const transformOptions = {
      config,
      configString,
      cacheFS: new Map<string, string>(),
      instrument: false,
      supportsDynamicImport: false,
      supportsExportNamespaceFrom: false,
      supportsStaticESM: false,
      supportsTopLevelAwait: false,
      transformerConfig: options,
    };
    const key = real.getCacheKey?.(PROBE_SOURCE, path.join(config.rootDir, PROBE_FILE), transformOptions);
    fingerprint = typeof key === 'string' && key !== '' ? key : null;
  } catch {
    // The role loads the real transformer itself, as it would without this.
  }
  fingerprints.set(id, fingerprint);
  return fingerprint;
}

function isTsJest(transformer: string): boolean {
  return /[\\/]ts-jest[\\/]/.test(transformer) || transformer === 'ts-jest';
}
