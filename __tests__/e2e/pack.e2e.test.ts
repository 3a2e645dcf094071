import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createPackedProject, type PackedProject } from './helpers/packedProject';

/**
 * Packs the package, installs the tarball into a fresh project next to jest, ts-jest, ts-node,
 * typescript and @types/jest, and checks the project as a user would meet it: its typings under
 * `skipLibCheck: false` and the packages they reference, the source maps it ships, and its own
 * tests run exactly as API.md shows.
 */
const CONSUMER = path.join(__dirname, 'consumer');
let project: PackedProject;

beforeAll(() => {
  project = createPackedProject(CONSUMER, ['jest', 'ts-jest', 'ts-node', 'typescript', '@types/jest']);
}, 300_000);

afterAll(() => project?.remove());

it('type-checks with skipLibCheck off: the package alone, next to @types/jest, and with @jest/globals imports', () => {
  // tsconfig.json: types ["jest-environment-multinode"]; test/kv.test.ts uses the globals,
  // test/cluster.test.ts imports from @jest/globals and jest-environment-multinode/globals.
  project.typeCheck('tsconfig.json');
  // The same files with types ["jest", "jest-environment-multinode"].
  project.typeCheck('tsconfig.types-jest.json');
}, 120_000);

/** The package each bare specifier of a shipped .d.ts comes from: `node:*` from @types/node, `/// <reference types="x" />` from @types/x. */
function packagesTypingsReference(packageDir: string): Set<string> {
  const used = new Set<string>();
  const packageOf = (specifier: string): string => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2) : specifier.split('/').slice(0, 1)).join('/');
  for (const file of fs.readdirSync(path.join(packageDir, 'dist'), { recursive: true }) as string[]) {
    if (!file.endsWith('.d.ts')) continue;
    const text = fs.readFileSync(path.join(packageDir, 'dist', file), 'utf8');
    for (const [, name] of text.matchAll(/^\/\/\/ <reference types="([^"]+)"/gm)) used.add(`@types/${name}`);
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const [, specifier] of code.matchAll(/(?:from |import\(|declare module )'([^'.][^']*)'/g)) {
      used.add(specifier!.startsWith('node:') ? '@types/node' : packageOf(specifier!));
    }
  }
  return used;
}

it('declares every package its typings reference, @types/node and @types/jest included', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(project.packageDir, 'package.json'), 'utf8')) as { dependencies?: object; peerDependencies?: object };
  const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
  const used = packagesTypingsReference(project.packageDir);
  expect(used).toContain('@types/node');
  expect([...used].filter((name) => !declared.has(name))).toEqual([]);
});

/** Every `sourceMappingURL` of a shipped file and every `sources` entry of a shipped map that names no shipped file. */
function danglingSourceMapReferences(packageDir: string): string[] {
  const dangling: string[] = [];
  const files = (fs.readdirSync(packageDir, { recursive: true }) as string[]).filter((f) => !f.split(path.sep).includes('node_modules'));
  for (const file of files) {
    const full = path.join(packageDir, file);
    const from = path.dirname(full);
    const missing = (target: string): boolean => !fs.existsSync(path.resolve(from, target));
    if (/\.[cm]?js$/.test(file)) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(fs.readFileSync(full, 'utf8'))?.[1];
      if (url !== undefined && !url.startsWith('data:') && missing(url)) dangling.push(`${file} -> ${url}`);
    } else if (file.endsWith('.map')) {
      const map = JSON.parse(fs.readFileSync(full, 'utf8')) as { sourceRoot?: string; sources: string[]; sourcesContent?: unknown[] };
      map.sources.forEach((source, i) => {
        if (map.sourcesContent?.[i] == null && missing(path.join(map.sourceRoot ?? '', source))) dangling.push(`${file} -> ${source}`);
      });
    }
  }
  return dangling;
}

it('ships no source map that points at a file the package does not ship', () => {
  expect(danglingSourceMapReferences(project.packageDir)).toEqual([]);
});

it("runs the consumer project's multi-node tests from the tarball", () => {
  const run = project.runJest([]);
  if (run.json.numFailedTests > 0 || run.exitCode !== 0) throw new Error(`The consumer's tests failed (exit ${run.exitCode}):\n${run.output}`);
  expect({ passed: run.json.numPassedTests, failed: run.json.numFailedTests }).toEqual({ passed: 4, failed: 0 });
  expect(fs.readdirSync(path.join(project.dir, 'multinode-report')).sort()).toEqual(['test__cluster.test.ts.mntrace', 'test__kv.test.ts.mntrace']);
}, 300_000);

it('installs the jest-multinode command, which runs from the tarball', () => {
  const result = spawnSync(path.join(project.dir, 'node_modules', '.bin', 'jest-multinode'), ['explore', '--help'], { cwd: project.dir, encoding: 'utf8', timeout: 60_000 });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  expect(result.stdout).toContain('Usage: jest-multinode explore --seeds <list>');
});
