import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { explore, main, type ExploreContext } from '../../src/cli';
import { systemClock as systemClockForTests } from '../../src/util';

/**
 * Runs explore on a project whose `jest` is a small fake (see FAKE_JEST): fast, and it can record
 * how it was started, fail some seeds, write traces, overlap with other runs or refuse to stop.
 */
const FAKE_JEST = String.raw`
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const args = process.argv.slice(2);
const outputFile = args[args.indexOf('--outputFile') + 1];
const seed = Number(process.env.MULTINODE_SEED);
const reportDir = process.env.MULTINODE_REPORT_DIR;
const behaviour = (args.find((a) => a.startsWith('--fake=')) || '--fake=plain').slice(7);
fs.appendFileSync('runs.log', JSON.stringify({ seed, mode: process.env.MULTINODE_MODE, reportDir, args }) + '\n');
const finish = (failed) => {
  fs.mkdirSync(reportDir, { recursive: true });
  fs.writeFileSync(path.join(reportDir, 'kv.test.ts.mntrace'), behaviour === 'random-trace' ? String(Math.random()) : 'trace of seed ' + seed);
  const test = { fullName: 'kv converges', status: failed ? 'failed' : 'passed' };
  fs.writeFileSync(outputFile, JSON.stringify({ success: !failed, numTotalTestSuites: 1, testResults: [{ name: path.resolve('kv.test.ts'), status: failed ? 'failed' : 'passed', message: '', assertionResults: [test] }] }));
  process.exit(failed ? 1 : 0);
};
if (behaviour === 'hang') {
  process.on('SIGTERM', () => {});
  const grandchild = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  fs.mkdirSync('pids', { recursive: true });
  fs.writeFileSync(path.join('pids', String(seed)), JSON.stringify([process.pid, grandchild.pid]));
  setInterval(() => {}, 1000);
} else if (behaviour === 'leave-child') {
  const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });
  fs.mkdirSync('pids', { recursive: true });
  fs.writeFileSync(path.join('pids', String(seed)), JSON.stringify([grandchild.pid]));
  finish(false);
} else if (behaviour === 'overlap') {
  fs.mkdirSync('running', { recursive: true });
  fs.writeFileSync(path.join('running', String(seed)), '');
  const started = Date.now();
  const poll = setInterval(() => {
    const others = fs.readdirSync('running').filter((f) => f !== String(seed));
    if (others.length > 0 || Date.now() - started > 10000) {
      clearInterval(poll);
      setTimeout(() => finish(others.length === 0), 300);
    }
  }, 20);
} else {
  finish(seed % 3 === 0);
}
`;

let project: string;
let printed: string[];
let controller: AbortController;

beforeEach(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'explore-test-'));
  fs.mkdirSync(path.join(project, 'node_modules', 'jest', 'bin'), { recursive: true });
  fs.writeFileSync(path.join(project, 'node_modules', 'jest', 'package.json'), '{"name":"jest","version":"30.0.0"}');
  fs.writeFileSync(path.join(project, 'node_modules', 'jest', 'bin', 'jest.js'), FAKE_JEST);
  printed = [];
  controller = new AbortController();
});
afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

