import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { npm, packTarball } from './helpers/npmProject';

/**
 * One Jest: a project pinned to an older Jest 30 minor installs this package without a second copy of
 * Jest's runner packages, and its role threads run the project's own jest-runner and jest-runtime.
 */
const OLDER_JEST = '30.2.0';
let workDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-older-jest-'));
});
afterAll(() => {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

it(`runs every role on the project's own Jest ${OLDER_JEST}`, () => {
  const project = path.join(workDir, 'project');
  fs.cpSync(path.join(__dirname, 'older-jest'), project, { recursive: true });
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'older-jest', version: '1.0.0', private: true }));
  // As a user adds it: to a project that already has its Jest.
  npm(['install', '--save-dev', '--no-audit', '--no-fund', '--prefer-offline', `jest@${OLDER_JEST}`], project);
  npm(['install', '--save-dev', '--no-audit', '--no-fund', '--prefer-offline', packTarball(path.join(workDir, 'pack'))], project);

  const tree = JSON.parse(npm(['ls', 'jest-runner', 'jest-runtime', 'jest-circus', 'jest-haste-map', '--all', '--json'], project)) as unknown;
  const versions = new Map<string, Set<string>>();
  const visit = (deps: Record<string, { version?: string; dependencies?: Record<string, unknown> }> | undefined): void => {
    for (const [name, dep] of Object.entries(deps ?? {})) {
      if (/^jest-(runner|runtime|circus|haste-map)$/.test(name) && dep.version) versions.set(name, (versions.get(name) ?? new Set()).add(dep.version));
      visit(dep.dependencies as never);
    }
  };
  visit((tree as { dependencies?: never }).dependencies);
  expect(Object.fromEntries([...versions].map(([name, set]) => [name, [...set]]))).toEqual({
    'jest-runner': [OLDER_JEST],
    'jest-runtime': [OLDER_JEST],
    'jest-circus': [OLDER_JEST],
    'jest-haste-map': [OLDER_JEST],
  });

  const result = path.join(workDir, 'result.json');
  try {
    execFileSync(process.execPath, [path.join(project, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--json', '--outputFile', result], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`The project's tests failed on Jest ${OLDER_JEST}:\n${failed.stderr ?? ''}\n${failed.stdout ?? ''}`);
  }
  const json = JSON.parse(fs.readFileSync(result, 'utf8')) as { numPassedTests: number; numFailedTests: number };
  expect({ passed: json.numPassedTests, failed: json.numFailedTests }).toEqual({ passed: 2, failed: 0 });
}, 400_000);
