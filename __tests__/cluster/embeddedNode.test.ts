import { afterEach, describe, expect, it } from '@jest/globals';
import { Cluster, InvalidClusterSettingError, formatMember, type ClusterEvent } from '../../src/cluster';
import embeddedNodeFactory, { type EmbeddedSystem } from '../../src/node/embeddedNode';
import type { NodeHandle } from '../../src/node/NodeFactory';
import { nodeRandom } from '../../src/node/nodeRandom';
import { InMemoryNetwork } from '../../src/transport';
import { createRng, systemClock } from '../../src/util';

const ROLES = ['a', 'b', 'c'];
// Real time here (the factory runs on the system clock), so the detector and resolver are sped up.
const FAST = { gossipIntervalMs: 20, heartbeatIntervalMs: 20, unreachableAfterMs: 100, stableAfterMs: 200, joinRetryIntervalMs: 20 };

const handles: NodeHandle<EmbeddedSystem>[] = [];
const logs: string[] = [];

afterEach(() => {
  for (const handle of handles.splice(0)) handle.crash?.();
  logs.length = 0;
});

function start(
  network: InMemoryNetwork,
  role: string,
  incarnation = 0,
  options: Record<string, unknown> = { cluster: FAST },
  random: () => number = nodeRandom(42, role, incarnation),
  roles: readonly string[] = ROLES,
): Promise<NodeHandle<EmbeddedSystem>> {
  return Promise.resolve(
    embeddedNodeFactory({
      role,
      roles,
      seed: 42,
      incarnation,
      options,
      transport: network.transport(role),
      clock: { now: () => systemClock.now(), setTimeout: (fn, ms) => systemClock.schedule(ms, fn), setImmediate: (fn) => systemClock.schedule(0, fn) },
      random,
      log: (level, message) => logs.push(`${role}#${incarnation} ${level} ${message}`),
    }),
  ).then((handle) => {
    handles.push(handle);
    return handle;
  });
}

/** Resolves when `predicate` holds for `cluster`, re-checked on each of its events; rejects after `timeoutMs`. */
function when(cluster: Cluster, predicate: (events: ClusterEvent[]) => boolean, timeoutMs: number, what: string): Promise<void> {
  const seen: ClusterEvent[] = [];
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`Not ${what} within ${timeoutMs} ms.\n${cluster.describe()}\n${logs.slice(-20).join('\n')}`));
    }, timeoutMs);
    const check = (): void => {
      if (!predicate(seen)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const unsubscribe = cluster.onEvent((event) => {
      seen.push(event);
      check();
    });
    check();
  });
}

async function startAll(network: InMemoryNetwork): Promise<NodeHandle<EmbeddedSystem>[]> {
  const started = await Promise.all(ROLES.map((role) => start(network, role)));
  await Promise.all(started.map((h) => when(Cluster.get(h.system), () => h.membersUp?.() === 3, 3000, 'all 3 Up')));
  return started;
}

describe('embeddedNodeFactory', () => {
  it('starts one actor system per role, joined into one cluster reachable through Cluster.get(system)', async () => {
    const [a, b, c] = await startAll(new InMemoryNetwork({ addresses: ROLES }));
    expect(a.system.address).toBe('a');
    expect(Cluster.get(b.system).state().members.map(formatMember)).toEqual(['a#0', 'b#0', 'c#0']);
    expect(c.membersUp?.()).toBe(3);
    expect(c.describeMembership?.()).toMatch(/^Cluster view of c#0 \(member; leader a#0;/);
    expect(logs.some((line) => line.includes('[cluster]'))).toBe(true);
  });

  it('seeds its actor system and cluster from ctx.random, not from the seed directly', async () => {
    const stream = nodeRandom(7, 'a', 0);
    let draws = 0;
    const handle = await start(new InMemoryNetwork({ addresses: ROLES }), 'a', 0, { cluster: FAST }, () => {
      draws++;
      return stream();
    });
    expect(draws).toBeGreaterThan(0);
    const expected = createRng(Math.floor(nodeRandom(7, 'a', 0)() * 0x1_0000_0000)).fork('actors').next();
    expect(handle.system.rng.next()).toBe(expected);
  });

  it('fails with a clear error for invalid nodeOptions.cluster', async () => {
    const network = new InMemoryNetwork({ addresses: ROLES });
    const attempt = start(network, 'a', 0, { cluster: { stableAfterMs: 'soon' } });
    await expect(attempt).rejects.toBeInstanceOf(InvalidClusterSettingError);
    await expect(attempt).rejects.toThrow("Cluster setting 'stableAfterMs' in the nodeOptions.cluster must be a whole number of milliseconds");
  });

  it('stop() leaves the cluster gracefully before terminating the system', async () => {
    const [a, , c] = await startAll(new InMemoryNetwork({ addresses: ROLES }));
    const removed = when(Cluster.get(a.system), (events) => events.some((e) => e.type === 'MemberRemoved' && e.member.address === 'c'), 3000, 'c removed');
    await c.stop();
    await removed;
    expect(c.system.isTerminated).toBe(true);
    expect(Cluster.get(c.system).state().phase).toBe('stopped');
    expect(a.membersUp?.()).toBe(2);
  });

  it('crash() stops at once; the others down and remove the crashed node', async () => {
    const network = new InMemoryNetwork({ addresses: ROLES });
    const [a, , c] = await startAll(network);
    const downed = when(Cluster.get(a.system), (events) => events.some((e) => e.type === 'MemberRemoved' && e.member.address === 'c'), 3000, 'c downed and removed');
    c.crash?.();
    network.removeNode('c');
    expect(c.system.isTerminated).toBe(true);
    await downed;
    expect(a.membersUp?.()).toBe(2);
  });

  it('a restarted role rejoins as a new incarnation and replaces the old one', async () => {
    const network = new InMemoryNetwork({ addresses: ROLES });
    const [a, b] = await startAll(network);
    b.crash?.();
    network.removeNode('b');
    const b1 = await start(network, 'b', 1);
    await when(Cluster.get(a.system), () => Cluster.get(a.system).state().members.map(formatMember).join() === 'a#0,b#1,c#0' && a.membersUp?.() === 3, 3000, 'b#1 replaced b#0');
    expect(Cluster.get(b1.system).self).toEqual({ address: 'b', incarnation: 1 });
  });

  it('allows more time to detect and down a silent member in a cluster of more than 8 roles, unless the settings say otherwise', async () => {
    const settingsOf = async (roleCount: number, cluster?: Record<string, unknown>) => {
      const roles = Array.from({ length: roleCount }, (_, i) => `r${i}`);
      // The lead alone forms its cluster: enough to read the settings it started with.
      const handle = await start(new InMemoryNetwork({ addresses: roles }), 'r0', 0, cluster === undefined ? {} : { cluster }, nodeRandom(42, 'r0', 0), roles);
      const { unreachableAfterMs, stableAfterMs } = Cluster.get(handle.system).settings;
      return { unreachableAfterMs, stableAfterMs };
    };
    expect(await settingsOf(8)).toEqual({ unreachableAfterMs: 1000, stableAfterMs: 1000 });
    expect(await settingsOf(16)).toEqual({ unreachableAfterMs: 2000, stableAfterMs: 2000 });
    expect(await settingsOf(32)).toEqual({ unreachableAfterMs: 3000, stableAfterMs: 3000 });
    expect(await settingsOf(32, { stableAfterMs: 500 })).toEqual({ unreachableAfterMs: 3000, stableAfterMs: 500 });
  });
});
