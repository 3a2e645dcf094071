/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c"]}}
 */
import { ClusterSharding, Props, ask, type ActorRef } from '../../dist/src';

type EntityMessage = { id: string; op: 'where' };
type Where = { id: string; node: string };

const TYPE = 'item';
const IDS = Array.from({ length: 24 }, (_, i) => `item-${i}`);
// The default cluster settings: unreachable after 1 s, downed once that has been stable for 1 s.
const DOWNING_MS = 2000;
const BOUND_MS = DOWNING_MS + 5000;

/** Starts this role's region of the entity type and a `hosting` actor that reports what the region hosts. */
function startNode(): ActorRef<EntityMessage> {
  const sharding = ClusterSharding.get(multinode.system);
  multinode.system.spawn(
    Props.fromReceive((_message, ctx) => ctx.reply(sharding.regionState(TYPE).hosted)),
    'hosting',
  );
  return sharding.start<EntityMessage>({
    typeName: TYPE,
    entityProps: (id) => Props.fromReceive<EntityMessage>((_m, ctx) => ctx.reply({ id, node: ctx.system.address } satisfies Where)),
    extractEntityId: (message) => message.id,
  });
}

/** What each of `roles` hosts now, asked through its `hosting` actor. */
async function hostingOf(roles: readonly string[]): Promise<Record<string, number[]>> {
  const entries = await Promise.all(roles.map(async (role) => [role, await ask<number[]>(multinode.system.refFor(role, '/user/hosting'), 'hosted', { timeoutMs: 2000 })] as const));
  return Object.fromEntries(entries);
}

/** The shards that more than one of the `roles` hosts. */
async function doubled(roles: readonly string[]): Promise<number[]> {
  const all = Object.values(await hostingOf(roles)).flat();
  return [...new Set(all.filter((shard, i) => all.indexOf(shard) !== i))];
}

/** Asks every entity until it answers (each try 500 ms); returns where each answered. */
async function whereIsEveryone(region: ActorRef<EntityMessage>, timeoutMs: number): Promise<Record<string, string>> {
  const nodes: Record<string, string> = {};
  for (const id of IDS) {
    const answer = await eventually(() => ask<Where>(region, { id, op: 'where' }, { timeoutMs: 500 }), { timeoutMs, intervalMs: 50 });
    nodes[id] = answer.node;
  }
  return nodes;
}

let region: ActorRef<EntityMessage>;

describe.multinode('sharding rebalance', () => {
  beforeAll(async () => {
    region = startNode();
    await barrier('started');
  });

  it('spreads the entities over the three nodes, and every region agrees with where they answer', async () => {
    await runOn('a', async () => {
      const nodes = await whereIsEveryone(region, 10_000);
      expect(new Set(Object.values(nodes))).toEqual(new Set(['a', 'b', 'c']));
      const sharding = ClusterSharding.get(multinode.system);
      const homes = sharding.homes(TYPE);
      for (const id of IDS) expect(homes[sharding.shardOf(TYPE, id)]).toBe(nodes[id]);
      const hosting = await hostingOf(['a', 'b', 'c']);
      for (const role of ['a', 'b', 'c']) expect(hosting[role]!.length).toBeGreaterThan(0);
      expect(await doubled(['a', 'b', 'c'])).toEqual([]);
    });
  });

  it('after a crash every entity answers again from the survivors within the downing time + 5 s, and no shard is ever hosted twice', async () => {
    await runOn('a', async () => {
      const before = await hostingOf(['a', 'b', 'c']);
      const crashedAt = performance.now();
      await fault.crash('c');
      // Watch the survivors while the shards move: no shard on both a and b at any check.
      let watching = true;
      const checks: number[][] = [];
      const watcher = (async () => {
        while (watching) {
          checks.push(await doubled(['a', 'b']));
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      const nodes = await whereIsEveryone(region, BOUND_MS);
      const recoveredMs = performance.now() - crashedAt;
      watching = false;
      await watcher;
      expect(recoveredMs).toBeLessThan(BOUND_MS);
      expect(new Set(Object.values(nodes))).toEqual(new Set(['a', 'b']));
      expect(checks.length).toBeGreaterThan(2);
      expect(checks.filter((d) => d.length > 0)).toEqual([]);
      // The shards that lived on a or b stayed where they were.
      const after = await hostingOf(['a', 'b']);
      for (const role of ['a', 'b']) for (const shard of before[role]!) expect(after[role]).toContain(shard);
    });
  });

  it("survives the crash of the coordinator's node: the coordinator moves and every entity answers again within the bound", async () => {
    await runOn('a', () => fault.restart('c'));
    await barrier('c restarted');
    await runOn('c', () => {
      region = startNode();
    });
    await barrier('c started');
    await runOn('b', async () => {
      await multinode.awaitMembersUp(3, { timeoutMs: 10_000 });
      // The coordinator runs on the oldest member, a.
      expect(ClusterSharding.get(multinode.system).coordinatorState(TYPE)).toBeUndefined();
      await whereIsEveryone(region, 10_000);
    });
    await barrier('warm');
    await runOn('b', async () => {
      await fault.crash('a');
      const crashedAt = performance.now();
      const nodes = await whereIsEveryone(region, BOUND_MS);
      expect(performance.now() - crashedAt).toBeLessThan(BOUND_MS);
      expect(new Set(Object.values(nodes))).toEqual(new Set(['b', 'c']));
      expect(ClusterSharding.get(multinode.system).coordinatorState(TYPE)?.shards).toBeDefined();
      expect(await doubled(['b', 'c'])).toEqual([]);
    });
  });
});
