import { LINK_BLACKHOLED, LINK_PARTITIONED } from '../../src/harness';
import { kvClustersCheckedAfterEach, send, stateOf, untilReceived, waitFor, type KvCluster } from './helpers/nodeProcesses';

// Real child processes on two loaded cores: a cold transform of the node takes seconds.
jest.setTimeout(90_000);

describe('ProcessNodeGroup: kv nodes in child processes over TCP', () => {
  const newCluster = kvClustersCheckedAfterEach();

  async function started(roles: readonly string[], options?: Parameters<typeof newCluster>[1]): Promise<KvCluster> {
    const cluster = await newCluster(roles, options);
    await cluster.group.startAll();
    return cluster;
  }

  it('delivers messages between three node processes in separate OS processes, traced with Lamport clocks', async () => {
    const c = await started(['a', 'b', 'c']);
    const pids = await Promise.all(c.roles.map(async (role) => (await stateOf(c, role)).pid));
    expect(new Set([...pids, process.pid]).size).toBe(4);

    c.group.client('a').setTest('test-1');
    await c.group.client('a').inspect({ op: 'put', key: 'k', value: { nested: [1, 2] } });
    for (const role of ['b', 'c']) {
      await waitForState(c, role, (s) => JSON.stringify(s.store.k) === JSON.stringify({ nested: [1, 2] }));
    }
    await send(c, 'c', 'a', 'hello a');
    await untilReceived(c, 'a', 'c', 'hello a');

    await waitFor(() => c.receives.length >= 3, 'the receive records of three messages', 5_000);
    for (const recv of c.receives) {
      const sent = c.sends.find((s) => s.role === recv.from && s.to === recv.role && s.seq === recv.seq);
      expect(sent).toBeDefined();
      expect(sent!.dropped).toBeNull();
      expect(recv.lamport).toBeGreaterThan(sent!.lamport);
    }
    // The harness's current test tags a node's records from the moment it says so.
    expect(c.sends.filter((s) => s.role === 'a').map((s) => s.test)).toEqual(['test-1', 'test-1']);
    expect(c.sends.find((s) => s.role === 'c')!.test).toBeNull();
    expect(c.logs.map((l) => `${l.role}#${l.incarnation} ${l.message}`).sort()).toEqual(['a#0 kv node a started', 'b#0 kv node b started', 'c#0 kv node c started']);
  });

  it('drops messages across a partition once every process has acknowledged it, and delivers again after heal', async () => {
    const c = await started(['a', 'b', 'c']);
    c.table.setFlag(0, 1, LINK_PARTITIONED, true);
    c.table.setFlag(1, 0, LINK_PARTITIONED, true);
    await c.group.applyFaults();

    await send(c, 'a', 'b', 'cut 1');
    await send(c, 'b', 'a', 'cut 2');
    await send(c, 'a', 'c', 'not cut');
    await untilReceived(c, 'c', 'a', 'not cut');
    await waitFor(() => c.sends.filter((s) => s.dropped === 'partition').length === 2, 'two sends dropped by the partition', 5_000);
    expect((await stateOf(c, 'b')).received).toEqual([]);
    expect((await stateOf(c, 'a')).received).toEqual([]);

    c.table.clearLink(0, 1);
    c.table.clearLink(1, 0);
    await c.group.applyFaults();
    await send(c, 'a', 'b', 'healed');
    const b = await untilReceived(c, 'b', 'a', 'healed');
    expect(b.received.map((r) => r.payload)).toEqual(['healed']);
  });

  it('blackholes one direction only', async () => {
    const c = await started(['a', 'b']);
    c.table.setFlag(0, 1, LINK_BLACKHOLED, true);
    await c.group.applyFaults();

    await send(c, 'a', 'b', 'into the hole');
    await send(c, 'b', 'a', 'the other way');
    await untilReceived(c, 'a', 'b', 'the other way');
    await waitFor(() => c.sends.some((s) => s.dropped === 'blackhole' && s.role === 'a' && s.to === 'b'), 'the blackholed send record', 5_000);
    expect((await stateOf(c, 'b')).received).toEqual([]);
  });

  it('delays messages by a seeded amount within the range and keeps each link in order', async () => {
    const c = await started(['a', 'b']);
    c.table.setDelay(0, 1, 100, 400);
    await c.group.applyFaults();

    const sentAt = Date.now();
    for (let i = 0; i < 10; i++) await send(c, 'a', 'b', i);
    const b = await untilReceived(c, 'b', 'a', 9);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(100);
    expect(b.received.map((r) => r.payload)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await waitFor(() => c.sends.length >= 10, 'ten send records', 5_000);
    const delays = c.sends.map((s) => s.delayMs);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(400);
    }
    expect(new Set(delays).size).toBeGreaterThan(1);

    c.table.clearLink(0, 1);
    await c.group.applyFaults();
    await send(c, 'a', 'b', 'fast');
    await untilReceived(c, 'b', 'a', 'fast');
    await waitFor(() => c.sends.length >= 11, 'the undelayed send record', 5_000);
    expect(c.sends[10]!.delayMs).toBe(0);
  });

  it('drops with the given probability, drawn from the seed', async () => {
    const c = await started(['a', 'b'], { seed: 7 });
    c.table.setDrop(0, 1, 0.5);
    await c.group.applyFaults();
    for (let i = 0; i < 40; i++) await send(c, 'a', 'b', i);
    await send(c, 'b', 'a', 'done');
    await untilReceived(c, 'a', 'b', 'done');
    await waitFor(() => c.sends.filter((s) => s.role === 'a').length === 40, 'forty send records', 5_000);
    const dropped = c.sends.filter((s) => s.role === 'a' && s.dropped === 'drop').map((s) => s.seq);
    expect(dropped.length).toBeGreaterThan(5);
    expect(dropped.length).toBeLessThan(35);
    await waitForState(c, 'b', (s) => s.received.length === 40 - dropped.length);
    const delivered = (await stateOf(c, 'b')).received.map((r) => r.payload as number);
    expect(delivered).toEqual([...Array(40).keys()].filter((i) => !dropped.includes(i + 1)));
  });

  it('drops messages to a crashed or departed peer, naming the reason', async () => {
    const c = await started(['a', 'b']);
    c.table.setNodeState(1, 'crashed');
    await c.group.applyFaults();
    await send(c, 'a', 'b', 'to the dead');
    await waitFor(() => c.sends.some((s) => s.dropped === 'crashed'), 'the send record dropped as crashed', 5_000);
    expect((await stateOf(c, 'b')).received).toEqual([]);
  });

  it('resolves applyFaults only when every node process has acknowledged the table', async () => {
    const c = await started(['a', 'b']);
    const b = c.group.client('b').pid!;
    process.kill(b, 'SIGSTOP');
    let settled = false;
    let applied: Promise<void>;
    try {
      c.table.setFlag(0, 1, LINK_PARTITIONED, true);
      applied = c.group.applyFaults().finally(() => (settled = true));
      // Two round trips to the running process: its ack has long arrived, b's cannot.
      await stateOf(c, 'a');
      await stateOf(c, 'a');
      expect(settled).toBe(false);
    } finally {
      process.kill(b, 'SIGCONT');
    }
    await applied;
    expect(settled).toBe(true);
  });
});

async function waitForState(cluster: KvCluster, role: string, condition: (state: Awaited<ReturnType<typeof stateOf>>) => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await stateOf(cluster, role);
    if (condition(state)) return;
    if (Date.now() > deadline) throw new Error(`Role '${role}' did not reach the expected state within ${timeoutMs} ms; it is ${JSON.stringify(state)}.`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
