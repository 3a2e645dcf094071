import { shellQuote } from '../../reporter';

/** What explore found for one seed, over its one run (or two, with `--check-determinism`). */
export interface SeedResult {
  readonly seed: number;
  /** Jest's full names of the tests that failed in any run of the seed, each once. */
  readonly failedTests: readonly string[];
  /** Everything else that failed the seed, one line each: a file that failed to run, differing traces. */
  readonly problems: readonly string[];
}

/** Whether `result` is a failing seed. */
export function seedFailed(result: SeedResult): boolean {
  return result.failedTests.length > 0 || result.problems.length > 0;
}

/**
 * The command that replays `seed`, meant to be run where explore was run:
 * `MULTINODE_MODE=simulation MULTINODE_SEED=7 npx jest <the Jest arguments explore was given>`.
 */
export function exploreRerunCommand(seed: number, jestArgs: readonly string[]): string {
  return ['MULTINODE_MODE=simulation', `MULTINODE_SEED=${seed}`, 'npx jest', ...jestArgs.map(shellQuote)].join(' ');
}

/**
 * The one line explore prints for a failing seed: what failed (the failed tests by full name, then
 * the other problems) and, after ` -- rerun: `, the command that replays it. Null for a passing seed.
 */
export function failingSeedLine(result: SeedResult, jestArgs: readonly string[]): string | null {
  if (!seedFailed(result)) return null;
  const what = [...result.failedTests.map((name) => JSON.stringify(name)), ...result.problems].join('; ');
  return `seed ${result.seed} failed: ${what} -- rerun: ${exploreRerunCommand(result.seed, jestArgs)}`;
}

/** How many failing seeds the summary line lists by number before it says how many more there are. */
const LISTED_SEEDS = 20;

/**
 * The last line explore prints: how many seeds ran (and that each ran twice), how many passed and
 * failed, the failing seeds, and the wall time. `plannedSeeds`: how many seeds were asked for; when
 * fewer have results, the run was stopped and the line says so.
 */
export function summaryLine(results: readonly SeedResult[], options: { plannedSeeds: number; checkDeterminism: boolean; elapsedMs: number }): string {
  const failed = results.filter(seedFailed).map((r) => r.seed).sort((a, b) => a - b);
  const count = results.length < options.plannedSeeds ? `stopped after ${results.length} of ${options.plannedSeeds} seeds` : `${results.length} seed${results.length === 1 ? '' : 's'}`;
  const seeds = `${count}${options.checkDeterminism ? ', each run twice,' : ''}`;
  const time = `${(options.elapsedMs / 1000).toFixed(1)} s`;
  if (failed.length === 0) return `explore: ${seeds} in ${time}: ${results.length === 0 ? 'none finished' : 'all passed'}.`;
  const listed = failed.slice(0, LISTED_SEEDS).join(', ') + (failed.length > LISTED_SEEDS ? ` and ${failed.length - LISTED_SEEDS} more` : '');
  return `explore: ${seeds} in ${time}: ${results.length - failed.length} passed, ${failed.length} failed (seed${failed.length === 1 ? '' : 's'} ${listed}).`;
}

/** The exit code of an explore run: 1 when any seed failed, else 0. */
export function exploreExitCode(results: readonly SeedResult[]): 0 | 1 {
  return results.some(seedFailed) ? 1 : 0;
}
