import { describe, expect, it } from '@jest/globals';
import { LeaveFailedError, formatMember, type ClusterEvent } from '../../src/cluster';
import { SimCluster } from './helpers/SimCluster';

const FIVE = ['a', 'b', 'c', 'd', 'e'];

async function startedCluster(addresses: readonly string[] = FIVE, settings = {}): Promise<SimCluster> {
  const sim = new SimCluster(addresses, settings);
  sim.startAll();
  await sim.runUntil(() => sim.allSeeUp(addresses, addresses.length), 5000, `all ${addresses.length} members are Up everywhere`);
  return sim;
}

function memberEvents(events: readonly ClusterEvent[], member: string): string[] {
  return events.filter((e) => 'member' in e && formatMember(e.member) === member).map((e) => e.type);
}

function watch<T>(promise: Promise<T>): { settled: () => boolean; outcome: () => unknown } {
  let done = false;
  let outcome: unknown;
  promise.then(
    (value) => ((done = true), (outcome = value)),
    (error: unknown) => ((done = true), (outcome = error)),
  );
  return { settled: () => done, outcome: () => outcome };
}

describe('Cluster: graceful leave', () => {
  it('moves a leaving member through leaving, exiting and removed, and nobody ever sees it unreachable', async () => {
    const sim = await startedCluster();
    const leave = watch(sim.node('c').cluster.leave());
    await sim.runUntil(() => leave.settled(), 3000, 'c is removed');
    expect(leave.outcome()).toBeUndefined();
    await sim.runUntil(() => ['a', 'b', 'd', 'e'].every((x) => sim.node(x).cluster.state().members.length === 4), 2000, 'everyone dropped c');
    // Keep running well past the failure detector's and the resolver's deadlines.
    await sim.run(3000);
    for (const x of ['a', 'b', 'd', 'e']) {
      const events = memberEvents(sim.node(x).events, 'c#0');
      expect(events.slice(events.indexOf('MemberLeft'))).toEqual(['MemberLeft', 'MemberExited', 'MemberRemoved']);
      expect(sim.node(x).cluster.membersUp()).toBe(4);
    }
    expect(FIVE.some((x) => sim.node(x).events.some((e) => e.type === 'UnreachableMember' || e.type === 'MemberDowned'))).toBe(false);
    expect(sim.node('c').events.at(-1)).toEqual({ type: 'SelfRemoved' });
    expect(sim.node('c').cluster.state().phase).toBe('stopped');
  });

  it('hands leadership on when the leader leaves', async () => {
    const sim = await startedCluster();
    const leave = watch(sim.node('a').cluster.leave());
    await sim.runUntil(() => leave.settled() && ['b', 'c', 'd', 'e'].every((x) => sim.node(x).cluster.state().members.length === 4), 3000, 'a left');
    expect(leave.outcome()).toBeUndefined();
    expect(sim.node('c').cluster.state()).toMatchObject({ leader: { address: 'b', incarnation: 0 }, oldest: { address: 'b', incarnation: 0 } });
    expect(sim.node('c').events).toContainEqual({ type: 'LeaderChanged', leader: { address: 'b', incarnation: 0 } });
  });

  it('lets the last member leave on its own', async () => {
    const sim = await startedCluster(['a']);
    const leave = watch(sim.node('a').cluster.leave());
    await sim.runUntil(() => leave.settled(), 1000, 'a left alone');
    expect(leave.outcome()).toBeUndefined();
    expect(sim.clock.pending()).toBe(0);
  });

  it('shutdown() leaves gracefully and then stops', async () => {
    const sim = await startedCluster(['a', 'b', 'c']);
    const shutdown = watch(sim.node('b').cluster.shutdown());
    await sim.runUntil(() => shutdown.settled(), 3000, 'b shut down');
    expect(memberEvents(sim.node('a').events, 'b#0')).toEqual(expect.arrayContaining(['MemberLeft', 'MemberRemoved']));
    expect(sim.node('b').cluster.state().phase).toBe('stopped');
  });

  it('rejects leave() after leaveTimeoutMs when the leader cannot converge, and shutdown() stops anyway', async () => {
    const sim = await startedCluster(['a', 'b', 'c'], { splitBrainResolver: 'off', leaveTimeoutMs: 2000 });
    sim.crash('c');
    const leave = watch(sim.node('b').cluster.leave());
    await sim.runUntil(() => leave.settled(), 3000, 'the leave times out');
    expect(leave.outcome()).toBeInstanceOf(LeaveFailedError);
    expect(leave.outcome()).toMatchObject({ code: 'CLUSTER_LEAVE_TIMEOUT' });
    expect(String(leave.outcome())).toContain('c#0 is unreachable');
    const shutdown = watch(sim.node('b').cluster.shutdown());
    await sim.runUntil(() => shutdown.settled(), 100, 'shutdown returns');
    expect(shutdown.outcome()).toBeUndefined();
    expect(sim.node('b').cluster.state().phase).toBe('stopped');
    expect(sim.logs.some((line) => line.includes('Graceful leave of b#0 failed; stopping anyway.'))).toBe(true);
  });

  it('leave() before being welcomed stops at once and resolves', async () => {
    const sim = new SimCluster(['a', 'b']);
    const b = sim.start('b');
    await expect(b.cluster.leave()).resolves.toBeUndefined();
    expect(b.cluster.state().phase).toBe('stopped');
  });
});
