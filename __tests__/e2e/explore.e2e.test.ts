import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { FIXTURES, PROJECT_ROOT } from './helpers/runJest';

/**
 * The built `jest-multinode explore` on the `explore` fixture: two roles of a register node with a
 * planted race (a node keeps the last write it receives, with no version), and a test that expects
 * both roles to end with the same value. Both roles write after a seeded pause, so the writes cross
 * on the links, and the test fails, under some seeds only.
 */
const FIXTURE = path.join(FIXTURES, 'explore');
const BIN = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'bin.js');

interface Run {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` (a file and its arguments, or a shell line) in the fixture, with a deadline. */
function run(file: string, args: readonly string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: FIXTURE, env: { ...process.env, FORCE_COLOR: '0', MULTINODE_REPORT_DIR: '', MULTINODE_MODE: '', MULTINODE_SEED: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} ${args.join(' ')} did not exit within ${timeoutMs} ms. stdout:\n${stdout}\nstderr:\n${stderr.slice(-3000)}`));
    }, timeoutMs);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}

const explore = (args: readonly string[]): Promise<Run> => run(process.execPath, [BIN, 'explore', ...args], 150_000);
const FAILING_LINE = /^seed (\d+) failed: (.*) -- rerun: (.*)$/;
const TEST_NAME = 'register ends with the same value on every role';

describe('jest-multinode explore', () => {
  let found: Run;
  let failing: Array<{ seed: number; what: string; rerun: string }>;
  let passingSeeds: number[];

  beforeAll(async () => {
    found = await explore(['--seeds', '1..4', '--workers', '2']);
    failing = found.stdout.split('\n').flatMap((line) => {
      const match = FAILING_LINE.exec(line);
      return match ? [{ seed: Number(match[1]), what: match[2]!, rerun: match[3]! }] : [];
    });
    passingSeeds = [1, 2, 3, 4].filter((seed) => !failing.some((f) => f.seed === seed));
  }, 180_000);

  it('finds seeds that fail and seeds that pass, prints each failing seed with its test and rerun line, and exits 1', () => {
    if (failing.length === 0 || passingSeeds.length === 0) throw new Error(`Expected failing and passing seeds among 1..4; explore printed:\n${found.stdout}\n${found.stderr.slice(-3000)}`);
    for (const { seed, what, rerun } of failing) {
      expect(what).toBe(JSON.stringify(TEST_NAME));
      expect(rerun).toBe(`MULTINODE_MODE=simulation MULTINODE_SEED=${seed} npx jest`);
    }
    const listed = failing.map((f) => f.seed).sort((a, b) => a - b);
    expect(found.stdout.trim().split('\n').at(-1)).toMatch(new RegExp(`^explore: 4 seeds in \\d+\\.\\d s: ${passingSeeds.length} passed, ${listed.length} failed \\(seeds? ${listed.join(', ')}\\)\\.$`));
    expect(found.exitCode).toBe(1);
  });

  it('prints a rerun line that reproduces the failure', async () => {
    const rerun = await run('sh', ['-c', failing[0]!.rerun], 120_000);
    expect(rerun.stderr).toContain(`✕ ends with the same value on every role`);
    expect(rerun.stderr).toContain('Tests:       1 failed, 1 total');
    expect(rerun.exitCode).toBe(1);
  }, 150_000);

  it('with --check-determinism, passes a passing seed: its two runs wrote the same traces', async () => {
    const checked = await explore(['--seeds', String(passingSeeds[0]), '--workers', '2', '--check-determinism']);
    expect(checked.stdout).toMatch(/^explore: 1 seed, each run twice, in \d+\.\d s: all passed\.\n$/);
    expect(checked.exitCode).toBe(0);
  }, 180_000);
});
