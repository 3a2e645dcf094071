/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c", "d"]}}
 */
import { ClusterSharding, ask, type ActorRef } from '../../dist/src';
import { BOUND_MS, answerBy, coordinatorRole, hostingOf, idsCovering, probe, startRegion, watchDoubles, whereAll, type EntityMessage } from './helpers/sharding';

const ROLES = ['a', 'b', 'c', 'd'];
/** Entities used under duplicated and delayed coordinator messages; d starts its region late to force hand-offs. */
const DUP = 'dup';
/** Retries far shorter than the links' delay: every region request and coordinator command is sent several times. */
const DUP_SETTINGS = { numShards: 12, retryIntervalMs: 30, rebalanceIntervalMs: 300, handOffTimeoutMs: 1000 };
/** Entities for the partition and churn scenarios. */
const MAIN = 'main';
/** Rebalanced every second, so a restarted node gets shards back. */
const MAIN_SETTINGS = { numShards: 12, retryIntervalMs: 100, rebalanceIntervalMs: 1000 };

const regions: Record<string, ActorRef<EntityMessage>> = {};

/** Resolves after `ms` of the node's clock. */
const sleep = (ms: number): Promise<void> => new Promise((resolve) => multinode.system.scheduler.runOnce(ms, resolve));

/**
 * Every live role's homes agree with where the shards are hosted, and every shard is hosted exactly
 * once, on one of `roles`; when `asker` knows the coordinator, its map says the same.
 */
