import { afterEach, describe, expect, it } from '@jest/globals';
import { Actor, ask, type ActorContext, type ActorRef, Props } from '../../../src/actors';
import { Cluster } from '../../../src/cluster';
import { ClusterSharding, InvalidShardingSettingError, passivate, type ShardingStartOptions } from '../../../src/tools';
import { SingletonSim } from '../singleton/helpers/SingletonSim';

type Msg = { id: string; op: 'get' | 'add' | 'stop' };

/** An entity that counts `add`s and answers `get` with its node and count; `stop` passivates it. */
class Counter extends Actor<Msg> {
  private count = 0;
  constructor(private readonly starts: string[], private readonly id: string) {
    super();
  }
  override preStart(ctx: ActorContext<Msg>): void {
    this.starts.push(`${this.id}@${ctx.system.address}`);
  }
  override postStop(ctx: ActorContext<Msg>): void {
    this.starts.push(`-${this.id}@${ctx.system.address}`);
  }
  receive(message: Msg, ctx: ActorContext<Msg>): void {
    if (message.op === 'add') this.count++;
    else if (message.op === 'get') ctx.reply({ node: ctx.system.address, count: this.count });
    else passivate(ctx);
  }
}

let sim: SingletonSim | undefined;
afterEach(() => {
  sim?.shutdown();
  sim = undefined;
});

const NODES = ['a', 'b', 'c'];
/** The entity starts in a log of `id@node` starts and `-id@node` stops. */
const startsIn = (log: readonly string[]): string[] => log.filter((x) => !x.startsWith('-'));
const IDS = Array.from({ length: 20 }, (_, i) => `e-${i}`);

async function cluster(settings: Partial<ShardingStartOptions> = {}, starts: string[] = [], regionsOn = NODES): Promise<{ s: SingletonSim; regions: Record<string, ActorRef>; startOn: (node: string) => void }> {
  const s = new SingletonSim(NODES);
  sim = s;
  await s.start(...NODES);
  const regions: Record<string, ActorRef> = {};
  const startOn = (node: string): void => {
    regions[node] = ClusterSharding.get(s.system(node)).start<Msg>({
      typeName: 'counter',
      entityProps: (id) => Props.create(() => new Counter(starts, id)),
      extractEntityId: (m) => m.id,
      retryIntervalMs: 50,
      ...settings,
    });
  };
  for (const node of regionsOn) startOn(node);
  return { s, regions, startOn };
}

/** Per entity, its starts and stops in the order they happened (one process): never two running at once. */
function expectNeverTwoAtOnce(log: readonly string[], ids: readonly string[]): void {
  for (const id of ids) {
    let running = 0;
    for (const entry of log.filter((x) => x.replace(/^-/, '').split('@')[0] === id)) {
      running += entry.startsWith('-') ? -1 : 1;
      expect(running).toBeLessThanOrEqual(1);
    }
  }
}

/** Asks in virtual time: advances the simulation until the ask settles. */
async function askIn<R>(s: SingletonSim, ref: ActorRef, message: unknown, timeoutMs = 3000): Promise<R> {
  let result: { ok: true; value: R } | { ok: false; error: unknown } | undefined;
  ask<R>(ref, message, { timeoutMs }).then((value) => (result = { ok: true, value }), (error: unknown) => (result = { ok: false, error }));
  await s.runUntil(() => result !== undefined, timeoutMs + 100, `an answer to ${JSON.stringify(message)}`);
  if (!result!.ok) throw result!.error;
  return result!.value;
}

/** Every shard hosted per node, and the shards hosted on more than one live node. */
function hosting(s: SingletonSim, nodes: string[]): { byNode: Record<string, readonly number[]>; doubled: number[] } {
  const byNode: Record<string, readonly number[]> = {};
  for (const node of nodes) byNode[node] = ClusterSharding.get(s.system(node)).regionState('counter').hosted;
  const all = Object.values(byNode).flat();
  return { byNode, doubled: all.filter((shard, i) => all.indexOf(shard) !== i) };
}

