/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c"], "nodeOptions": {"cluster": {"stableAfterMs": 30000}}}}
 */
import { allUp, cluster, memberSummary, unreachableSummary } from './helpers/cluster';

// stableAfterMs is raised from 1 s to 30 s so that the split-brain resolver does not down the
// minority while these tests look at the partition: here we only want reachability to change.
describe.multinode('partition and heal', () => {
  it('makes each side of a partition see the other side as unreachable, and nobody is downed', async () => {
    await multinode.awaitMembersUp(3, { timeoutMs: 10000 });

    await runOn('a', () => fault.partition(['a', 'b'], 'c'));
    await barrier('partitioned');

    const otherSide = multinode.role === 'c' ? ['a#0', 'b#0'] : ['c#0'];
    await eventually(() => expect(unreachableSummary()).toEqual(otherSide), { timeoutMs: 5000 });
    expect(cluster().membersUp()).toBe(3 - otherSide.length);
    // Unreachable is not down: every member keeps its status while the resolver waits.
    expect(memberSummary()).toEqual(allUp(multinode.roles));
    await barrier('checked');
  });

  it('makes every member reachable again after a heal, with all three still Up', async () => {
    await runOn('a', () => fault.heal());
    await barrier('healed');

    await eventually(() => expect(unreachableSummary()).toEqual([]), { timeoutMs: 5000 });
    await multinode.awaitMembersUp(3, { timeoutMs: 5000 });
    expect(memberSummary()).toEqual(allUp(multinode.roles));
  });
});
