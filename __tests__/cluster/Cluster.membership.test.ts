import { describe, expect, it } from '@jest/globals';
import { ClusterStoppedError, JoinRejectedError, JoinTimeoutError, UnknownMemberError, formatMember, type ClusterEvent } from '../../src/cluster';
import { SimCluster } from './helpers/SimCluster';

const FIVE = ['a', 'b', 'c', 'd', 'e'];

async function startedCluster(addresses: readonly string[] = FIVE, settings = {}): Promise<SimCluster> {
  const sim = new SimCluster(addresses, settings);
  sim.startAll();
  await sim.runUntil(() => sim.allSeeUp(addresses, addresses.length), 5000, `all ${addresses.length} members are Up everywhere`);
  return sim;
}

function types(events: readonly ClusterEvent[]): string[] {
  return events.map((e) => ('member' in e ? `${e.type} ${formatMember(e.member)}` : e.type));
}

describe('Cluster: joining', () => {
  it('brings 5 nodes Up with one leader, unique up-numbers in join order and a converged view everywhere', async () => {
    const sim = await startedCluster();
    expect(sim.elapsedMs()).toBeLessThan(1000);
    for (const address of FIVE) {
      const state = sim.node(address).cluster.state();
      expect(state.members.map((m) => `${formatMember(m)} ${m.status} ${m.upNumber}`)).toEqual(['a#0 up 1', 'b#0 up 2', 'c#0 up 3', 'd#0 up 4', 'e#0 up 5']);
      expect(state).toMatchObject({ leader: { address: 'a', incarnation: 0 }, oldest: { address: 'a', incarnation: 0 }, unreachable: [], convergence: true, phase: 'member' });
      expect(sim.node(address).cluster.membersUp()).toBe(5);
    }
    await Promise.all(FIVE.map((a) => sim.node(a).cluster.whenUp()));
  });

  it('tells a joining node about every member and its own progress through events', async () => {
    const sim = await startedCluster();
    const events = types(sim.node('e').events);
    expect(events).toEqual(expect.arrayContaining(['MemberUp a#0', 'MemberJoined e#0', 'MemberUp e#0', 'LeaderChanged']));
    expect(events.indexOf('MemberJoined e#0')).toBeLessThan(events.indexOf('MemberUp e#0'));
  });

  it('returns the same frozen snapshot until the view changes', async () => {
    const sim = await startedCluster(['a', 'b']);
    const cluster = sim.node('a').cluster;
    const state = cluster.state();
    expect(cluster.state()).toBe(state);
    expect(Object.isFrozen(state) && Object.isFrozen(state.members) && Object.isFrozen(state.members[0])).toBe(true);
    expect(() => (state.members as unknown as unknown[]).push(1)).toThrow();
  });

  it('describes its view in readable lines, with what blocks convergence and who observes whom as unreachable', async () => {
    const sim = await startedCluster(['a', 'b', 'c'], { splitBrainResolver: 'off' });
    sim.crash('c');
    await sim.runUntil(() => sim.node('a').cluster.describe().includes('observed by a#0, b#0'), 2000, 'a knows that a and b find c unreachable');
    const text = sim.node('a').cluster.describe();
    expect(text.split('\n')[0]).toMatch(/^Cluster view of a#0 \(member; leader a#0; oldest a#0; not converged: .*c#0 is unreachable.*\):$/);
    expect(text).toMatch(/c#0\s+up\s+up-number 3\s+UNREACHABLE \(observed by a#0, b#0\)/);
    expect(text).toMatch(/a#0\s+up\s+up-number 1\s+reachable {2}\(self\)/);
  });

  it('fails whenUp with a JoinTimeoutError naming the seeds and showing the view when no seed answers', async () => {
    const sim = new SimCluster(['a', 'b'], { joinTimeoutMs: 1000 });
    const b = sim.start('b');
    const outcome = b.cluster.whenUp().then(
      () => 'up',
      (error: unknown) => error,
    );
    await sim.run(1100);
    const error = await outcome;
    expect(error).toBeInstanceOf(JoinTimeoutError);
    expect((error as Error).message).toMatch(/^b#0 did not become Up within 1000 ms \(joinTimeoutMs\): it sent \d+ Join requests to the seed nodes 'a' and none welcomed it/);
    expect((error as Error).message).toContain('Cluster view of b#0 (contacting-seeds;');
    expect(b.cluster.state().phase).toBe('stopped');
    expect(sim.clock.pending()).toBe(0);
  });

  it('refuses a stale incarnation that tries to join after a newer one', async () => {
    const sim = await startedCluster(['a', 'b']);
    sim.restart('b');
    await sim.runUntil(() => sim.allSeeUp(['a', 'b'], 2) && sim.node('a').cluster.state().members.length === 2, 3000, 'b#1 replaced b#0');
    sim.crash('b');
    const stale = sim.start('b', 0);
    const outcome = stale.cluster.whenUp().catch((error: unknown) => error);
    await sim.run(500);
    expect(await outcome).toBeInstanceOf(JoinRejectedError);
    expect(String(await outcome)).toMatch(/refused b#0: Member b#0 is already (down|removed) in the cluster; a node can rejoin only as a new incarnation/);
  });

  it('lets a restarted first seed form a new cluster alone only after seedNodeTimeoutMs without answers', async () => {
    const sim = new SimCluster(['a', 'b'], { seedNodeTimeoutMs: 800 });
    const a = sim.start('a', 1);
    await sim.run(700);
    expect(a.cluster.state().phase).toBe('contacting-seeds');
    await sim.runUntil(() => a.cluster.membersUp() === 1, 500, 'a#1 forms a cluster alone');
  });
});

describe('Cluster: commands', () => {
  it('down(address) downs and removes that member everywhere; the downed node stops itself', async () => {
    const sim = await startedCluster();
    sim.node('b').cluster.down('e');
    await sim.runUntil(() => sim.allSeeUp(['a', 'b', 'c', 'd'], 4) && sim.node('c').cluster.state().members.length === 4, 3000, 'e removed');
    expect(sim.node('e').cluster.state().phase).toBe('stopped');
    expect(types(sim.node('e').events)).toContain('SelfDowned');
    expect(types(sim.node('a').events)).toEqual(expect.arrayContaining(['MemberDowned e#0', 'MemberRemoved e#0']));
  });

  it('down() of an unknown address throws UnknownMemberError listing the members', async () => {
    const sim = await startedCluster(['a', 'b']);
    expect(() => sim.node('a').cluster.down('z')).toThrow(UnknownMemberError);
    expect(() => sim.node('a').cluster.down('z')).toThrow("Cannot down \"z\": it is not a member in a#0's view. Members: a#0 (up), b#0 (up).");
  });

  it('abort() stops at once: no timers left, no view of members, whenUp and leave reject', async () => {
    const sim = new SimCluster(['a']);
    const a = sim.start('a');
    await sim.runUntil(() => a.cluster.membersUp() === 1, 1000, 'a is Up');
    a.cluster.abort();
    expect(sim.clock.pending()).toBe(0);
    expect(a.cluster.membersUp()).toBe(0);
    expect(a.cluster.state().phase).toBe('stopped');
    await expect(a.cluster.leave()).rejects.toBeInstanceOf(ClusterStoppedError);
    expect(() => a.cluster.down('a')).toThrow(ClusterStoppedError);
  });

  it('keeps running when an event handler throws, and logs the failure', async () => {
    const sim = new SimCluster(['a', 'b']);
    const a = sim.start('a');
    a.cluster.onEvent(() => {
      throw new Error('handler bug');
    });
    sim.start('b');
    await sim.runUntil(() => sim.allSeeUp(['a', 'b'], 2), 2000, 'both Up despite the throwing handler');
    expect(sim.logs.some((line) => line.includes('A cluster event handler threw on') && line.includes('handler bug'))).toBe(true);
  });

  it('unsubscribes event handlers', async () => {
    const sim = new SimCluster(['a', 'b']);
    const a = sim.start('a');
    const seen: ClusterEvent[] = [];
    const unsubscribe = a.cluster.onEvent((event) => seen.push(event));
    await sim.runUntil(() => a.cluster.membersUp() === 1, 1000, 'a is Up');
    unsubscribe();
    const count = seen.length;
    sim.start('b');
    await sim.runUntil(() => sim.allSeeUp(['a', 'b'], 2), 2000, 'b is Up');
    expect(seen.length).toBe(count);
  });
});
