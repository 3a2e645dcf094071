import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from './helpers/runJest';

/**
 * Packs the package, installs the tarball into a fresh project next to jest, ts-jest and
 * typescript, and runs that project's own tests (type-checked by ts-jest) exactly as API.md shows.
 */
const CONSUMER = path.join(__dirname, 'consumer');
let workDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-pack-'));
}, 30_000);

afterAll(() => {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' }, timeout: 240_000 });

it('installs from an npm pack tarball and works in a fresh TypeScript project', () => {
  const packDir = path.join(workDir, 'pack');
  const project = path.join(workDir, 'project');
  fs.mkdirSync(packDir);
  fs.cpSync(CONSUMER, project, { recursive: true });
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  // dist/ is already built by npm test; rebuilding it here would race the suites that use it.
  npm(['pack', '--ignore-scripts', '--pack-destination', packDir], PROJECT_ROOT);
  const [tarball] = fs.readdirSync(packDir);
  const versions = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).devDependencies as Record<string, string>;
  npm(
    ['install', '--save-dev', '--no-audit', '--no-fund', '--prefer-offline', path.join(packDir, tarball!), `jest@${versions.jest}`, `ts-jest@${versions['ts-jest']}`, `typescript@${versions.typescript}`, 'ts-node@10'],
    project,
  );

  // The typings: the whole project type-checks, globals and describe.multinode included.
  execFileSync(process.execPath, [path.join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', project], { encoding: 'utf8' });

  const jest = path.join(project, 'node_modules', 'jest', 'bin', 'jest.js');
  const result = path.join(workDir, 'result.json');
  let output = '';
  try {
    output = execFileSync(process.execPath, [jest, '--json', '--outputFile', result], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`The consumer's tests failed:\n${failed.stderr ?? ''}\n${failed.stdout ?? ''}`);
  }
  const json = JSON.parse(fs.readFileSync(result, 'utf8')) as { numPassedTests: number; numFailedTests: number };
  expect({ passed: json.numPassedTests, failed: json.numFailedTests }).toEqual({ passed: 4, failed: 0 });
  expect(fs.readdirSync(path.join(project, 'multinode-report')).sort()).toEqual(['test__cluster.test.ts.mntrace', 'test__kv.test.ts.mntrace']);
  expect(output).toBeDefined();
}, 300_000);
