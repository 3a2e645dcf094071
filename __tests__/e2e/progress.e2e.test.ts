import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureAptPackage } from './helpers/aptPackage';
import { FIXTURES, JEST_BIN, PROJECT_ROOT, runJestWithReporter } from './helpers/runJest';

/** What Jest wrote to a terminal, and how it exited. */
interface TerminalRun {
  readonly exitCode: number | null;
  readonly output: string;
}

const REPORTER = path.join(PROJECT_ROOT, 'dist', 'reporter', 'index.js');
const PROGRESS_LINE = /multinode ▸ slow\.test\.ts › slow waits for c behind a partition \((\d+\.\d) s\): (.*)/g;

/**
 * Runs Jest with this package's reporter on `fixtures/progress` inside a pseudo-terminal (util-linux
 * `script`), as a user at an interactive terminal would, outside CI. Killed after `timeoutMs`.
 */
function runJestInTerminal(args: readonly string[], timeoutMs = 120_000): Promise<TerminalRun> {
  const project = path.join(FIXTURES, 'progress');
  const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, JEST_BIN, '--config', path.join(project, 'jest.config.js'), '--no-ci', '--reporters', 'default', '--reporters', REPORTER, ...args]
    .map(quote)
    .join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['--quiet', '--return', '--flush', '--command', command, '/dev/null'], {
      cwd: project,
      env: { ...process.env, FORCE_COLOR: '0', MULTINODE_REPORT_DIR: '', MULTINODE_PROGRESS_FILE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Jest in a terminal did not exit within ${timeoutMs} ms. Output:\n${output.slice(-4000)}`));
    }, timeoutMs);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      fs.rmSync(path.join(project, 'multinode-report'), { recursive: true, force: true });
      // eslint-disable-next-line no-control-regex
      resolve({ exitCode, output: output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '') });
    });
  });
}

const missingScript = ensureAptPackage('bsdutils', () => spawnSync('script', ['--version']).status === 0);
if (missingScript !== null) console.warn(`Skipping the live progress test at a terminal: util-linux's script runs Jest in a pseudo-terminal, but ${missingScript}.`);
const itInTerminal = missingScript === null ? it : it.skip;

describe('live progress', () => {
  itInTerminal('shows, at an interactive terminal, which barrier waits for which roles and which faults are in force, while the test runs', async () => {
    const progressDirs = (): string[] => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('multinode-progress-'));
    const before = progressDirs();
    const run = await runJestInTerminal([]);
    expect(run.output).toMatch(/Tests: +1 passed, 1 total/);
    expect(run.exitCode).toBe(0);
    const lines = [...run.output.matchAll(PROGRESS_LINE)];
    expect(lines.length).toBeGreaterThan(0);
    const [, , state] = lines[0]!;
    expect(state).toMatch(/^barrier 'c is done' waits for c \(\d+\.\d s; a, b arrived\) · faults in force: a ⇹ c partitioned$/);
    // Printed while the test ran: before Jest's line for the passed file and its summary.
    expect(run.output.indexOf(lines[0]![0])).toBeLessThan(run.output.search(/PASS .*slow\.test\.ts/));
    // Nothing is left of the side channel once Jest exits.
    expect(progressDirs().filter((name) => !before.includes(name))).toEqual([]);
  }, 150_000);

  itInTerminal('stays quiet at a terminal with --json', async () => {
    const json = await runJestInTerminal(['--json']);
    expect(json.exitCode).toBe(0);
    expect(json.output).toContain('"numPassedTests":1');
    expect(json.output).not.toContain('multinode ▸');
  }, 150_000);

  it('stays quiet when the output is not a terminal', async () => {
    const piped = await runJestWithReporter('progress', ['--no-ci']);
    expect(piped.exitCode).toBe(0);
    expect(piped.stderr).not.toContain('multinode ▸');
  }, 150_000);
});
