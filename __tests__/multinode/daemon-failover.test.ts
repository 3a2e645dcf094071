/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c"]}}
 */
import { Props, ShardedDaemonProcess, daemonTypeName } from '../../dist/src';
import { BOUND_MS, coordinatorRole, duplicates, probe, startProbe } from './helpers/sharding';

const ROLES = ['a', 'b', 'c'];
const NAME = 'indexer';
const N = 6;
const ALL = Array.from({ length: N }, (_, i) => i);

/** Starts this node's part of the daemon (and its probe). */
function startDaemon(): void {
  startProbe();
  ShardedDaemonProcess.get(multinode.system).init({
    name: NAME,
    numberOfInstances: N,
    props: () => Props.fromReceive(() => undefined),
    keepAliveIntervalMs: 500,
    retryIntervalMs: 100,
  });
}

/** running() of every one of `roles`, asked through their probes. */
async function runningOn(roles: readonly string[]): Promise<Record<string, number[]>> {
  return Object.fromEntries(await Promise.all(roles.map(async (role) => [role, await probe<number[]>(role, { q: 'running', name: NAME })] as const)));
}

/** Every index runs on exactly one of `roles`; returns index -> role. */
async function everyIndexOnce(roles: readonly string[]): Promise<Record<number, string>> {
  const running = await runningOn(roles);
  expect(duplicates(running)).toEqual([]);
  expect(Object.values(running).flat().sort((x, y) => x - y)).toEqual(ALL);
  const where: Record<number, string> = {};
  for (const [role, indexes] of Object.entries(running)) for (const index of indexes) where[index] = role;
  return where;
}

/**
 * Crashes `victim` (from `watcher`), then checks every 50 ms on the survivors until every index runs
 * on exactly one of them: within the downing time + 5 s, and never one index on two survivors.
 */
async function crashAndRecover(victim: string, watcher: string): Promise<void> {
  await runOn(watcher, async () => {
    const before = await eventually(() => everyIndexOnce(ROLES), { timeoutMs: 10_000, intervalMs: 100 });
    expect(Object.values(before)).toContain(victim);
    await fault.crash(victim);
    const crashedAt = performance.now();
    const survivors = ROLES.filter((role) => role !== victim);
    const doubles: number[][] = [];
    let checks = 0;
    const after = await eventually(
      async () => {
        const running = await runningOn(survivors);
        checks++;
        doubles.push(duplicates(running));
        return everyIndexOnce(survivors);
      },
      { timeoutMs: BOUND_MS, intervalMs: 50 },
    );
    expect(performance.now() - crashedAt).toBeLessThan(BOUND_MS);
    expect(doubles.filter((d) => d.length > 0)).toEqual([]);
    expect(checks).toBeGreaterThan(2);
    // Indexes that ran on a survivor stayed where they were.
    for (const [index, role] of Object.entries(before)) if (role !== victim) expect([index, after[Number(index)]]).toEqual([index, role]);
  });
  await barrier(`${victim} recovered`);
  await runOn(watcher, () => fault.restart(victim));
  await barrier(`${victim} restarted`);
  await runOn(victim, startDaemon);
  await multinode.awaitMembersUp(ROLES.length, { timeoutMs: 10_000 });
  await barrier(`${victim} back`);
}

describe.multinode('sharded daemon process failover', () => {
  beforeAll(async () => {
    startDaemon();
    await multinode.awaitMembersUp(ROLES.length, { timeoutMs: 10_000 });
    await barrier('started');
  });

  it('runs every index once, spread over the nodes', async () => {
    const where = await eventually(() => everyIndexOnce(ROLES), { timeoutMs: 10_000, intervalMs: 100 });
    expect(new Set(Object.values(where))).toEqual(new Set(ROLES));
  });

  it("a daemon's node dies: every index runs again on the survivors within the downing time + 5 s", async () => {
    await crashAndRecover('c', 'a');
  });

  it("the node of the daemon's coordinator dies: every index runs again within the downing time + 5 s", async () => {
    // a is the oldest member: it runs the coordinator of the daemon's shards.
    await runOn('b', async () => expect(await coordinatorRole(ROLES, daemonTypeName(NAME))).toBe('a'));
    await crashAndRecover('a', 'b');
  });
});
