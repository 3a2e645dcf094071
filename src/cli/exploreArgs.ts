import { CliUsageError } from './errors';
import { parseSeedList } from './seedList';

/** What `jest-multinode explore` was asked to do. */
export interface ExploreArgs {
  /** The seeds to run, ascending, each once. */
  readonly seeds: readonly number[];
  /** How many child Jest processes run at once. */
  readonly workers: number;
  /** Run every seed twice and fail a seed whose trace files differ between the two runs. */
  readonly checkDeterminism: boolean;
  /** The arguments after `--`, given to every child Jest as they are. */
  readonly jestArgs: readonly string[];
}

/** The usage text of `explore`, printed for `--help` and after a usage error. */
export const EXPLORE_USAGE = `Usage: jest-multinode explore --seeds <list> [--workers <n>] [--check-determinism] [-- <jest args>]

Runs the selected multi-node test files in simulation mode once per seed, each run in its own Jest
process, and prints one line per failing seed with the command that replays it.

  --seeds <list>         seeds and ranges, comma-separated: 1..200, 5, 1,4,9, 1..3,10
  --workers <n>          Jest processes at once (default: the number of CPUs)
  --check-determinism    run every seed twice; a seed whose trace files differ fails
  -- <jest args>         given to every Jest run (test paths, --config, -t, ...)

Exit code: 0 when every seed passed, 1 when a seed failed, 2 on bad usage.`;

/**
 * Jest options that explore sets on every run itself, or that would keep a run from ending: giving
 * them after `--` is a usage error.
 */
const OWNED_JEST_OPTIONS = ['--json', '--outputFile', '--watch', '--watchAll'];

/**
 * Parses the arguments that follow `explore` on the command line. `cpuCount` is the default of
 * `--workers`. Throws a `CliUsageError` for a missing `--seeds`, an unknown option, a bad value, or a
 * Jest option after `--` that explore sets itself.
 */
export function parseExploreArgs(argv: readonly string[], cpuCount: number): ExploreArgs {
  let seeds: number[] | undefined;
  let workers = Math.max(1, cpuCount);
  let checkDeterminism = false;
  let jestArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      jestArgs = argv.slice(i + 1);
      break;
    }
    const [name, inlineValue] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      if (inlineValue !== undefined) return inlineValue;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new CliUsageError(`${name} needs a value; see --help.`);
      i++;
      return next;
    };
    switch (name) {
      case '--seeds':
        seeds = parseSeedList(value());
        break;
      case '--workers': {
        const text = value();
        workers = Number(text);
        if (!/^\d+$/.test(text) || workers < 1) throw new CliUsageError(`--workers ${JSON.stringify(text)} is not a number of processes; give a whole number of at least 1.`);
        break;
      }
      case '--check-determinism':
        if (inlineValue !== undefined) throw new CliUsageError(`--check-determinism takes no value; it was given ${JSON.stringify(inlineValue)}.`);
        checkDeterminism = true;
        break;
      default:
        throw new CliUsageError(`explore does not know the option ${JSON.stringify(arg)}; it takes --seeds, --workers and --check-determinism, and Jest's own arguments after --.`);
    }
  }
  if (seeds === undefined) throw new CliUsageError('explore needs --seeds, such as --seeds 1..200.');
  const owned = jestArgs.find((arg) => OWNED_JEST_OPTIONS.includes(arg.split('=')[0]!));
  if (owned !== undefined) throw new CliUsageError(`The Jest option ${JSON.stringify(owned)} cannot be given to explore: it sets --json and --outputFile on every run itself, and a run in watch mode never ends.`);
  return { seeds, workers, checkDeterminism, jestArgs };
}
