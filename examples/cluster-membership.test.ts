/**
 * Example 1: cluster membership.
 *
 * This file runs once per role (a, b and c, from jest.config.ts), each role in its own thread with
 * its own node. With no `node` option, every role's node is the embedded actor cluster:
 * `multinode.system` is that role's `ActorSystem`, and `Cluster.get(system)` is its membership.
 *
 * Tests inside `describe.multinode` run on every role in lockstep: they start together, and a test
 * passes only if it passed on every role. `runOn(role, fn)` runs a step on some roles only, and
 * `barrier(name)` waits until every role has reached the same point.
 */
import { Cluster } from 'jest-environment-multinode/actors';

/** This role's view of the membership, e.g. ['a#0 up', 'b#0 up', 'c#0 up'] (address#incarnation status). */
function members(): string[] {
  return Cluster.get(multinode.system)
    .state()
    .members.map((m) => `${m.address}#${m.incarnation} ${m.status}`);
}

describe.multinode('cluster membership', () => {
  it('is formed before the first test: every role sees all three members Up', async () => {
    // The environment starts every node and waits until all of them are Up before the first test,
    // so this resolves at once.
    await multinode.awaitMembersUp(3, { timeoutMs: 1000 });
    expect(members()).toEqual(['a#0 up', 'b#0 up', 'c#0 up']);
  });

  it('downs and removes a crashed member while the others carry on', async () => {
    // A fault is called from one role and takes effect everywhere; the barrier tells the others.
    await runOn('a', () => fault.crash('c'));
    await barrier('c-crashed');

    await runOn(['a', 'b'], async () => {
      // c stops answering heartbeats: after 1 s it is unreachable, so only two members count as Up.
      await multinode.awaitMembersUp(2, { timeoutMs: 5000 });
      // The split-brain resolver (keep majority) downs c about 1 s later, and the leader removes it.
      // Never sleep in a multi-node test: `eventually` retries the assertion until it passes.
      await eventually(() => expect(members()).toEqual(['a#0 up', 'b#0 up']), { timeoutMs: 10000 });
    });

    // The crashed role's test code keeps running (only its node died), so it can look at its node:
    // the membership of the dead node has stopped.
    await runOn('c', () => {
      expect(Cluster.get(multinode.system).state().phase).toBe('stopped');
    });
  });

  it('lets a restarted member rejoin as a new incarnation', async () => {
    // Faults persist from test to test, so c is still crashed here. `fault.restart` starts a fresh
    // node for c (incarnation 1) and resolves once it has joined.
    await runOn('a', () => fault.restart('c'));
    await barrier('c-restarted');

    // On every role, including c, whose `multinode.system` is now the new node.
    await multinode.awaitMembersUp(3, { timeoutMs: 10000 });
    await eventually(() => expect(members()).toEqual(['a#0 up', 'b#0 up', 'c#1 up']));
  });
});
