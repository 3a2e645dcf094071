import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { runJest, statuses } from './helpers/runJest';

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function coverageDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-coverage-'));
  dirs.push(dir);
  return dir;
}

/** Hits per function name of one file in Istanbul's coverage-final.json. */
function functionHits(dir: string, file: string): Record<string, number> {
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'coverage-final.json'), 'utf8')) as Record<string, { fnMap: Record<string, { name: string }>; f: Record<string, number> }>;
  const entry = Object.entries(report).find(([name]) => name.endsWith(file));
  if (entry === undefined) throw new Error(`${file} is not in the coverage report: ${Object.keys(report).join(', ')}`);
  const [, data] = entry;
  return Object.fromEntries(Object.entries(data.fnMap).map(([id, fn]) => [fn.name, data.f[id] ?? 0]));
}

describe('--coverage', () => {
  it('counts lines run by any role and by the node code of any role', async () => {
    const dir = coverageDir();
    const run = await runJest('coverage', ['--coverage', '--coverageReporters=json', `--coverageDirectory=${dir}`]);
    expect(statuses(run)).toEqual(['coverage of every role runs code on some roles only: passed']);
    expect(functionHits(dir, 'lib/work.ts')).toEqual({ onEveryRole: 3, onlyOnB: 1, onlyInTheNodeOfC: 1 });
    // The factory and stop() ran once per role: every node is stopped inside its role's run of the file.
    expect(functionHits(dir, 'work-node.ts')).toEqual({ '(anonymous_0)': 3, '(anonymous_1)': 3 });
    expect(run.exitCode).toBe(0);
  }, 180_000);

  it('holds coverageThreshold against what every role ran', async () => {
    const threshold = JSON.stringify({ './lib/work.ts': { functions: 100, lines: 100 } });
    const run = await runJest('coverage', ['--coverage', '--coverageReporters=json', `--coverageDirectory=${coverageDir()}`, `--coverageThreshold=${threshold}`]);
    expect(run.stderr).not.toMatch(/coverage threshold/i);
    expect(run.exitCode).toBe(0);
  }, 180_000);
});
