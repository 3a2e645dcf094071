/**
 * The `jest-multinode` command line: `explore` runs multi-node files in simulation mode over many
 * seeds. `bin.ts` is the executable; everything else is importable and tested.
 */
export { main, USAGE, type CliContext } from './main';
export { explore, resolveJestBin, type ExploreContext, type ExploreResult } from './explore';
export { parseExploreArgs, EXPLORE_USAGE, type ExploreArgs } from './exploreArgs';
export { parseSeedList, MAX_SEED, MAX_SEED_COUNT } from './seedList';
export { runJestForSeed, type JestRunOptions, type JestRunResult } from './jestRun';
export { runOutcome, oneLine, type JestJsonResult, type RunOutcome, type RunExit } from './runOutcome';
export { traceDifference, traceFilesUnder } from './traceDifference';
export { exploreRerunCommand, failingSeedLine, summaryLine, exploreExitCode, seedFailed, type SeedResult } from './exploreReport';
export { CliUsageError } from './errors';
