import type { Clock } from '../util';
import { CliUsageError } from './errors';
import { explore } from './explore';
import { EXPLORE_USAGE, parseExploreArgs } from './exploreArgs';

/** The usage text of `jest-multinode` itself. */
export const USAGE = `Usage: jest-multinode <command>

Commands:
  explore   run multi-node test files in simulation mode once per seed; see jest-multinode explore --help`;

/** What the command line runs with: the process's folder, clock, output and stop signal. */
export interface CliContext {
  readonly cwd: string;
  readonly clock: Clock;
  /** Aborted when the process is asked to stop (SIGINT, SIGTERM). */
  readonly signal: AbortSignal;
  /** The default of `--workers`. */
  readonly cpuCount: number;
  readonly print: (line: string) => void;
  readonly printError: (line: string) => void;
}

/**
 * Runs `jest-multinode <argv>` and returns its exit code: 0 when every seed passed (or for `--help`),
 * 1 when a seed failed, 2 when the command line is wrong or explore cannot run (no Jest in the
 * project). Usage errors are printed as their message and a pointer to `--help`.
 */
export async function main(argv: readonly string[], context: CliContext): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    context.print(USAGE);
    return 0;
  }
  try {
    if (command !== 'explore') {
      throw new CliUsageError(command === undefined ? 'jest-multinode needs a command.' : `jest-multinode has no command ${JSON.stringify(command)}; the only command is explore.`);
    }
    const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if (own.includes('--help') || own.includes('-h')) {
      context.print(EXPLORE_USAGE);
      return 0;
    }
    const args = parseExploreArgs(rest, context.cpuCount);
    return (await explore(args, context)).exitCode;
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    context.printError(`jest-multinode: ${error.message}`);
    context.printError(command === 'explore' ? 'Run jest-multinode explore --help for its usage.' : USAGE);
    return 2;
  }
}
