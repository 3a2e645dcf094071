/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c"], "nodeOptions": {"cluster": {"stableAfterMs": 4000}}}}
 */
/**
 * Example 3: a network partition, step by step.
 *
 * The docblock above replaces the config's `multinode` options for this file. `nodeOptions` go to
 * the node factory; for the embedded cluster, `nodeOptions.cluster` tunes the membership. Here
 * the split-brain resolver waits 4 s (default 1 s) before acting on an unreachable member, which
 * leaves time to watch a partition heal before anybody is downed.
 *
 * Faults act only on node-to-node traffic: the harness itself (barriers, results, logs) is never
 * cut, so every role's test code keeps running and keeps meeting the others at barriers.
 */
import { Cluster } from 'jest-environment-multinode/actors';

const cluster = () => Cluster.get(multinode.system);
/** The members this role currently sees as unreachable, e.g. ['c#0']. */
const unreachable = () => cluster().state().unreachable.map((m) => `${m.address}#${m.incarnation}`);
const members = () => cluster().state().members.map((m) => `${m.address}#${m.incarnation} ${m.status}`);

describe.multinode('partition and heal', () => {
  it('makes each side of a partition see the other side as unreachable', async () => {
    // Cut c off from a and b (the same as fault.partition(['a', 'b'], 'c')).
    await runOn('a', () => fault.isolate('c'));
    await barrier('isolated');

    // Each side's failure detector notices within about half a second.
    const otherSide = multinode.role === 'c' ? ['a#0', 'b#0'] : ['c#0'];
    await eventually(() => expect(unreachable()).toEqual(otherSide));
    // Unreachable is not down: everybody is still a member, waiting for the resolver's decision.
    expect(members()).toEqual(['a#0 up', 'b#0 up', 'c#0 up']);
    await barrier('seen');
  });

  it('forgives a partition that heals before the resolver acts', async () => {
    await runOn('a', () => fault.heal());
    await barrier('healed');

    // Heartbeats flow again, so every member becomes reachable, and all three are still Up.
    await eventually(() => expect(unreachable()).toEqual([]));
    await multinode.awaitMembersUp(3, { timeoutMs: 5000 });
  });

  it('resolves a lasting partition by keeping the majority: the minority downs itself', async () => {
    await runOn('a', () => fault.isolate('c'));
    await barrier('isolated-again');

    // After 4 s of a stable picture, a and b (2 of 3) down c, and c, alone, downs itself.
    await runOn(['a', 'b'], () => eventually(() => expect(members()).toEqual(['a#0 up', 'b#0 up']), { timeoutMs: 15000 }));
    await runOn('c', () => eventually(() => expect(cluster().state().phase).toBe('stopped'), { timeoutMs: 15000 }));
    // Wait for both sides' checks before the next fault: a restart replaces c's multinode.system,
    // so c must have seen its old node stop first.
    await barrier('resolved');

    // Healing the network does not bring c back: a downed node stays down. Restarting it does:
    // the new node joins as a new incarnation of c.
    await runOn('a', async () => {
      await fault.heal();
      await fault.restart('c');
    });
    await barrier('restarted');
    await multinode.awaitMembersUp(3, { timeoutMs: 10000 });
    await eventually(() => expect(members()).toEqual(['a#0 up', 'b#0 up', 'c#1 up']));
  });
});
