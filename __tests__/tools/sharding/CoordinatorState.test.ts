import { describe, expect, it } from '@jest/globals';
import type { ActorRef } from '../../../src/actors';
import { CoordinatorState, type Outgoing } from '../../../src/tools/sharding/CoordinatorState';
import type { RegionId, ToCoordinator } from '../../../src/tools/sharding/protocol';
import { resolveShardingSettings } from '../../../src/tools/sharding/settings';

const settings = resolveShardingSettings({ handOffTimeoutMs: 100, retryIntervalMs: 10, coordinatorRecoveryTimeoutMs: 50, rememberEntities: true });
const ref = (address: string): ActorRef => ({ node: address, path: '/system/sharding-t', toString: () => `actor://${address}/system/sharding-t` }) as unknown as ActorRef;
const id = (address: string, incarnation = 0): RegionId => ({ address, incarnation });
const register = (address: string, hosted: Array<{ shard: number; entities: string[] }> = [], incarnation = 0): ToCoordinator => ({
  type: 'sharding.Register',
  region: id(address, incarnation),
  ref: ref(address),
  hosted,
});
const get = (address: string, shard: number, incarnation = 0): ToCoordinator => ({ type: 'sharding.GetShardHome', region: id(address, incarnation), ref: ref(address), shard });
const summary = (out: Outgoing[]): string[] => out.map((o) => `${o.to.node} ${o.message.type.slice('sharding.'.length)}${'shard' in o.message ? ` ${o.message.shard}` : ''}`);

/** A coordinator with regions a, b, c registered and no recovery wait. */
function started(): CoordinatorState {
  const state = new CoordinatorState(7, settings, [], 0);
  for (const address of ['a', 'b', 'c']) state.receive(register(address), 0);
  return state;
}

function allocate(state: CoordinatorState, shard: number, requester = 'a'): { version: number; owner: string } {
  const host = state.receive(get(requester, shard), 0).find((o) => o.message.type === 'sharding.HostShard')!;
  const version = (host.message as { version: number }).version;
  state.receive({ type: 'sharding.ShardStarted', region: id(host.to.node), epoch: state.epoch, shard, version }, 0);
  return { version, owner: host.to.node };
}

