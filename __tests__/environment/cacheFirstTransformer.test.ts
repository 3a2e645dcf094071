import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Config } from '@jest/types';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransformer } from '../../environment/cacheFirstTransformer';
import { CACHE_FIRST_TRANSFORMER, cacheFirstTransforms } from '../../environment/roleConfigs';

let dir: string;
let fake: string;

// A stand-in transformer that counts how often it is loaded and tags what it transforms.
const FAKE = `
globalThis.__cacheFirstLoads = (globalThis.__cacheFirstLoads || 0) + 1;
module.exports = { createTransformer: (options) => ({ process: (source) => ({ code: '/*' + options.tag + '*/' + source }) }) };
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'multinode-cachefirst-'));
  fake = join(dir, 'fake-transformer.js');
  writeFileSync(fake, FAKE);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const loads = (): number => ((globalThis as Record<string, unknown>).__cacheFirstLoads as number | undefined) ?? 0;
const flags = (instrument: boolean, supportsStaticESM = false): { instrument: boolean; supportsStaticESM: boolean } => ({ instrument, supportsStaticESM });

describe('the cache-first transformer', () => {
  it('computes cache keys without loading the real transformer, from the fingerprint, file, path and flags', () => {
    const transformer = createTransformer({ transformer: fake, options: { tag: 'x' }, fingerprint: 'f1' });
    const key = transformer.getCacheKey!('const a = 1;', '/p/a.ts', flags(false));
    expect(loads()).toBe(0);
    expect(transformer.getCacheKey!('const a = 1;', '/p/a.ts', flags(false))).toBe(key);
    const others = [
      transformer.getCacheKey!('const a = 2;', '/p/a.ts', flags(false)),
      transformer.getCacheKey!('const a = 1;', '/p/b.ts', flags(false)),
      transformer.getCacheKey!('const a = 1;', '/p/a.ts', flags(true)),
      transformer.getCacheKey!('const a = 1;', '/p/a.ts', flags(false, true)),
      createTransformer({ transformer: fake, options: { tag: 'x' }, fingerprint: 'f2' }).getCacheKey!('const a = 1;', '/p/a.ts', flags(false)),
    ];
    expect(new Set([key, ...others]).size).toBe(6);
    expect(loads()).toBe(0);
  });

  it('loads the real transformer once, on the first transform, and hands it every file', async () => {
    const transformer = createTransformer({ transformer: fake, options: { tag: 'y' }, fingerprint: 'f' });
    expect(transformer.process('a', '/p/a.ts', flags(false))).toEqual({ code: '/*y*/a' });
    expect(await transformer.processAsync!('b', '/p/b.ts', flags(false))).toEqual({ code: '/*y*/b' });
    expect(loads()).toBe(1);
  });
});

describe('cacheFirstTransforms', () => {
  const tsJest = require.resolve('ts-jest');
  const project = (transform: unknown[]): Config.ProjectConfig =>
    ({ rootDir: dir, cwd: dir, cacheDirectory: join(dir, 'cache'), transform, globals: {}, testMatch: [], testRegex: [], moduleFileExtensions: ['ts', 'js'] }) as unknown as Config.ProjectConfig;

  it('runs ts-jest transforms through the cache-first transformer, with a fingerprint of their config', () => {
    const es2020 = cacheFirstTransforms(project([['^.+\\.ts$', tsJest, { tsconfig: { target: 'es2020', isolatedModules: true } }]]));
    const es2022 = cacheFirstTransforms(project([['^.+\\.ts$', tsJest, { tsconfig: { target: 'es2022', isolatedModules: true } }]]));
    const [pattern, transformer, options] = es2020.transform[0]!;
    expect([pattern, transformer]).toEqual(['^.+\\.ts$', CACHE_FIRST_TRANSFORMER]);
    expect(options).toEqual({ transformer: tsJest, options: { tsconfig: { target: 'es2020', isolatedModules: true } }, fingerprint: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const fingerprint = (config: Config.ProjectConfig): string => (config.transform[0]![2] as { fingerprint: string }).fingerprint;
    expect(fingerprint(es2022)).not.toBe(fingerprint(es2020));
    expect(fingerprint(cacheFirstTransforms(project([['^.+\\.ts$', tsJest, { tsconfig: { target: 'es2020', isolatedModules: true } }]])))).toBe(fingerprint(es2020));
  });

  it('leaves other transformers, and a ts-jest whose fingerprint cannot be computed, as they are', () => {
    const babel: [string, string, unknown] = ['^.+\\.js$', '/repo/node_modules/babel-jest/build/index.js', {}];
    const missing: [string, string, unknown] = ['^.+\\.tsx$', join(dir, 'node_modules', 'ts-jest', 'missing.js'), {}];
    expect(cacheFirstTransforms(project([babel, missing])).transform).toEqual([babel, missing]);
  });
});
