import type { Clock } from '../util';
import { CliUsageError } from './errors';
import type { ExploreArgs } from './exploreArgs';
import { exploreExitCode, failingSeedLine, summaryLine, type SeedResult } from './exploreReport';
import { runJestForSeed, type JestRunResult } from './jestRun';
import { traceDifference } from './traceDifference';

/** Where explore runs and prints, and what stops it. */
export interface ExploreContext {
  /** The project folder: Jest is resolved from it and runs in it. */
  readonly cwd: string;
  readonly clock: Clock;
  /** Aborting it stops every running Jest (and its workers) and starts no more; explore then returns. */
  readonly signal: AbortSignal;
  /** Prints one line to standard output. */
  readonly print: (line: string) => void;
  /** How long a stopped Jest has to exit before it is killed; 5000 ms unless given. */
  readonly killGraceMs?: number;
}

/** What an explore run found. */
export interface ExploreResult {
  /** One result per seed that finished, ascending by seed. */
  readonly results: readonly SeedResult[];
  /** 0 when every seed passed, 1 when one failed. */
  readonly exitCode: 0 | 1;
  /** The signal stopped the run before every seed had finished. */
  readonly interrupted: boolean;
}

/**
 * The project's own Jest command line script, `jest/bin/jest.js` resolved from `cwd`, so explore runs
 * the Jest (and config) the project runs. Throws a `CliUsageError` when the project has no Jest.
 */
export function resolveJestBin(cwd: string): string {
  try {
    return require.resolve('jest/bin/jest', { paths: [cwd] });
  } catch {
    throw new CliUsageError(`explore runs the project's own Jest, but 'jest' cannot be found from ${cwd}; run explore in the project's folder, or install Jest there (npm install --save-dev jest).`);
  }
}

/**
 * Runs the selected test files in simulation mode once per seed (twice with `checkDeterminism`), up
 * to `args.workers` Jest processes at once, each with its own report folder. Prints a line per
 * failing seed as soon as it is known (see `failingSeedLine`), and a summary line at the end.
 * Seeds cut short by the signal are left out of the results, never reported as failures.
 */
export async function explore(args: ExploreArgs, context: ExploreContext): Promise<ExploreResult> {
  const jestBin = resolveJestBin(context.cwd);
  const startedMs = context.clock.now();
  const runsPerSeed = args.checkDeterminism ? 2 : 1;
  const tasks = args.seeds.flatMap((seed) => Array.from({ length: runsPerSeed }, () => seed));
  const finishedRuns = new Map<number, JestRunResult[]>();
  const results: SeedResult[] = [];

  const seedDone = (seed: number, runs: readonly JestRunResult[]): void => {
    const result: SeedResult = {
      seed,
      failedTests: [...new Set(runs.flatMap((run) => run.outcome.failedTests))],
      problems: [
        ...new Set(runs.flatMap((run) => run.outcome.problems)),
        ...(args.checkDeterminism ? [traceDifference(runs[0]!.reportDir, runs[1]!.reportDir)].filter((d): d is string => d !== null) : []),
      ],
    };
    results.push(result);
    const line = failingSeedLine(result, args.jestArgs);
    if (line !== null) context.print(line);
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length && !context.signal.aborted) {
      const seed = tasks[next++]!;
      const run = await runJestForSeed({ jestBin, cwd: context.cwd, seed, jestArgs: args.jestArgs, signal: context.signal, clock: context.clock, killGraceMs: context.killGraceMs ?? 5000 });
      const runs = [...(finishedRuns.get(seed) ?? []), run];
      finishedRuns.set(seed, runs);
      if (context.signal.aborted || runs.length < runsPerSeed) continue;
      try {
        seedDone(seed, runs);
      } finally {
        finishedRuns.delete(seed);
        for (const done of runs) done.remove();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(args.workers, tasks.length) }, worker));
  for (const runs of finishedRuns.values()) for (const run of runs) run.remove();

  results.sort((a, b) => a.seed - b.seed);
  const interrupted = results.length < args.seeds.length;
  context.print(summaryLine(results, { plannedSeeds: args.seeds.length, checkDeterminism: args.checkDeterminism, elapsedMs: context.clock.now() - startedMs }));
  return { results, exitCode: exploreExitCode(results), interrupted };
}
