import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createPackedProject, npm, type PackedProject } from './helpers/packedProject';

/**
 * One Jest: a project on an older Jest 30 minor installs this package without a second copy of
 * Jest's runner packages, and its role threads run the project's own jest-runner and jest-runtime.
 */
const OLDER_JEST = '30.2.0';
let project: PackedProject;

beforeAll(() => {
  project = createPackedProject(path.join(__dirname, 'older-jest'), [], [`jest@${OLDER_JEST}`]);
}, 400_000);
afterAll(() => project?.remove());

it(`installs next to Jest ${OLDER_JEST} without a second copy of Jest's runner packages`, () => {
  const tree = JSON.parse(npm(['ls', 'jest-runner', 'jest-runtime', 'jest-circus', 'jest-haste-map', '--all', '--json'], project.dir)) as { dependencies?: Tree };
  const versions: Record<string, string[]> = {};
  const visit = (deps: Tree | undefined): void => {
    for (const [name, dep] of Object.entries(deps ?? {})) {
      if (/^jest-(runner|runtime|circus|haste-map)$/.test(name) && dep.version && !versions[name]?.includes(dep.version)) (versions[name] ??= []).push(dep.version);
      visit(dep.dependencies);
    }
  };
  visit(tree.dependencies);
  expect(versions).toEqual({ 'jest-runner': [OLDER_JEST], 'jest-runtime': [OLDER_JEST], 'jest-circus': [OLDER_JEST], 'jest-haste-map': [OLDER_JEST] });
});

it(`runs every role on the project's own Jest ${OLDER_JEST}`, () => {
  const run = project.runJest(['--ci']);
  if (run.exitCode !== 0) throw new Error(`The project's tests failed on Jest ${OLDER_JEST} (exit ${run.exitCode}):\n${run.output}`);
  expect({ passed: run.json.numPassedTests, failed: run.json.numFailedTests }).toEqual({ passed: 2, failed: 0 });
}, 200_000);

type Tree = Record<string, { version?: string; dependencies?: Tree }>;
