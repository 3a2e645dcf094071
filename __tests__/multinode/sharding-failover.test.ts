/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c", "d"]}}
 */
import { ClusterSharding, ask, type ActorRef } from '../../dist/src';
import {
  BOUND_MS,
  answerBy,
  coordinatorRole,
  doubled,
  hostingOf,
  idsCovering,
  local,
  probe,
  startRegion,
  watchDoubles,
  whereAll,
  type EntityMessage,
} from './helpers/sharding';
import { state } from './helpers/cluster';

const ROLES = ['a', 'b', 'c', 'd'];
/** Entities that answer `where`, spread over every node. */
const PLAIN = 'plain';
/** Entities that take `local.slowStopMs` to stop, with a fast rebalance: to catch a coordinator mid-hand-off. */
const HANDOFF = 'handoff';
/** 24 shards of which only half are used before the coordinator moves: the rest need a new allocation. */
const FRESH = 'fresh';
const FAST = { retryIntervalMs: 100 };
const HANDOFF_SETTINGS = { ...FAST, numShards: 12, rebalanceIntervalMs: 500 };
/** How long a handed-off entity takes to stop: longer than it takes a new coordinator to take over. */
const SLOW_STOP_MS = 5000;

const regions: Record<string, ActorRef<EntityMessage>> = {};

/** Starts this node's regions: every type, or every type but `HANDOFF` (which d starts late). */
function startRegions(withHandOff: boolean): void {
  regions[PLAIN] = startRegion(PLAIN, { ...FAST, numShards: 12 });
  regions[FRESH] = startRegion(FRESH, { ...FAST, numShards: 24 });
  if (withHandOff) regions[HANDOFF] = startRegion(HANDOFF, HANDOFF_SETTINGS);
}

/** Restarts `role` (from a) and starts its regions again. */
async function bringBack(role: string, withHandOff: boolean): Promise<void> {
  await runOn('a', () => fault.restart(role));
  await barrier(`${role} restarted`);
  await runOn(role, () => startRegions(withHandOff));
  await runOn(ROLES, () => multinode.awaitMembersUp(ROLES.length, { timeoutMs: 10_000 }));
  await barrier(`${role} back`);
}

