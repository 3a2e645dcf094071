import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What a real Jest run on a fixture project produced. */
export interface JestRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly json: JestJson;
  readonly durationMs: number;
}

/** The parts of Jest's --json output the e2e tests read. */
export interface JestJson {
  numPassedTests: number;
  numFailedTests: number;
  numTotalTests: number;
  success: boolean;
  testResults: Array<{
    name: string;
    status: string;
    message: string;
    assertionResults: Array<{
      fullName: string;
      title: string;
      status: string;
      failureMessages: string[];
      failureDetails: unknown[];
      location?: { line: number; column: number } | null;
      /** Real milliseconds, as Jest measures them. */
      duration?: number | null;
    }>;
  }>;
}

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.resolve(__dirname, '..', 'fixtures');
/** This repository's Jest command line script. */
export const JEST_BIN = path.join(path.dirname(require.resolve('jest/package.json', { paths: [PROJECT_ROOT] })), 'bin', 'jest.js');

/**
 * Runs real Jest on `fixtures/<project>` with --json and returns its output and exit code. The run
 * has its own deadline (`timeoutMs`) and is killed when it passes it, so a hang fails the test.
 */
export function runJest(project: string, args: readonly string[] = [], options: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {}): Promise<JestRun> {
  const outputFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-e2e-')), 'result.json');
  const config = path.join(FIXTURES, project, 'jest.config.js');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JEST_BIN, '--config', config, '--json', '--outputFile', outputFile, ...args], {
      cwd: options.cwd ?? path.join(FIXTURES, project),
      env: { ...process.env, FORCE_COLOR: '0', MULTINODE_REPORT_DIR: '', MULTINODE_PROGRESS_FILE: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timeoutMs = options.timeoutMs ?? 150_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Jest on fixture '${project}' did not exit within ${timeoutMs} ms (it hangs). stderr:\n${stderr.slice(-4000)}`));
    }, timeoutMs);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      let json: JestJson;
      try {
        json = JSON.parse(fs.readFileSync(outputFile, 'utf8')) as JestJson;
      } catch (error) {
        reject(new Error(`Jest on fixture '${project}' wrote no JSON result (exit ${exitCode}). stderr:\n${stderr.slice(-4000)}`));
        return;
      } finally {
        fs.rmSync(path.dirname(outputFile), { recursive: true, force: true });
      }
      resolve({ exitCode, stdout, stderr, json, durationMs: Date.now() - started });
    });
  });
}

/** The last run with the reporter on each fixture: runs on one fixture share its report directory. */
const reporterRuns = new Map<string, Promise<unknown>>();

/**
 * Runs Jest on `fixtures/<project>` as `runJest` does, with Jest's default reporter and this
 * package's reporter (whose output lands in `stderr`); the fixture's report directory is removed
 * before and after, so no trace file is left behind (`readReport` reads it in between). Runs on the
 * same fixture wait for each other: they would write the same trace files, and the first to end
 * would remove the others' before their reporter read them.
 */
export function runJestWithReporter(
  project: string,
  args: readonly string[] = [],
  options: Parameters<typeof runJest>[2] & { readReport?: (reportDir: string) => void } = {},
): Promise<JestRun> {
  const run = (reporterRuns.get(project) ?? Promise.resolve()).catch(() => undefined).then(() => runAlone(project, args, options));
  reporterRuns.set(project, run);
  return run;
}

async function runAlone(project: string, args: readonly string[], options: Parameters<typeof runJestWithReporter>[2] = {}): Promise<JestRun> {
  const reportDir = path.join(FIXTURES, project, 'multinode-report');
  fs.rmSync(reportDir, { recursive: true, force: true });
  try {
    const run = await runJest(project, ['--reporters', 'default', '--reporters', path.join(PROJECT_ROOT, 'dist', 'reporter', 'index.js'), ...args], options);
    options.readReport?.(reportDir);
    return run;
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
}

/** The assertion result named `fullName` in any file of the run. */
export function testResult(run: JestRun, fullName: string): JestJson['testResults'][number]['assertionResults'][number] {
  for (const file of run.json.testResults) {
    const found = file.assertionResults.find((a) => a.fullName === fullName);
    if (found) return found;
  }
  const names = run.json.testResults.flatMap((f) => f.assertionResults.map((a) => a.fullName));
  throw new Error(`No test named "${fullName}" in the run; it has ${JSON.stringify(names)}.\nstderr:\n${run.stderr.slice(-3000)}`);
}

/** The file result whose path ends with `name`. */
export function fileResult(run: JestRun, name: string): JestJson['testResults'][number] {
  const found = run.json.testResults.find((f) => f.name.endsWith(name));
  if (!found) throw new Error(`No test file ending with ${name} in the run; it has ${run.json.testResults.map((f) => f.name).join(', ')}.`);
  return found;
}

/**
 * `"<full name>: <status>"` for every test of the run. A file that failed to run at all has no
 * tests; its error is thrown instead, so the failing e2e test shows why.
 */
export function statuses(run: JestRun): string[] {
  const broken = run.json.testResults.filter((f) => f.assertionResults.length === 0 && f.status === 'failed');
  if (broken.length > 0) {
    throw new Error(`These files failed to run:\n${broken.map((f) => `${f.name}:\n${f.message}`).join('\n')}\nstderr:\n${run.stderr.slice(-3000)}`);
  }
  return run.json.testResults.flatMap((f) => f.assertionResults.map((a) => `${a.fullName}: ${a.status}`));
}
