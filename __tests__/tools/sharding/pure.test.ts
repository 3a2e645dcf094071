import { describe, expect, it } from '@jest/globals';
import { allocateLeastShards, selectRebalance } from '../../../src/tools/sharding/allocation';
import { shardOfId } from '../../../src/tools/sharding/protocol';
import { DEFAULT_SHARDING_SETTINGS, InvalidShardingSettingError, resolveShardingSettings } from '../../../src/tools/sharding/settings';

describe('shardOfId', () => {
  it('is FNV-1a of the id modulo numShards: fixed values, in range', () => {
    expect(['o-7', 'a', ''].map((id) => shardOfId(id, 16))).toEqual([10, 12, 5]);
    for (let i = 0; i < 100; i++) expect(shardOfId(`id-${i}`, 7)).toBeLessThan(7);
  });
});

describe('least-shards allocation', () => {
  it('picks the region with the fewest shards, the lowest key on a tie', () => {
    expect(allocateLeastShards([{ key: 'b#0', shards: [1] }, { key: 'c#0', shards: [] }, { key: 'a#0', shards: [2] }])).toBe('c#0');
    expect(allocateLeastShards([{ key: 'b#0', shards: [] }, { key: 'a#0', shards: [] }])).toBe('a#0');
    expect(allocateLeastShards([])).toBeUndefined();
  });

  it('rebalances from most to least while the difference reaches the threshold, at most max moving', () => {
    const regions = [{ key: 'a#0', shards: [0, 1, 2, 3, 4] }, { key: 'b#0', shards: [] }];
    expect(selectRebalance(regions, 2, 10, new Set())).toEqual([4, 3]);
    expect(selectRebalance(regions, 2, 1, new Set())).toEqual([4]);
    expect(selectRebalance(regions, 2, 2, new Set([4]))).toEqual([3]);
    expect(selectRebalance(regions, 6, 10, new Set())).toEqual([]);
  });
});

describe('resolveShardingSettings', () => {
  it('fills defaults and validates every setting with a sentence', () => {
    expect(resolveShardingSettings({})).toEqual(DEFAULT_SHARDING_SETTINGS);
    expect(resolveShardingSettings({ rebalanceIntervalMs: 0, rememberEntities: true })).toMatchObject({ rebalanceIntervalMs: 0, rememberEntities: true });
    expect(() => resolveShardingSettings({ numShards: 0 })).toThrow("Sharding setting 'numShards' in the ClusterSharding.start options must be a whole number from 1 to 100000; it was given 0.");
    expect(() => resolveShardingSettings({ rememberEntities: 'yes' })).toThrow(InvalidShardingSettingError);
    expect(() => resolveShardingSettings({ handoffTimeoutMs: 5 })).toThrow(/Unknown sharding setting 'handoffTimeoutMs'.*Known settings are: numShards/);
  });
});
