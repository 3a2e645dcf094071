import { describe, expect, it } from '@jest/globals';
import { CliUsageError, parseExploreArgs } from '../../src/cli';

const usageError = (argv: string[]): string => {
  try {
    parseExploreArgs(argv, 4);
  } catch (error) {
    if (error instanceof CliUsageError) return error.message;
    throw error;
  }
  throw new Error(`parseExploreArgs accepted ${JSON.stringify(argv)}`);
};

describe('parseExploreArgs', () => {
  it('reads the seeds, and defaults to one worker per CPU, no determinism check and no Jest arguments', () => {
    expect(parseExploreArgs(['--seeds', '1..3'], 4)).toEqual({ seeds: [1, 2, 3], workers: 4, checkDeterminism: false, jestArgs: [] });
  });

  it('reads every option, in either spelling, and passes everything after -- to Jest as it is', () => {
    const args = parseExploreArgs(['--seeds=1,4', '--workers', '2', '--check-determinism', '--', 'kv', '-t', 'a b', '--seeds', '--', 'x'], 8);
    expect(args).toEqual({ seeds: [1, 4], workers: 2, checkDeterminism: true, jestArgs: ['kv', '-t', 'a b', '--seeds', '--', 'x'] });
    expect(parseExploreArgs(['--workers=3', '--seeds', '7'], 1).workers).toBe(3);
  });

  it('never defaults to fewer than one worker', () => {
    expect(parseExploreArgs(['--seeds', '1'], 0).workers).toBe(1);
  });

  it('needs --seeds', () => {
    expect(usageError([])).toBe('explore needs --seeds, such as --seeds 1..200.');
    expect(usageError(['--', '--seeds', '1'])).toBe('explore needs --seeds, such as --seeds 1..200.');
  });

  it('rejects a missing value, naming the option', () => {
    expect(usageError(['--seeds'])).toBe('--seeds needs a value; see --help.');
    expect(usageError(['--workers', '--seeds', '1'])).toBe('--workers needs a value; see --help.');
  });

  it.each(['0', '-1', '2.5', 'many'])('rejects --workers %j, naming it', (workers) => {
    expect(usageError(['--seeds', '1', '--workers', workers])).toBe(`--workers ${JSON.stringify(workers)} is not a number of processes; give a whole number of at least 1.`);
  });

  it('rejects an unknown option and a value on --check-determinism', () => {
    expect(usageError(['--seeds', '1', '--seed', '2'])).toContain('explore does not know the option "--seed"; it takes --seeds, --workers and --check-determinism');
    expect(usageError(['--seeds', '1', 'kv.test.ts'])).toContain('explore does not know the option "kv.test.ts"');
    expect(usageError(['--seeds', '1', '--check-determinism=yes'])).toBe('--check-determinism takes no value; it was given "yes".');
  });

  it('passes a bad seed list on with its message', () => {
    expect(usageError(['--seeds', '3..1'])).toContain('the range 3..1 runs backwards');
  });

  it.each(['--json', '--outputFile=out.json', '--watch', '--watchAll'])('rejects the Jest option %s, which explore sets itself or which never ends', (option) => {
    expect(usageError(['--seeds', '1', '--', option])).toContain(`The Jest option ${JSON.stringify(option)} cannot be given to explore`);
  });
});
