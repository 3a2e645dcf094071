/**
 * The "least shards" allocation strategy, pure: where a new shard goes, and which shards a
 * rebalance moves. Ties are broken by region key, so every run decides the same way.
 */

/** One candidate region and the shards it hosts now. */
export interface RegionLoad {
  readonly key: string;
  readonly shards: readonly number[];
}

/** The region hosting the fewest shards (lowest key on a tie), or undefined when there is none. */
export function allocateLeastShards(regions: readonly RegionLoad[]): string | undefined {
  let best: RegionLoad | undefined;
  for (const region of regions) {
    if (best === undefined || region.shards.length < best.shards.length || (region.shards.length === best.shards.length && region.key < best.key)) {
      best = region;
    }
  }
  return best?.key;
}

/**
 * The shards to move so the spread evens out: while the busiest region hosts at least `threshold`
 * more shards than the least busy one, one shard (its highest-numbered) moves from the busiest to
 * the least busy, at most `max` in all. Shards already moving (`moving`) count against `max` and
 * are never picked again.
 */
export function selectRebalance(regions: readonly RegionLoad[], threshold: number, max: number, moving: ReadonlySet<number>): number[] {
  if (regions.length < 2) return [];
  const loads = regions.map((r) => ({ key: r.key, shards: r.shards.filter((s) => !moving.has(s)).sort((a, b) => a - b) }));
  const picked: number[] = [];
  while (moving.size + picked.length < max) {
    loads.sort((a, b) => a.shards.length - b.shards.length || (a.key < b.key ? -1 : 1));
    const least = loads[0]!;
    const most = loads[loads.length - 1]!;
    if (most.shards.length - least.shards.length < threshold) break;
    const shard = most.shards.pop()!;
    least.shards.push(shard);
    picked.push(shard);
  }
  return picked;
}
