/**
 * Helpers of the sharding and daemon failover suites: a `probe` actor on every node that reports
 * what the node hosts and runs (so any role can collect every role's view over the cluster), an
 * entity type whose start and stop the tests can slow down and observe, and asks with deadlines.
 */
import { Actor, ClusterSharding, Props, ShardedDaemonProcess, ask, type ActorContext, type ActorRef, type ActorSystem, type ShardingSettings } from '../../../dist/src';

// The default cluster settings: unreachable after 1 s, downed once that has been stable for 1 s.
export const DOWNING_MS = 2000;
/** Every recovery after a node's death: the downing time plus 5 s. */
export const BOUND_MS = DOWNING_MS + 5000;

export type EntityMessage = { id: string; op: 'where' };
export type Where = { id: string; node: string };

/** What a probe answers. */
type ProbeQuery = { q: 'hosted'; typeName: string } | { q: 'coordinator'; typeName: string } | { q: 'started' } | { q: 'running'; name: string };

/**
 * This node's test knobs and records, read by its probe: the entity ids started here (in order),
 * and how long entities whose id starts with `slow-start-` take to start, and entities of the types
 * in `slowStopTypes` take to stop.
 */
export const local = { started: [] as string[], slowStartMs: 0, slowStopMs: 0, slowStopTypes: new Set<string>() };

const probed = new WeakSet<ActorSystem>();

/** Spawns this node's probe (once per node incarnation). */
export function startProbe(): void {
  const system = multinode.system;
  if (probed.has(system)) return;
  probed.add(system);
  system.spawn(
    Props.fromReceive<ProbeQuery>((query, ctx) => {
      const sharding = ClusterSharding.get(ctx.system);
      const started = sharding.typeNames();
      switch (query.q) {
        case 'hosted':
          return ctx.reply(started.includes(query.typeName) ? sharding.regionState(query.typeName).hosted : []);
        case 'coordinator':
          return ctx.reply(started.includes(query.typeName) ? (sharding.coordinatorState(query.typeName) ?? null) : null);
        case 'started':
          return ctx.reply(local.started);
        case 'running':
          return ctx.reply(ShardedDaemonProcess.get(ctx.system).running(query.name));
      }
    }),
    'probe',
  );
}

/** Resolves after `ms` of the node's clock. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => multinode.system.scheduler.runOnce(ms, resolve));
}

/** An entity that answers `where` with its node; records its start, and can be slow to start or stop (see `local`). */
class TestEntity extends Actor<EntityMessage> {
  constructor(
    private readonly typeName: string,
    private readonly id: string,
  ) {
    super();
  }

  override async preStart(ctx: ActorContext<EntityMessage>): Promise<void> {
    local.started.push(`${this.typeName}/${this.id}@${ctx.system.address}`);
    if (this.id.startsWith('slow-start-') && local.slowStartMs > 0) await sleep(local.slowStartMs);
  }

  override async postStop(): Promise<void> {
    if (local.slowStopTypes.has(this.typeName) && local.slowStopMs > 0) await sleep(local.slowStopMs);
  }

  receive(_message: EntityMessage, ctx: ActorContext<EntityMessage>): void {
    ctx.reply({ id: this.id, node: ctx.system.address } satisfies Where);
  }
}

/** Starts this node's region of `typeName` (and its probe): entities answer `where` with their node. */
export function startRegion(typeName: string, settings: Partial<ShardingSettings> = {}): ActorRef<EntityMessage> {
  startProbe();
  return ClusterSharding.get(multinode.system).start<EntityMessage>({
    typeName,
    entityProps: (id) => Props.create(() => new TestEntity(typeName, id)),
    extractEntityId: (message) => message.id,
    ...settings,
  });
}

/** Asks `role`'s probe; up to 4 tries of 500 ms, since a test may drop messages on the way. */
export async function probe<R>(role: string, query: ProbeQuery): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ask<R>(multinode.system.refFor(role, '/user/probe'), query, { timeoutMs: 500 });
    } catch (error) {
      if (attempt === 4) throw error;
    }
  }
}

