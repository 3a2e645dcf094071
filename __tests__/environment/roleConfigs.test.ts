import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Config } from '@jest/types';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { roleGlobalConfig, roleProjectConfig } from '../../environment/roleConfigs';

type Transform = Config.ProjectConfig['transform'];

const TS_JEST_PATH = '/repo/node_modules/ts-jest/dist/index.js';

describe('roleProjectConfig', () => {
  let cacheDirectory: string;
  const rootDir = '/repo';

  beforeEach(() => {
    cacheDirectory = mkdtempSync(join(tmpdir(), 'multinode-roleconfigs-'));
  });

  afterEach(() => {
    rmSync(cacheDirectory, { recursive: true, force: true });
  });

  const project = (transform: Transform): Config.ProjectConfig =>
    ({ rootDir, cacheDirectory, transform, testEnvironment: 'multinode' }) as unknown as Config.ProjectConfig;

  const derivedFiles = (): string[] => {
    try {
      return readdirSync(join(cacheDirectory, 'jest-environment-multinode'));
    } catch {
      return [];
    }
  };

  it('makes ts-jest transpile-only with an object tsconfig, keeping its other settings', () => {
    const config = roleProjectConfig(project([['^.+\\.ts$', TS_JEST_PATH, { tsconfig: { strict: true }, diagnostics: { warnOnly: true } }]]));
    expect(config.transform).toEqual([['^.+\\.ts$', TS_JEST_PATH, { tsconfig: { strict: true, isolatedModules: true }, diagnostics: { warnOnly: true } }]]);
    expect(derivedFiles()).toEqual([]);
  });

  it('adds an isolatedModules tsconfig when ts-jest has no options or no tsconfig', () => {
    const config = roleProjectConfig(
      project([
        ['^.+\\.ts$', 'ts-jest', undefined],
        ['^.+\\.tsx$', TS_JEST_PATH, { babelConfig: false }],
      ] as unknown as Transform),
    );
    expect(config.transform).toEqual([
      ['^.+\\.ts$', 'ts-jest', { tsconfig: { isolatedModules: true } }],
      ['^.+\\.tsx$', TS_JEST_PATH, { babelConfig: false, tsconfig: { isolatedModules: true } }],
    ]);
  });

  it('recognises ts-jest by a Windows path too', () => {
    const windows = 'C:\\repo\\node_modules\\ts-jest\\dist\\index.js';
    const config = roleProjectConfig(project([['^.+\\.ts$', windows, {}]]));
    expect(config.transform[0]![2]).toEqual({ tsconfig: { isolatedModules: true } });
  });

  it('replaces a tsconfig path with a derived file in the cache directory that extends it', () => {
    const userTsconfig = join(cacheDirectory, 'tsconfig.test.json');
    writeFileSync(userTsconfig, '{}');
    const config = roleProjectConfig(project([['^.+\\.ts$', TS_JEST_PATH, { tsconfig: userTsconfig, diagnostics: false }]]));
    const [, , options] = config.transform[0]! as [string, string, { tsconfig: string; diagnostics: boolean }];
    expect(options.diagnostics).toBe(false);
    expect(options.tsconfig).not.toBe(userTsconfig);
    expect(options.tsconfig.startsWith(join(cacheDirectory, 'jest-environment-multinode') + '/')).toBe(true);
    expect(options.tsconfig).toMatch(/tsconfig-[0-9a-f]{12}\.json$/);
    expect(JSON.parse(readFileSync(options.tsconfig, 'utf8'))).toEqual({ extends: userTsconfig, compilerOptions: { isolatedModules: true } });
  });

  it('resolves a relative or <rootDir> tsconfig path against rootDir', () => {
    for (const given of ['tsconfig.json', '<rootDir>/tsconfig.json', './tsconfig.json']) {
      const config = roleProjectConfig(project([['^.+\\.ts$', TS_JEST_PATH, { tsconfig: given }]]));
      const file = (config.transform[0]![2] as { tsconfig: string }).tsconfig;
      expect(JSON.parse(readFileSync(file, 'utf8')).extends).toBe('/repo/tsconfig.json');
    }
    // The three spellings name one file, so they share one derived file.
    expect(derivedFiles()).toHaveLength(1);
  });

  it('derives one file per user tsconfig and rewrites it only when its content is stale', () => {
    const first = roleProjectConfig(project([['^.+\\.ts$', TS_JEST_PATH, { tsconfig: '/repo/a.json' }]]));
    const second = roleProjectConfig(project([['^.+\\.ts$', TS_JEST_PATH, { tsconfig: '/repo/b.json' }]]));
    const fileA = (first.transform[0]![2] as { tsconfig: string }).tsconfig;
    const fileB = (second.transform[0]![2] as { tsconfig: string }).tsconfig;
    expect(fileA).not.toBe(fileB);
    writeFileSync(fileA, '{"stale":true}');
    const again = roleProjectConfig(project([['^.+\\.ts$', TS_JEST_PATH, { tsconfig: '/repo/a.json' }]]));
    expect((again.transform[0]![2] as { tsconfig: string }).tsconfig).toBe(fileA);
    expect(JSON.parse(readFileSync(fileA, 'utf8'))).toEqual({ extends: '/repo/a.json', compilerOptions: { isolatedModules: true } });
  });

  it('leaves other transforms untouched, and keeps the order of the entries', () => {
    const babel: [string, string, unknown] = ['^.+\\.jsx?$', '/repo/node_modules/babel-jest/build/index.js', { presets: ['x'] }];
    const custom: [string, string, unknown] = ['^.+\\.css$', '/repo/tools/ts-jest-like.js', { tsconfig: 'keep.json' }];
    const config = roleProjectConfig(project([babel, ['^.+\\.ts$', TS_JEST_PATH, {}], custom] as Transform));
    expect(config.transform[0]).toEqual(babel);
    expect(config.transform[0]![2]).toBe(babel[2]);
    expect(config.transform[1]![2]).toEqual({ tsconfig: { isolatedModules: true } });
    expect(config.transform[2]).toEqual(custom);
    expect(derivedFiles()).toEqual([]);
  });

  it('does not modify the config it was given, and keeps every other field', () => {
    const options = { tsconfig: { strict: true } };
    const original = project([['^.+\\.ts$', TS_JEST_PATH, options]]);
    const config = roleProjectConfig(original);
    expect(options).toEqual({ tsconfig: { strict: true } });
    expect(original.transform[0]![2]).toBe(options);
    expect(config).not.toBe(original);
    expect(config.rootDir).toBe(rootDir);
    expect((config as unknown as { testEnvironment: string }).testEnvironment).toBe('multinode');
  });
});

describe('roleGlobalConfig', () => {
  it('turns off verbose output, snapshot updates, reporters and open-handle detection, and keeps babel coverage on', () => {
    const global = {
      rootDir: '/repo',
      verbose: true,
      silent: true,
      collectCoverage: true,
      updateSnapshot: 'all',
      ci: false,
      json: true,
      detectOpenHandles: true,
      reporters: [['default', {}]],
      maxWorkers: 4,
      testNamePattern: 'delivers',
    } as unknown as Config.GlobalConfig;
    const role = roleGlobalConfig(global);
    expect(role).toMatchObject({
      verbose: false,
      silent: false,
      collectCoverage: true,
      updateSnapshot: 'none',
      ci: true,
      json: false,
      detectOpenHandles: false,
      reporters: [],
      maxWorkers: 1,
    });
    // What selects tests stays the same, so every role selects the same tests.
    expect(role.testNamePattern).toBe('delivers');
    expect(role.rootDir).toBe('/repo');
    expect(global.collectCoverage).toBe(true);
    // V8 coverage is the lead's process only.
    expect(roleGlobalConfig({ ...global, coverageProvider: 'v8' }).collectCoverage).toBe(false);
  });
});