describe('ClusterSharding', () => {
  it('spreads entities over every node, answers from any node, and every region learns the same homes', async () => {
    const { s, regions } = await cluster();
    for (const id of IDS) regions.b!.tell({ id, op: 'add' } satisfies Msg);
    const answers = [];
    // Messages from one sender arrive in order, buffered or not.
    for (const id of IDS) answers.push(await askIn<{ node: string; count: number }>(s, regions.b!, { id, op: 'get' }));
    expect(answers.every((a) => a.count === 1)).toBe(true);
    for (const id of IDS) expect(await askIn(s, regions[NODES[IDS.indexOf(id) % 3]!]!, { id, op: 'get' })).toEqual(answers[IDS.indexOf(id)]);
    expect(new Set(answers.map((a) => a.node))).toEqual(new Set(NODES));
    const sharding = ClusterSharding.get(s.system('a'));
    for (const node of NODES) {
      const homes = ClusterSharding.get(s.system(node)).homes('counter');
      for (const id of IDS) expect([undefined, answers[IDS.indexOf(id)]!.node]).toContain(homes[sharding.shardOf('counter', id)]);
    }
    // b routed every entity, so it knows every home.
    expect(Object.keys(ClusterSharding.get(s.system('b')).homes('counter')).length).toBe(new Set(IDS.map((id) => sharding.shardOf('counter', id))).size);
    expect(hosting(s, NODES).doubled).toEqual([]);
    expect(sharding.coordinatorState('counter')?.awaitingRegions).toEqual([]);
    expect(ClusterSharding.get(s.system('b')).coordinatorState('counter')).toBeUndefined();
  });

  it('shardOf is a stable hash: the same shard for an id on every node and run', async () => {
    const { s } = await cluster();
    expect(IDS.slice(0, 5).map((id) => ClusterSharding.get(s.system('c')).shardOf('counter', id))).toEqual(IDS.slice(0, 5).map((id) => ClusterSharding.get(s.system('a')).shardOf('counter', id)));
    expect(ClusterSharding.get(s.system('a')).shardOf('counter', 'o-7')).toBe(10);
  });

  it("after a node's crash every entity answers again from the survivors, never hosted twice", async () => {
    const { s, regions } = await cluster();
    for (const id of IDS) await askIn(s, regions.a!, { id, op: 'get' });
    expect(hosting(s, NODES).byNode.c!.length).toBeGreaterThan(0);
    const crashedAt = s.now();
    s.crash('c');
    for (const id of IDS) {
      await s.runUntil(() => hosting(s, ['a', 'b']).doubled.length === 0, 10, 'no doubles').catch(() => undefined);
      let answer: { node: string } | undefined;
      while (answer === undefined) answer = await askIn<{ node: string }>(s, regions.b!, { id, op: 'get' }, 500).catch(() => undefined);
      expect(['a', 'b']).toContain(answer.node);
    }
    expect(s.now() - crashedAt).toBeLessThan(2000 + 5000);
    expect(hosting(s, ['a', 'b']).doubled).toEqual([]);
  });

  it('the coordinator moves with its node: the new one recovers the homes from the regions', async () => {
    const { s, regions } = await cluster();
    for (const id of IDS) regions.b!.tell({ id, op: 'add' });
    for (const id of IDS) await askIn(s, regions.b!, { id, op: 'get' });
    const before = hosting(s, ['b', 'c']).byNode;
    s.crash('a');
    for (const id of IDS) {
      let answer: { node: string; count: number } | undefined;
      while (answer === undefined) answer = await askIn<{ node: string; count: number }>(s, regions.c!, { id, op: 'get' }, 500).catch(() => undefined);
      // Entities that lived on b or c kept running (and their counts); a's came back fresh.
      if (answer.count === 1) expect(before[answer.node]).toContain(ClusterSharding.get(s.system('b')).shardOf('counter', id));
    }
    const coordinator = ClusterSharding.get(s.system('b')).coordinatorState('counter');
    expect(coordinator?.epoch).toBeGreaterThan(2_000_000 - 1);
    expect(hosting(s, ['b', 'c']).doubled).toEqual([]);
  });

  it('passivates idle entities after passivateIdleAfterMs and when they ask; the next message starts them again', async () => {
    const starts: string[] = [];
    const { s, regions } = await cluster({ passivateIdleAfterMs: 1000 }, starts);
    await askIn(s, regions.a!, { id: 'p', op: 'get' });
    expect(startsIn(starts)).toEqual([expect.stringMatching(/^p@/)]);
    await s.run(2000);
    await askIn(s, regions.a!, { id: 'p', op: 'get' });
    expect(startsIn(starts)).toHaveLength(2);
    regions.a!.tell({ id: 'p', op: 'add' });
    regions.a!.tell({ id: 'p', op: 'stop' });
    await s.run(100);
    const answer = await askIn<{ count: number }>(s, regions.a!, { id: 'p', op: 'get' });
    expect(answer.count).toBe(0);
    expect(startsIn(starts)).toHaveLength(3);
  });

  it('remembered entities start again where their shard lands after a crash', async () => {
    const starts: string[] = [];
    const { s, regions } = await cluster({ rememberEntities: true }, starts);
    for (const id of IDS) await askIn(s, regions.a!, { id, op: 'get' });
    const onC = startsIn(starts).filter((x) => x.endsWith('@c')).map((x) => x.split('@')[0]!);
    expect(onC.length).toBeGreaterThan(0);
    s.crash('c');
    await s.runUntil(() => onC.every((id) => starts.includes(`${id}@a`) || starts.includes(`${id}@b`)), 10_000, `c's entities restarted on a or b without a message`);
  });

  it('a minority that downs itself stops its entities before the majority starts them again: never two at once', async () => {
    const log: string[] = [];
    const { s, regions } = await cluster({}, log);
    for (const id of IDS) await askIn(s, regions.a!, { id, op: 'get' });
    const onC = startsIn(log).filter((x) => x.endsWith('@c')).map((x) => x.split('@')[0]!);
    expect(onC.length).toBeGreaterThan(0);
    s.network.partition('c', ['a', 'b']);
    for (const id of onC) {
      let answer: { node: string } | undefined;
      while (answer === undefined) answer = await askIn<{ node: string }>(s, regions.a!, { id, op: 'get' }, 500).catch(() => undefined);
      expect(answer.node).not.toBe('c');
    }
    expect(ClusterSharding.get(s.system('c')).regionState('counter')).toMatchObject({ stopped: true, hosted: [] });
    expectNeverTwoAtOnce(log, onC);
  });

  it('rebalances onto a region that starts later, by hand-off: entities keep answering, nothing lost or doubled', async () => {
    const log: string[] = [];
    const { s, regions, startOn } = await cluster({ rebalanceIntervalMs: 500, rebalanceThreshold: 2, coordinatorRecoveryTimeoutMs: 100 }, log, ['a', 'b']);
    for (const id of IDS) await askIn(s, regions.a!, { id, op: 'get' });
    for (const id of IDS) regions.b!.tell({ id, op: 'add' });
    startOn('c');
    await s.runUntil(() => hosting(s, NODES).byNode.c!.length >= 4, 10_000, 'c hosts 4 shards after rebalancing');
    expect(hosting(s, NODES).doubled).toEqual([]);
    // Every add sent before the moves arrived exactly once (counts survive only where the entity did not move).
    for (const id of IDS) {
      const answer = await askIn<{ node: string; count: number }>(s, regions.b!, { id, op: 'get' });
      const moved = log.includes(`-${id}@a`) || log.includes(`-${id}@b`);
      expect(answer.count).toBe(moved ? 0 : 1);
    }
    expect(startsIn(log).some((x) => x.endsWith('@c'))).toBe(true);
  });

  it("a graceful leave hands the leaving node's shards off to the others: every entity answers, never two at once", async () => {
    const log: string[] = [];
    const { s, regions } = await cluster({}, log);
    for (const id of IDS) await askIn(s, regions.a!, { id, op: 'get' });
    const onC = startsIn(log).filter((x) => x.endsWith('@c')).map((x) => x.split('@')[0]!);
    expect(onC.length).toBeGreaterThan(0);
    const leaving = s.leave('c');
    await s.runUntil(() => onC.every((id) => log.includes(`-${id}@c`)), 10_000, "c's entities stopped by the hand-off");
    // Handed off while c was still leaving, not stopped with its node after it was removed.
    expect(Cluster.get(s.system('a')).state().members.map((m) => `${m.address} ${m.status}`)).toEqual(expect.arrayContaining([expect.stringMatching(/^c (leaving|exiting)$/)]));
    for (const id of onC) {
      let answer: { node: string } | undefined;
      while (answer === undefined) answer = await askIn<{ node: string }>(s, regions.b!, { id, op: 'get' }, 500).catch(() => undefined);
      expect(answer.node).not.toBe('c');
    }
    await s.runUntil(() => leaving.done, 15_000, 'c left');
    expectNeverTwoAtOnce(log, onC);
  });

  it('rejects invalid options with a sentence naming the option and what is allowed', async () => {
    const { s } = await cluster();
    const sharding = ClusterSharding.get(s.system('a'));
    expect(() => sharding.start({ typeName: 'x y', entityProps: Props.create(() => new Counter([], '')), extractEntityId: () => '' })).toThrow(InvalidShardingSettingError);
    expect(() => sharding.start({ typeName: 'x', entityProps: Props.create(() => new Counter([], '')), extractEntityId: () => '', handOffTimeoutMs: -1 })).toThrow(
      "Sharding setting 'handOffTimeoutMs' in the options of sharded type 'x' must be a whole number of milliseconds from 1 to 600000; it was given -1.",
    );
    expect(() => sharding.homes('nope')).toThrow("No sharded entity type 'nope' was started on this node; started types: 'counter'.");
  });
});