/** What each of `roles` hosts of `typeName` now. */
export async function hostingOf(roles: readonly string[], typeName: string): Promise<Record<string, number[]>> {
  const entries = await Promise.all(roles.map(async (role) => [role, await probe<number[]>(role, { q: 'hosted', typeName })] as const));
  return Object.fromEntries(entries);
}

/** The values that occur under more than one key. */
export function duplicates(byRole: Record<string, readonly number[]>): number[] {
  const all = Object.values(byRole).flat();
  return [...new Set(all.filter((x, i) => all.indexOf(x) !== i))].sort((a, b) => a - b);
}

/** The shards of `typeName` that more than one of `roles` hosts now. */
export async function doubled(roles: readonly string[], typeName: string): Promise<number[]> {
  return duplicates(await hostingOf(roles, typeName));
}

/**
 * Checks every `intervalMs` until `stop()` that no shard of `typeName` is hosted by two of
 * `roles()` (the live ones at that moment); `stop()` resolves with how many checks ran and every
 * doubled shard seen, as `role list: shards`.
 */
export function watchDoubles(roles: () => readonly string[], typeName: string, intervalMs = 100): { stop(): Promise<{ checks: number; seen: string[] }> } {
  let watching = true;
  const seen: string[] = [];
  let checks = 0;
  const loop = (async () => {
    while (watching) {
      const byRole = await hostingOf(roles(), typeName).catch(() => undefined);
      if (byRole !== undefined) {
        checks++;
        const twice = duplicates(byRole);
        if (twice.length > 0) seen.push(`${JSON.stringify(byRole)}: ${twice.join(', ')}`);
      }
      await sleep(intervalMs);
    }
  })();
  return {
    stop: async () => {
      watching = false;
      await loop;
      return { checks, seen };
    },
  };
}

/** Asks `id` until it answers (each try `tryMs`), failing once `deadline` (performance.now()) has passed. */
export async function answerBy(region: ActorRef<EntityMessage>, id: string, deadline: number, tryMs = 500): Promise<Where> {
  for (;;) {
    try {
      return await ask<Where>(region, { id, op: 'where' }, { timeoutMs: tryMs });
    } catch (error) {
      if (performance.now() > deadline) throw new Error(`'${id}' did not answer by the deadline (${Math.round(performance.now() - deadline)} ms late): ${String(error)}`);
    }
  }
}

/** Asks every id (in parallel) until it answers by `deadline`; returns id -> node. */
export async function whereAll(region: ActorRef<EntityMessage>, ids: readonly string[], deadline: number): Promise<Record<string, string>> {
  const answers = await Promise.all(ids.map((id) => answerBy(region, id, deadline)));
  return Object.fromEntries(answers.map((a) => [a.id, a.node]));
}

/** Ids `prefix-0`, `prefix-1`, ... until every shard of `typeName` (0 to numShards - 1) has one, and `perShard` per shard. */
export function idsCovering(typeName: string, prefix: string, perShard = 1): string[] {
  const sharding = ClusterSharding.get(multinode.system);
  const numShards = sharding.settings(typeName).numShards;
  const count = new Map<number, number>();
  const ids: string[] = [];
  for (let i = 0; ids.length < numShards * perShard; i++) {
    const id = `${prefix}-${i}`;
    const shard = sharding.shardOf(typeName, id);
    if ((count.get(shard) ?? 0) >= perShard) continue;
    count.set(shard, (count.get(shard) ?? 0) + 1);
    ids.push(id);
  }
  return ids;
}

/** The role whose node runs the coordinator of `typeName` now, among `roles` (undefined if none says so). */
export async function coordinatorRole(roles: readonly string[], typeName: string): Promise<string | undefined> {
  for (const role of roles) if ((await probe<unknown>(role, { q: 'coordinator', typeName })) !== null) return role;
  return undefined;
}
