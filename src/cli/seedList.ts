import { MAX_SEED } from '../util';
import { CliUsageError } from './errors';

export { MAX_SEED };

/** The most seeds one explore run takes; a longer list is almost always a typo such as `1..1000000`. */
export const MAX_SEED_COUNT = 100_000;

/**
 * Parses a seed list as `--seeds` takes it: comma-separated items, each a seed (`5`) or an inclusive
 * range (`1..200`), mixed freely (`1..3,7,10..12`). Returns the seeds in ascending order, each once.
 * Throws a `CliUsageError` naming the offending item and what is allowed.
 */
export function parseSeedList(text: string): number[] {
  const items = text.split(',').map((item) => item.trim());
  if (text.trim() === '' || items.some((item) => item === '')) {
    throw new CliUsageError(`--seeds ${JSON.stringify(text)} has an empty item; give seeds and ranges separated by commas, such as 1..200 or 1,4,9.`);
  }
  const seeds = new Set<number>();
  for (const item of items) {
    const range = /^(\d+)\.\.(\d+)$/.exec(item);
    if (range) {
      const first = seedOf(range[1]!, item, text);
      const last = seedOf(range[2]!, item, text);
      if (first > last) throw new CliUsageError(`--seeds ${JSON.stringify(text)}: the range ${item} runs backwards; write it as ${last}..${first}.`);
      checkCount(seeds.size + (last - first + 1), text);
      for (let seed = first; seed <= last; seed++) seeds.add(seed);
    } else if (/^\d+$/.test(item)) {
      seeds.add(seedOf(item, item, text));
      checkCount(seeds.size, text);
    } else {
      throw new CliUsageError(`--seeds ${JSON.stringify(text)}: ${JSON.stringify(item)} is neither a seed nor a range; a seed is an integer from 0 to ${MAX_SEED}, a range is two of them joined by '..' (1..200).`);
    }
  }
  return [...seeds].sort((a, b) => a - b);
}

function seedOf(digits: string, item: string, text: string): number {
  const seed = Number(digits);
  if (seed > MAX_SEED) throw new CliUsageError(`--seeds ${JSON.stringify(text)}: ${item} goes past the largest seed; a seed is an integer from 0 to ${MAX_SEED}.`);
  return seed;
}

function checkCount(count: number, text: string): void {
  if (count > MAX_SEED_COUNT) throw new CliUsageError(`--seeds ${JSON.stringify(text)} selects more than ${MAX_SEED_COUNT} seeds; explore at most ${MAX_SEED_COUNT} seeds per run.`);
}
