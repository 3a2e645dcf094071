import { describe, expect, it } from '@jest/globals';
import { CliUsageError, MAX_SEED, MAX_SEED_COUNT, parseSeedList } from '../../src/cli';

describe('parseSeedList', () => {
  it('reads a single seed, a list and an inclusive range', () => {
    expect(parseSeedList('5')).toEqual([5]);
    expect(parseSeedList('1,4,9')).toEqual([1, 4, 9]);
    expect(parseSeedList('1..5')).toEqual([1, 2, 3, 4, 5]);
    expect(parseSeedList('0..0')).toEqual([0]);
  });

  it('mixes ranges and seeds, sorts them and keeps each seed once', () => {
    expect(parseSeedList('10..12, 3,1..4,11')).toEqual([1, 2, 3, 4, 10, 11, 12]);
  });

  it('accepts the largest seed', () => {
    expect(parseSeedList(`${MAX_SEED - 1}..${MAX_SEED}`)).toEqual([MAX_SEED - 1, MAX_SEED]);
  });

  it.each([
    ['', 'has an empty item'],
    ['1,,2', 'has an empty item'],
    ['1,', 'has an empty item'],
    ['abc', '"abc" is neither a seed nor a range'],
    ['-3', '"-3" is neither a seed nor a range'],
    ['1.5', '"1.5" is neither a seed nor a range'],
    ['1...5', '"1...5" is neither a seed nor a range'],
    ['5..1', 'the range 5..1 runs backwards; write it as 1..5'],
    [`${MAX_SEED + 1}`, `${MAX_SEED + 1} goes past the largest seed; a seed is an integer from 0 to ${MAX_SEED}`],
    [`1..${MAX_SEED_COUNT + 1}`, `selects more than ${MAX_SEED_COUNT} seeds`],
  ])('rejects %j, naming the value and what is allowed', (text, message) => {
    let error: unknown;
    try {
      parseSeedList(text);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(CliUsageError);
    expect((error as CliUsageError).code).toBe('CLI_USAGE');
    expect((error as Error).message).toContain(`--seeds ${JSON.stringify(text)}`);
    expect((error as Error).message).toContain(message);
  });
});
