import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JestJson } from './runJest';
import { PROJECT_ROOT } from './runJest';

/** What one run of a packed project's own Jest produced. */
export interface InstalledJestRun {
  readonly exitCode: number | null;
  readonly output: string;
  readonly json: JestJson;
}

/**
 * A fresh project in a temporary folder with this package installed from its `npm pack` tarball,
 * as a user installs it, next to the tools it names.
 */
export interface PackedProject {
  /** The project's folder. */
  readonly dir: string;
  /** The installed package's folder (`node_modules/jest-environment-multinode`). */
  readonly packageDir: string;
  /** Runs the project's own `tsc --noEmit -p <tsconfig>`; throws with tsc's output when it reports errors. */
  typeCheck(tsconfig: string): void;
  /** Runs the project's own Jest with --json in `cwd` (a folder of the project); never throws for failed tests. */
  runJest(args: readonly string[], options?: { cwd?: string; timeoutMs?: number }): InstalledJestRun;
  /** Removes the temporary folder. */
  remove(): void;
}

const PACKAGE = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Runs npm in `cwd` with a deadline, quietly; throws with npm's output when it fails. */
export const npm = (args: readonly string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' }, timeout: 240_000 });

/** `name@version` with the version this repository develops and tests with (its devDependencies, else its dependencies). */
export function packageSpec(name: string): string {
  const version = PACKAGE.devDependencies[name] ?? PACKAGE.dependencies[name];
  if (version === undefined) throw new Error(`'${name}' is not a dependency or devDependency of ${PACKAGE.name}, so there is no version to install it at.`);
  return `${name}@${version}`;
}

/**
 * Copies `template` (a folder, or nothing) into a fresh project, packs this package (dist/ as
 * built: rebuilding here would race the suites that use it) and installs the tarball there with
 * `packages` (names, installed at the versions of this repository's devDependencies). `installedBefore`
 * (full specs such as `jest@30.2.0`) are installed first, as a project that already has them.
 */
export function createPackedProject(template: string | undefined, packages: readonly string[], installedBefore: readonly string[] = []): PackedProject {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-pack-'));
  const dir = path.join(workDir, 'project');
  const packDir = path.join(workDir, 'pack');
  fs.mkdirSync(packDir);
  if (template === undefined) fs.mkdirSync(dir);
  else fs.cpSync(template, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  if (installedBefore.length > 0) npm(['install', '--save-dev', '--no-audit', '--no-fund', '--prefer-offline', ...installedBefore], dir);
  npm(['pack', '--ignore-scripts', '--pack-destination', packDir], PROJECT_ROOT);
  const [tarball] = fs.readdirSync(packDir);
  npm(['install', '--save-dev', '--no-audit', '--no-fund', '--prefer-offline', path.join(packDir, tarball!), ...packages.map(packageSpec)], dir);
  const bin = (name: string, file: string): string => path.join(dir, 'node_modules', name, 'bin', file);

  return {
    dir,
    packageDir: path.join(dir, 'node_modules', PACKAGE.name),
    typeCheck(tsconfig) {
      const result = spawnSync(process.execPath, [bin('typescript', 'tsc'), '--noEmit', '-p', path.join(dir, tsconfig)], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      if (result.status !== 0) throw new Error(`tsc -p ${tsconfig} reported errors (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    },
    runJest(args, options = {}) {
      const outputFile = path.join(workDir, 'result.json');
      fs.rmSync(outputFile, { force: true });
      const timeoutMs = options.timeoutMs ?? 180_000;
      const result = spawnSync(process.execPath, [bin('jest', 'jest.js'), '--json', '--outputFile', outputFile, ...args], {
        cwd: options.cwd ?? dir,
        encoding: 'utf8',
        env: { ...process.env, FORCE_COLOR: '0', MULTINODE_REPORT_DIR: '' },
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
      });
      const output = `${result.stderr ?? ''}\n${result.stdout ?? ''}`;
      if (result.error) throw new Error(`Jest in ${options.cwd ?? dir} did not finish within ${timeoutMs} ms (${result.error.message}):\n${output.slice(-4000)}`);
      if (!fs.existsSync(outputFile)) throw new Error(`Jest in ${options.cwd ?? dir} wrote no JSON result (exit ${result.status}):\n${output.slice(-4000)}`);
      return { exitCode: result.status, output, json: JSON.parse(fs.readFileSync(outputFile, 'utf8')) as JestJson };
    },
    remove() {
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}
