import { execFileSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { exploreExitCode, exploreRerunCommand, failingSeedLine, summaryLine, type SeedResult } from '../../src/cli';

const passed = (seed: number): SeedResult => ({ seed, failedTests: [], problems: [] });
const failed = (seed: number, failedTests: string[] = ['kv converges'], problems: string[] = []): SeedResult => ({ seed, failedTests, problems });

describe('exploreRerunCommand', () => {
  it('sets the mode and the seed and gives npx jest the same arguments, quoted for the shell', () => {
    const args = ['--config', 'jest config.js', '-t', "it's"];
    const command = exploreRerunCommand(7, args);
    expect(command).toBe(`MULTINODE_MODE=simulation MULTINODE_SEED=7 npx jest --config 'jest config.js' -t 'it'\\''s'`);
    const words = execFileSync('sh', ['-c', `for w in ${command.replace(/^.*npx jest /, '')}; do printf '%s\\0' "$w"; done`], { encoding: 'utf8' }).split('\0').slice(0, -1);
    expect(words).toEqual(args);
  });

  it('has no trailing arguments when explore was given none', () => {
    expect(exploreRerunCommand(0, [])).toBe('MULTINODE_MODE=simulation MULTINODE_SEED=0 npx jest');
  });
});

describe('failingSeedLine', () => {
  it('prints nothing for a passing seed', () => {
    expect(failingSeedLine(passed(3), [])).toBeNull();
  });

  it('names the failed tests and the problems, then the rerun command', () => {
    expect(failingSeedLine(failed(3, ['kv converges', 'kv "quotes"'], ['the trace kv.test.ts.mntrace differs between two runs']), ['kv'])).toBe(
      'seed 3 failed: "kv converges"; "kv \\"quotes\\""; the trace kv.test.ts.mntrace differs between two runs -- rerun: MULTINODE_MODE=simulation MULTINODE_SEED=3 npx jest kv',
    );
  });
});

describe('summaryLine', () => {
  it('says that every seed passed', () => {
    expect(summaryLine([passed(1), passed(2)], { plannedSeeds: 2, checkDeterminism: false, elapsedMs: 1234 })).toBe('explore: 2 seeds in 1.2 s: all passed.');
    expect(summaryLine([passed(1)], { plannedSeeds: 1, checkDeterminism: true, elapsedMs: 0 })).toBe('explore: 1 seed, each run twice, in 0.0 s: all passed.');
  });

  it('counts and lists the failing seeds in order', () => {
    expect(summaryLine([failed(9), passed(1), failed(3)], { plannedSeeds: 3, checkDeterminism: false, elapsedMs: 5000 })).toBe('explore: 3 seeds in 5.0 s: 1 passed, 2 failed (seeds 3, 9).');
    expect(summaryLine([failed(4)], { plannedSeeds: 1, checkDeterminism: false, elapsedMs: 5000 })).toBe('explore: 1 seed in 5.0 s: 0 passed, 1 failed (seed 4).');
  });

  it('lists at most 20 failing seeds', () => {
    const results = Array.from({ length: 25 }, (_, i) => failed(i + 1));
    expect(summaryLine(results, { plannedSeeds: 25, checkDeterminism: false, elapsedMs: 0 })).toBe(
      `explore: 25 seeds in 0.0 s: 0 passed, 25 failed (seeds ${Array.from({ length: 20 }, (_, i) => i + 1).join(', ')} and 5 more).`,
    );
  });

  it('says when the run was stopped before every seed finished', () => {
    expect(summaryLine([passed(1)], { plannedSeeds: 10, checkDeterminism: false, elapsedMs: 0 })).toBe('explore: stopped after 1 of 10 seeds in 0.0 s: all passed.');
    expect(summaryLine([], { plannedSeeds: 10, checkDeterminism: false, elapsedMs: 0 })).toBe('explore: stopped after 0 of 10 seeds in 0.0 s: none finished.');
  });
});

describe('exploreExitCode', () => {
  it('is 1 when any seed failed, by a test or by a problem, else 0', () => {
    expect(exploreExitCode([passed(1), passed(2)])).toBe(0);
    expect(exploreExitCode([])).toBe(0);
    expect(exploreExitCode([passed(1), failed(2)])).toBe(1);
    expect(exploreExitCode([failed(2, [], ['neither run wrote a trace file'])])).toBe(1);
  });
});