describe('CoordinatorState', () => {
  it('allocates each new shard to the region with the fewest shards, ties by key', () => {
    const state = started();
    expect([0, 1, 2, 3].map((s) => allocate(state, s).owner)).toEqual(['a', 'b', 'c', 'a']);
    expect(state.snapshot().regions).toEqual({ 'a#0': [0, 3], 'b#0': [1], 'c#0': [2] });
  });

  it('Register twice: one region, the same shards, acknowledged both times', () => {
    const state = new CoordinatorState(7, settings, [], 0);
    expect(summary(state.receive(register('a', [{ shard: 3, entities: ['x'] }]), 0))).toEqual(['a HostShard 3', 'a RegisterAck']);
    const before = state.snapshot();
    expect(summary(state.receive(register('a', [{ shard: 3, entities: ['x'] }]), 0))).toEqual(['a RegisterAck']);
    expect(state.snapshot()).toEqual(before);
    expect(before.remembered).toEqual({ 3: ['x'] });
  });

  it('Register from a dead incarnation is ignored; a newer incarnation replaces the old region', () => {
    const state = started();
    allocate(state, 1); // to a
    expect(summary(state.receive(register('a', [], 1), 0))).toEqual(expect.arrayContaining(['a RegisterAck']));
    expect(state.snapshot().regions['a#0']).toBeUndefined();
    const before = state.snapshot();
    expect(state.receive(register('a', [{ shard: 5, entities: [] }], 0), 0)).toEqual([]);
    expect(state.receive(get('a', 5, 0), 0)).toEqual([]);
    expect(state.snapshot()).toEqual(before);
  });

  it('a shard reported by two regions after recovery keeps the first; the second is told the home', () => {
    const state = new CoordinatorState(7, settings, [id('a'), id('b')], 0);
    state.receive(register('a', [{ shard: 4, entities: [] }]), 0);
    const out = state.receive(register('b', [{ shard: 4, entities: [] }]), 0);
    expect(summary(out)).toEqual(['b ShardHome 4', 'b RegisterAck']);
    expect(state.snapshot().shards).toEqual({ 4: 'a#0' });
  });

  it('GetShardHome twice allocates once; the second answer names the same home and version', () => {
    const state = started();
    const first = state.receive(get('b', 9), 0);
    const second = state.receive(get('b', 9), 0);
    expect(summary(first)).toEqual(['a HostShard 9', 'b ShardHome 9']);
    expect(summary(second)).toEqual(['b ShardHome 9']);
    expect((first[1]!.message as { version: number }).version).toBe((second[0]!.message as { version: number }).version);
    expect(state.snapshot().regions).toEqual({ 'a#0': [9], 'b#0': [], 'c#0': [] });
  });

  it('waits for the awaited regions (or the recovery deadline) before allocating an unknown shard', () => {
    const state = new CoordinatorState(7, settings, [id('a'), id('b')], 0);
    state.receive(register('a'), 0);
    expect(summary(state.receive(get('a', 2), 0))).toEqual([]);
    expect(summary(state.tick(60))).toEqual(['a HostShard 2']);
  });

  it('ends the recovery wait early when the last awaited member is downed', () => {
    const state = new CoordinatorState(7, settings, [id('a'), id('b')], 0);
    state.receive(register('a'), 0);
    state.receive(get('a', 2), 0);
    expect(summary(state.memberGone(id('b'), 10))).toEqual(['a HostShard 2']);
  });

  it('ShardStarted twice or for an older version changes nothing; HostShard is re-sent until confirmed', () => {
    const state = started();
    const out = state.receive(get('a', 1), 0);
    expect(summary(state.tick(20))).toEqual(['a HostShard 1']);
    const version = (out[0]!.message as { version: number }).version;
    const started1 = { type: 'sharding.ShardStarted', region: id('a'), epoch: 7, shard: 1, version } as const;
    state.receive(started1, 20);
    state.receive(started1, 20);
    state.receive({ ...started1, version: version - 1 }, 20);
    expect(summary(state.tick(100))).toEqual([]);
  });

  it('runs a hand-off: BeginHandOff to all, acks (twice is fine), HandOff to the owner, ShardStopped (twice is fine) re-allocates', () => {
    const state = started();
    const { version, owner } = allocate(state, 0);
    allocate(state, 1);
    allocate(state, 2);
    expect(owner).toBe('a');
    expect(summary(state.beginHandOff(0, 0))).toEqual(['a BeginHandOff 0', 'b BeginHandOff 0', 'c BeginHandOff 0']);
    expect(state.beginHandOff(0, 0)).toEqual([]);
    const ack = (address: string, epoch = 7) => state.receive({ type: 'sharding.BeginHandOffAck', region: id(address), epoch, shard: 0, version }, 0);
    expect(ack('a')).toEqual([]);
    expect(ack('a')).toEqual([]);
    expect(ack('c')).toEqual([]);
    expect(ack('b', 6)).toEqual([]); // another coordinator's ack does not count
    expect(summary(ack('b'))).toEqual(['a HandOff 0']);
    expect(ack('b')).toEqual([]);
    expect(state.snapshot().handOffs).toEqual({ 0: 'handoff' });
    state.receive(get('b', 0), 0); // waits for the hand-off
    const stopped = { type: 'sharding.ShardStopped', region: id('a'), epoch: 7, shard: 0, version } as const;
    expect(state.receive({ ...stopped, region: id('b') }, 0)).toEqual([]); // not the owner
    expect(state.receive({ ...stopped, epoch: 6 }, 0)).toEqual([]); // another coordinator's
    expect(summary(state.receive(stopped, 0))).toEqual(['a HostShard 0', 'b ShardHome 0']);
    expect(state.receive(stopped, 0)).toEqual([]);
    expect(state.snapshot().shards).toEqual({ 0: 'a#0', 1: 'b#0', 2: 'c#0' });
  });

  it('re-sends HandOff after handOffTimeoutMs while the owner lives, and drops the shard when its member is gone', () => {
    const state = started();
    allocate(state, 0);
    state.beginHandOff(0, 0);
    expect(summary(state.tick(100))).toEqual(['a HandOff 0']); // acks missing: given up on
    expect(summary(state.tick(150))).toEqual([]);
    expect(summary(state.tick(200))).toEqual(['a HandOff 0']); // no ShardStopped: asked again
    state.receive(get('c', 0), 200);
    expect(summary(state.memberGone(id('a'), 210))).toEqual(['b HostShard 0', 'c ShardHome 0']);
    expect(state.memberGone(id('a'), 210)).toEqual([]);
  });

  it('EntityUpdate twice remembers once; a stale version or another region is ignored', () => {
    const state = started();
    const { version } = allocate(state, 2);
    const update = { type: 'sharding.EntityUpdate', region: id('a'), epoch: 7, shard: 2, version, entityId: 'e1', started: true } as const;
    state.receive(update, 0);
    state.receive(update, 0);
    state.receive({ ...update, entityId: 'e2', version: version + 1 }, 0);
    state.receive({ ...update, entityId: 'e3', region: id('b') }, 0);
    expect(state.snapshot().remembered).toEqual({ 2: ['e1'] });
    // The owner dies: the shard comes back elsewhere with its entities, without being asked for.
    const out = state.memberGone(id('a'), 0);
    expect(out.map((o) => o.message)).toEqual([expect.objectContaining({ type: 'sharding.HostShard', shard: 2, entities: ['e1'] })]);
  });

  it('a leaving member drains: its shards are handed off and nothing new goes to it', () => {
    const state = started();
    allocate(state, 0);
    expect(summary(state.memberLeaving(id('a'), 0))).toEqual(['a BeginHandOff 0', 'b BeginHandOff 0', 'c BeginHandOff 0']);
    expect(state.memberLeaving(id('a'), 0)).toEqual([]);
    expect(summary(state.receive(get('a', 5), 0))).toEqual(['b HostShard 5', 'a ShardHome 5']);
  });

  it('rebalances from the busiest to the least busy region past the threshold, at most maxSimultaneousRebalance', () => {
    const state = new CoordinatorState(7, resolveShardingSettings({ rebalanceThreshold: 2, maxSimultaneousRebalance: 1 }), [], 0);
    state.receive(register('a'), 0);
    for (const shard of [0, 1, 2, 3]) allocate(state, shard);
    state.receive(register('b'), 0);
    expect(summary(state.rebalance(0))).toEqual(['a BeginHandOff 3', 'b BeginHandOff 3']);
    expect(state.rebalance(0)).toEqual([]);
  });
});