async function settled(roles: readonly string[], typeName: string): Promise<void> {
  const hosting = await hostingOf(roles, typeName);
  const owner: Record<number, string> = {};
  for (const [role, shards] of Object.entries(hosting)) for (const shard of shards) owner[shard] = owner[shard] === undefined ? role : `${owner[shard]},${role}`;
  expect(Object.keys(owner).map(Number).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  for (const [shard, role] of Object.entries(owner)) expect([shard, role]).toEqual([shard, expect.stringMatching(/^[a-d]$/)]);
  const homes = ClusterSharding.get(multinode.system).homes(typeName);
  for (const [shard, address] of Object.entries(homes)) expect([shard, address]).toEqual([shard, owner[Number(shard)]]);
  const coordinator = await coordinatorRole(roles, typeName);
  expect(coordinator).toBeDefined();
  const state = await probe<{ shards: Record<number, string>; handOffs: Record<number, string> }>(coordinator!, { q: 'coordinator', typeName });
  expect(state.handOffs).toEqual({});
  for (const [shard, region] of Object.entries(state.shards)) expect([shard, region.split('#')[0]]).toEqual([shard, owner[Number(shard)]]);
}

describe.multinode('sharding under link faults and churn', () => {
  beforeAll(async () => {
    if (multinode.role !== 'd') regions[DUP] = startRegion(DUP, DUP_SETTINGS);
    regions[MAIN] = startRegion(MAIN, MAIN_SETTINGS);
    await multinode.awaitMembersUp(ROLES.length, { timeoutMs: 10_000 });
    await barrier('started');
  });

  it("duplicated and delayed coordinator messages (drops, delays, fast resends) leave no shard doubled, through allocation and rebalance", async () => {
    // The coordinator runs on a, the oldest. Every link to and from a drops and delays.
    await runOn('a', async () => {
      // The coordinator starts once the singleton manager has seen the cluster: wait for it, do not assume it.
      await eventually(async () => expect(await coordinatorRole(ROLES, MAIN)).toBe('a'));
      for (const other of ['b', 'c', 'd']) {
        await fault.delay(other, 'a', { minMs: 20, maxMs: 120 });
        await fault.delay('a', other, { minMs: 20, maxMs: 120 });
        await fault.drop(other, 'a', 0.1);
        await fault.drop('a', other, 0.1);
      }
    });
    await barrier('faulty');
    const ids = idsCovering(MAIN, 'x', 2).map((id) => `dup-${id}`);
    await runOn('b', async () => {
      const start = performance.now();
      const watch = watchDoubles(() => ROLES, DUP, 50);
      // Allocation of all 12 shards with every request and command resent and reordered.
      await whereAll(regions[DUP]!, ids, start + BOUND_MS);
      expect(performance.now() - start).toBeLessThan(BOUND_MS);
      const before = await hostingOf(ROLES, DUP);
      expect(Object.values(before).map((shards) => shards.length)).toEqual([4, 4, 4, 0]);
      const { seen } = await watch.stop();
      expect(seen).toEqual([]);
    });
    await barrier('allocated');
    await runOn('d', () => {
      regions[DUP] = startRegion(DUP, DUP_SETTINGS);
    });
    await barrier('d joined');
    await runOn('b', async () => {
      const start = performance.now();
      const watch = watchDoubles(() => ROLES, DUP, 50);
      // Rebalance hands shards off to d under the same faults; the entities keep answering.
      await eventually(
        async () => {
          await whereAll(regions[DUP]!, ids, start + BOUND_MS);
          expect((await hostingOf(['d'], DUP)).d!.length).toBeGreaterThanOrEqual(2);
        },
        { timeoutMs: BOUND_MS, intervalMs: 100 },
      );
      // Keep sampling for a while after the moves: late duplicates of HostShard must not restart a shard.
      while (performance.now() - start < 3000) await sleep(100);
      const { checks, seen } = await watch.stop();
      expect(seen).toEqual([]);
      expect(checks).toBeGreaterThan(2);
    });
    await barrier('rebalanced');
    await runOn('a', () => fault.heal());
    await barrier('healed');
    await runOn('b', () => eventually(() => settled(ROLES, DUP), { timeoutMs: 5000, intervalMs: 100 }));
  });

  it('a region partitioned from the coordinator: its shards are allocated away within the downing time + 5 s, and after heal one home per shard', async () => {
    const ids = idsCovering(MAIN, 'p');
    await runOn('a', async () => {
      await whereAll(regions[MAIN]!, ids, performance.now() + 10_000);
      expect((await hostingOf(['d'], MAIN)).d!.length).toBeGreaterThan(0);
      await fault.partition(['a', 'b', 'c'], 'd');
    });
    await barrier('partitioned');
    const partitionedAt = performance.now();
    await runOn('d', async () => {
      // The minority downs itself and stops its shards.
      await eventually(() => expect(ClusterSharding.get(multinode.system).regionState(MAIN)).toMatchObject({ stopped: true, hosted: [] }), { timeoutMs: BOUND_MS, intervalMs: 20 });
    });
    await runOn('a', async () => {
      const watch = watchDoubles(() => ['a', 'b', 'c'], MAIN);
      const where = await whereAll(regions[MAIN]!, ids, partitionedAt + BOUND_MS);
      expect(performance.now() - partitionedAt).toBeLessThan(BOUND_MS);
      expect(new Set(Object.values(where))).toEqual(new Set(['a', 'b', 'c']));
      const { checks, seen } = await watch.stop();
      expect(seen).toEqual([]);
      expect(checks).toBeGreaterThan(2);
    });
    await barrier('moved');
    await runOn('a', async () => {
      await fault.heal();
      // d was downed: it comes back as a new incarnation.
      await fault.restart('d');
    });
    await barrier('d restarted');
    await runOn('d', () => {
      regions[MAIN] = startRegion(MAIN, MAIN_SETTINGS);
    });
    await multinode.awaitMembersUp(ROLES.length, { timeoutMs: 10_000 });
    await barrier('d back');
    // Every role settles on the same single home per shard.
    const healedAt = performance.now();
    await whereAll(regions[MAIN]!, ids, healedAt + 5000);
    await eventually(() => settled(ROLES, MAIN), { timeoutMs: 5000, intervalMs: 100 });
  });

  it('churn: a node leaves while traffic flows; only requests in flight to it may fail, everything sent after is answered', async () => {
    const ids = idsCovering(MAIN, 'churn', 2);
    // The rebalance has given the restarted d its share again.
    await runOn('a', async () => {
      await whereAll(regions[MAIN]!, ids, performance.now() + 10_000);
      await eventually(async () => expect((await hostingOf(['d'], MAIN)).d!.length).toBeGreaterThanOrEqual(2), { timeoutMs: 10_000, intervalMs: 100 });
      await eventually(() => settled(ROLES, MAIN), { timeoutMs: 5000, intervalMs: 100 });
    });
    await barrier('balanced');
    const onD = (await hostingOf(['d'], MAIN)).d!;
    expect(onD.length).toBeGreaterThan(0);
    await barrier('warm');
    const sharding = ClusterSharding.get(multinode.system);
    // a, b and c each send a request every 20 ms, round robin over the ids, each waiting up to 3 s.
    const results: Array<{ id: string; sentAt: number; ok: boolean }> = [];
    let sending = multinode.role !== 'd';
    let leftAt = Infinity;
    let sentAfterLeave = 0;
    const traffic = (async () => {
      const pending: Promise<void>[] = [];
      for (let n = 0; sending; n++) {
        const id = ids[(n + multinode.index * 7) % ids.length]!;
        const sentAt = performance.now();
        if (sentAt > leftAt) sentAfterLeave++;
        pending.push(
          ask(regions[MAIN]!, { id, op: 'where' } satisfies EntityMessage, { timeoutMs: 3000 }).then(
            () => void results.push({ id, sentAt, ok: true }),
            () => void results.push({ id, sentAt, ok: false }),
          ),
        );
        await sleep(20);
      }
      await Promise.all(pending);
    })();
    await runOn('a', async () => {
      await sleep(500);
      await fault.leave('d');
    });
    await barrier('left');
    leftAt = performance.now();
    await runOn(['a', 'b', 'c'], async () => {
      // 60 requests after d left: 1.2 s of traffic, longer on a loaded machine, where sleeps overrun.
      await eventually(() => expect(sentAfterLeave).toBeGreaterThanOrEqual(60), { timeoutMs: 15_000, intervalMs: 50 });
      sending = false;
      await traffic;
      const after = results.filter((r) => r.sentAt > leftAt);
      expect(after.length).toBeGreaterThanOrEqual(60);
      expect(after.filter((r) => !r.ok)).toEqual([]);
      // Failures only for entities that lived on d, sent before d was gone.
      const failed = results.filter((r) => !r.ok);
      for (const r of failed) expect([r.id, onD.includes(sharding.shardOf(MAIN, r.id))]).toEqual([r.id, true]);
      // Every entity answers from a, b or c.
      const where = await whereAll(regions[MAIN]!, ids, performance.now() + 5000);
      for (const node of Object.values(where)) expect(['a', 'b', 'c']).toContain(node);
    });
    await runOn('a', () => eventually(() => settled(['a', 'b', 'c'], MAIN), { timeoutMs: 5000, intervalMs: 100 }));
  }, 60_000);
});