describe.multinode('sharding failover', () => {
  beforeAll(async () => {
    startRegions(multinode.role !== 'd');
    await multinode.awaitMembersUp(ROLES.length, { timeoutMs: 10_000 });
    await barrier('started');
  });

  it("a region's node crashes after an entity started and before its first message: the entity answers from another node within the downing time + 5 s", async () => {
    await runOn('a', () => whereAll(regions[PLAIN]!, idsCovering(PLAIN, 'warm'), performance.now() + 10_000));
    await runOn('d', () => {
      local.slowStartMs = 3000;
    });
    await barrier('warm');
    await runOn('a', async () => {
      const region = regions[PLAIN]!;
      const hosting = await hostingOf(ROLES, PLAIN);
      expect(hosting.d!.length).toBeGreaterThan(0);
      const sharding = ClusterSharding.get(multinode.system);
      let n = 0;
      while (!hosting.d!.includes(sharding.shardOf(PLAIN, `slow-start-${n}`))) n++;
      const id = `slow-start-${n}`;
      const t0 = performance.now();
      const first = ask(region, { id, op: 'where' }, { timeoutMs: 1500 }).then(
        (x) => `answered ${JSON.stringify(x)} after ${performance.now() - t0}`,
        () => 'no answer',
      );
      // The entity has started on d (its preStart ran) but has not had its first message yet.
      await eventually(async () => expect(await probe<string[]>('d', { q: 'started' })).toContain(`${PLAIN}/${id}@d`), { timeoutMs: 5000, intervalMs: 10 });
      await fault.crash('d');
      const crashedAt = performance.now();
      const watch = watchDoubles(() => ['a', 'b', 'c'], PLAIN);
      expect(await first).toBe('no answer');
      const answer = await answerBy(region, id, crashedAt + BOUND_MS);
      const answeredMs = performance.now() - crashedAt;
      expect(['a', 'b', 'c']).toContain(answer.node);
      expect(answeredMs).toBeLessThan(BOUND_MS);
      // Every other entity answers too, and no shard was hosted twice meanwhile.
      await whereAll(region, idsCovering(PLAIN, 'warm'), crashedAt + BOUND_MS);
      const { checks, seen } = await watch.stop();
      expect(seen).toEqual([]);
      expect(checks).toBeGreaterThan(2);
    });
    await barrier('recovered');
    await runOn('d', () => {
      local.slowStartMs = 0;
    });
    await bringBack('d', false);
  });

  it("the coordinator's node crashes between a hand-off request and its confirmation: the new coordinator cleans up, no shard lost or doubled", async () => {
    // Computed where the type runs (d starts its region later).
    const ids = (): string[] => idsCovering(HANDOFF, 'h');
    await runOn(ROLES, () => {
      local.slowStopTypes.add(HANDOFF);
      local.slowStopMs = SLOW_STOP_MS;
    });
    await barrier('slow stops');
    // a, b and c host the 12 shards, 4 each; the coordinator runs on a, the oldest.
    await runOn('a', async () => {
      await whereAll(regions[HANDOFF]!, ids(), performance.now() + 10_000);
      expect(Object.values(await hostingOf(['a', 'b', 'c'], HANDOFF)).map((shards) => shards.length)).toEqual([4, 4, 4]);
      expect(await coordinatorRole(ROLES, HANDOFF)).toBe('a');
    });
    await barrier('allocated');
    // d's region joins late: the coordinator hands shards off to it; their owners take SLOW_STOP_MS to confirm.
    await runOn('d', () => {
      regions[HANDOFF] = startRegion(HANDOFF, HANDOFF_SETTINGS);
    });
    await barrier('d joined');
    await runOn('a', async () => {
      const moving = await eventually(
        () => {
          const handOffs = ClusterSharding.get(multinode.system).coordinatorState(HANDOFF)!.handOffs;
          const waiting = Object.entries(handOffs).filter(([, step]) => step === 'handoff');
          expect(waiting.length).toBeGreaterThan(0);
          return waiting.map(([shard]) => Number(shard));
        },
        { timeoutMs: 5000, intervalMs: 10 },
      );
      // Each shard being handed off is still hosted by its owner, whose stop is slow. The rebalance
      // takes from the busiest regions, so when it has picked several, one can be a's own.
      const hosting = await hostingOf(['a', 'b', 'c'], HANDOFF);
      for (const shard of moving) expect([...hosting.a!, ...hosting.b!, ...hosting.c!]).toContain(shard);
      await fault.crash('a');
    });
    await barrier('crashed');
    await runOn(ROLES, () => {
      // Only the stops already under way stay slow.
      local.slowStopMs = 0;
    });
    // The new coordinator runs on the oldest survivor: b and c join in either order on a busy machine.
    const upNumber = (address: string): number => state().members.find((m) => m.address === address)?.upNumber ?? Infinity;
    const next = ['b', 'c', 'd'].sort((x, y) => upNumber(x) - upNumber(y))[0]!;
    await runOn(next, async () => {
      const crashedAt = performance.now();
      const watch = watchDoubles(() => ['b', 'c', 'd'], HANDOFF);
      const where = await whereAll(regions[HANDOFF]!, ids(), crashedAt + BOUND_MS);
      expect(performance.now() - crashedAt).toBeLessThan(BOUND_MS);
      expect(new Set(Object.values(where))).toEqual(new Set(['b', 'c', 'd']));
      // The new coordinator (on the oldest survivor) finishes or drops the old hand-offs: every shard has one home.
      await eventually(
        async () => {
          const coordinator = ClusterSharding.get(multinode.system).coordinatorState(HANDOFF)!;
          expect(coordinator.handOffs).toEqual({});
          const hosting = await hostingOf(['b', 'c', 'd'], HANDOFF);
          expect(Object.values(hosting).flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i));
          for (const [role, shards] of Object.entries(hosting)) {
            const owned = Object.entries(coordinator.shards).filter(([, region]) => region.startsWith(`${role}#`)).map(([shard]) => Number(shard));
            expect([role, owned.sort((x, y) => x - y)]).toEqual([role, shards]);
          }
        },
        { timeoutMs: 5000, intervalMs: 100 },
      );
      const { checks, seen } = await watch.stop();
      expect(seen).toEqual([]);
      expect(checks).toBeGreaterThan(2);
    });
    await bringBack('a', true);
  });

  it('the coordinator leaves: sharding allocates new shards again within 5 s of its node being gone', async () => {
    const sharding = ClusterSharding.get(multinode.system);
    const ids = idsCovering(FRESH, 'f');
    const before = ids.filter((id) => sharding.shardOf(FRESH, id) < 12);
    const after = ids.filter((id) => sharding.shardOf(FRESH, id) >= 12);
    const leaver = await eventually(async () => {
      const role = await coordinatorRole(ROLES, FRESH);
      expect(role).toBeDefined();
      return role!;
    });
    const asker = ROLES.find((role) => role !== leaver)!;
    await runOn(asker, async () => {
      await whereAll(regions[FRESH]!, before, performance.now() + 10_000);
      const coordinator = await probe<{ shards: Record<number, string> }>(leaver, { q: 'coordinator', typeName: FRESH });
      expect(Object.keys(coordinator.shards).map(Number).every((shard) => shard < 12)).toBe(true);
      await fault.leave(leaver);
      const goneAt = performance.now();
      const survivors = ROLES.filter((role) => role !== leaver);
      // Shards nobody ever hosted: only a coordinator can place them.
      const where = await whereAll(regions[FRESH]!, after, goneAt + 5000);
      expect(performance.now() - goneAt).toBeLessThan(5000);
      for (const node of Object.values(where)) expect(survivors).toContain(node);
      expect(await coordinatorRole(survivors, FRESH)).toBeDefined();
      expect(await doubled(survivors, FRESH)).toEqual([]);
    });
  });
});