/** The processes of `pids` that still run; a killed grandchild may stay a zombie until init reaps it, which runs no code. */
const stillRunning = (pids: readonly number[]): number[] =>
  pids.filter((pid) => fs.existsSync(`/proc/${pid}`) && !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')));
const context = (): ExploreContext => ({ cwd: project, clock: systemClockForTests, signal: controller.signal, print: (line) => printed.push(line), killGraceMs: 300 });
const runs = (): Array<{ seed: number; mode: string; reportDir: string; args: string[] }> =>
  fs.readFileSync(path.join(project, 'runs.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));

describe('explore', () => {
  it('runs Jest once per seed in simulation mode, each run with its own report folder, JSON result and one worker', async () => {
    const result = await explore({ seeds: [1, 2, 4], workers: 2, checkDeterminism: false, jestArgs: ['kv', '-t', 'a b'] }, context());
    expect(result.exitCode).toBe(0);
    const started = runs().sort((a, b) => a.seed - b.seed);
    expect(started.map((r) => r.seed)).toEqual([1, 2, 4]);
    expect(new Set(started.map((r) => r.reportDir)).size).toBe(3);
    for (const run of started) {
      expect(run.mode).toBe('simulation');
      expect(run.args).toEqual(['kv', '-t', 'a b', '--maxWorkers=1', '--reporters=summary', '--json', '--outputFile', expect.stringContaining(os.tmpdir())]);
      expect(fs.existsSync(run.reportDir)).toBe(false);
    }
    expect(printed).toEqual([expect.stringMatching(/^explore: 3 seeds in \d+\.\d s: all passed\.$/)]);
  });

  it('leaves the number of Jest workers to the arguments when they choose it', async () => {
    await explore({ seeds: [1], workers: 1, checkDeterminism: false, jestArgs: ['-w', '3'] }, context());
    expect(runs()[0]!.args.slice(0, 3)).toEqual(['-w', '3', '--reporters=summary']);
  });

  it('prints one line per failing seed with its rerun command, a summary, and exits 1', async () => {
    const result = await explore({ seeds: [1, 2, 3, 4, 5, 6], workers: 2, checkDeterminism: false, jestArgs: ['kv'] }, context());
    expect(result.exitCode).toBe(1);
    expect(result.results.map((r) => [r.seed, r.failedTests])).toEqual([[1, []], [2, []], [3, ['kv converges']], [4, []], [5, []], [6, ['kv converges']]]);
    expect(printed.slice(0, -1).sort()).toEqual([
      'seed 3 failed: "kv converges" -- rerun: MULTINODE_MODE=simulation MULTINODE_SEED=3 npx jest kv',
      'seed 6 failed: "kv converges" -- rerun: MULTINODE_MODE=simulation MULTINODE_SEED=6 npx jest kv',
    ]);
    expect(printed.at(-1)).toMatch(/^explore: 6 seeds in \d+\.\d s: 4 passed, 2 failed \(seeds 3, 6\)\.$/);
  });

  it('runs several Jest processes at once', async () => {
    const result = await explore({ seeds: [1, 2], workers: 2, checkDeterminism: false, jestArgs: ['--fake=overlap'] }, context());
    expect(result.results.map((r) => r.failedTests)).toEqual([[], []]);
  });

  it('with checkDeterminism runs every seed twice and passes seeds whose traces are the same', async () => {
    const result = await explore({ seeds: [1, 2], workers: 2, checkDeterminism: true, jestArgs: [] }, context());
    expect(runs().map((r) => r.seed).sort()).toEqual([1, 1, 2, 2]);
    expect(result.exitCode).toBe(0);
    expect(printed.at(-1)).toMatch(/^explore: 2 seeds, each run twice, in \d+\.\d s: all passed\.$/);
  });

  it('with checkDeterminism fails a seed whose traces differ, naming the trace', async () => {
    const result = await explore({ seeds: [1], workers: 2, checkDeterminism: true, jestArgs: ['--fake=random-trace'] }, context());
    expect(result.exitCode).toBe(1);
    expect(printed[0]).toBe('seed 1 failed: the trace kv.test.ts.mntrace differs between two runs -- rerun: MULTINODE_MODE=simulation MULTINODE_SEED=1 npx jest --fake=random-trace');
  });

  it('ends a process a run leaves behind, which would hold its output open', async () => {
    const result = await explore({ seeds: [1], workers: 1, checkDeterminism: false, jestArgs: ['--fake=leave-child'] }, context());
    expect(result.exitCode).toBe(0);
    const [pid] = JSON.parse(fs.readFileSync(path.join(project, 'pids', '1'), 'utf8')) as number[];
    expect(stillRunning([pid!])).toEqual([]);
  }, 30_000);

  it('when stopped, kills every Jest and its children, waits for them, and reports no seed as failed', async () => {
    const running = explore({ seeds: [1, 2, 3], workers: 2, checkDeterminism: false, jestArgs: ['--fake=hang'] }, context());
    const pidsDir = path.join(project, 'pids');
    const deadline = Date.now() + 20_000;
    while ((fs.existsSync(pidsDir) ? fs.readdirSync(pidsDir).length : 0) < 2) {
      if (Date.now() > deadline) throw new Error('The fake Jest runs did not start within 20 s.');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    controller.abort();
    const result = await running;
    expect(result).toEqual({ results: [], exitCode: 0, interrupted: true });
    expect(printed.at(-1)).toMatch(/^explore: stopped after 0 of 3 seeds in \d+\.\d s: none finished\.$/);
    const pids = fs.readdirSync(pidsDir).flatMap((file) => JSON.parse(fs.readFileSync(path.join(pidsDir, file), 'utf8')) as number[]);
    expect(pids).toHaveLength(4);
    expect(stillRunning(pids)).toEqual([]);
    expect(runs().map((r) => r.seed).sort()).toEqual([1, 2]);
  }, 30_000);
});

describe('main', () => {
  const cli = async (argv: string[]): Promise<{ exitCode: number; out: string[]; err: string[] }> => {
    const out: string[] = [];
    const err: string[] = [];
    const exitCode = await main(argv, { cwd: project, clock: systemClockForTests, signal: controller.signal, cpuCount: 2, print: (l) => out.push(l), printError: (l) => err.push(l) });
    return { exitCode, out, err };
  };

  it('exits 2 on bad usage, with the reason and where to find the usage', async () => {
    expect(await cli(['explore', '--seeds', '1..x'])).toEqual({ exitCode: 2, out: [], err: [expect.stringContaining('jest-multinode: --seeds "1..x": "1..x" is neither a seed nor a range'), 'Run jest-multinode explore --help for its usage.'] });
    expect((await cli(['exlpore'])).err[0]).toBe('jest-multinode: jest-multinode has no command "exlpore"; the only command is explore.');
    expect((await cli([])).exitCode).toBe(2);
  });

  it('exits 2 when the project has no Jest', async () => {
    fs.rmSync(path.join(project, 'node_modules'), { recursive: true });
    const run = await cli(['explore', '--seeds', '1']);
    expect(run.exitCode).toBe(2);
    expect(run.err[0]).toContain(`'jest' cannot be found from ${project}`);
  });

  it('prints the usage for --help and exits 0', async () => {
    const help = await cli(['explore', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.out[0]).toContain('Usage: jest-multinode explore --seeds <list>');
    expect((await cli(['--help'])).out[0]).toContain('Usage: jest-multinode <command>');
  });

  it('exits 1 when a seed failed and 0 when every seed passed', async () => {
    expect((await cli(['explore', '--seeds', '1,2'])).exitCode).toBe(0);
    expect((await cli(['explore', '--seeds', '3'])).exitCode).toBe(1);
  });
});
