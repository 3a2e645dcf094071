import * as path from 'node:path';
import { runJest, type JestRun } from './helpers/runJest';

/**
 * docs/scale-out.md's first way beyond one machine: Jest's `--shard=i/n` splits the multi-node
 * files between CI machines. A file is the unit: every role of a file runs in the shard that has
 * it, and its tests keep one merged verdict each. Shown on a fixture of three files of three roles.
 */
const SHARDS = 2;
let runs: JestRun[];

beforeAll(async () => {
  runs = [];
  for (let index = 1; index <= SHARDS; index++) runs.push(await runJest('shard', [`--shard=${index}/${SHARDS}`]));
}, 300_000);

const filesOf = (run: JestRun): string[] => run.json.testResults.map((file) => path.basename(file.name)).sort();

it('runs every file in exactly one shard, and each shard passes', () => {
  for (const run of runs) expect({ exitCode: run.exitCode, failed: run.json.numFailedTests }).toEqual({ exitCode: 0, failed: 0 });
  const all = runs.flatMap(filesOf);
  expect(all.sort()).toEqual(['alpha.test.ts', 'beta.test.ts', 'gamma.test.ts']);
  expect(runs.map((run) => filesOf(run).length).sort()).toEqual([1, 2]);
});

it('keeps one merged verdict per test, all roles of a file together in its shard', () => {
  for (const run of runs) {
    for (const file of run.json.testResults) {
      expect(file.assertionResults.map((test) => `${test.fullName}: ${test.status}`)).toEqual([`${path.basename(file.name, '.test.ts')} meets every role at a barrier: passed`]);
    }
  }
});
