/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c"]}}
 */
import { memberSummary, state } from './helpers/cluster';

// A node restarted at the same address is a new member: same address, next incarnation.
describe.multinode('a restarted member', () => {
  it('rejoins as incarnation 1 after a crash, Up on every role', async () => {
    await multinode.awaitMembersUp(3, { timeoutMs: 10000 });
    await runOn('a', () => fault.crash('c'));
    await barrier('crashed');
    // Wait until the survivors have removed the crashed c#0, so the restart is a plain join.
    await runOn(['a', 'b'], () => eventually(() => expect(memberSummary()).toEqual(['a#0 up', 'b#0 up']), { timeoutMs: 10000 }));
    await barrier('removed');

    // fault.restart resolves once the new node has joined.
    await runOn('a', () => fault.restart('c'));
    await barrier('restarted');

    await eventually(() => expect(memberSummary()).toEqual(['a#0 up', 'b#0 up', 'c#1 up']), { timeoutMs: 10000 });
    await multinode.awaitMembersUp(3, { timeoutMs: 5000 });
    // On c, multinode.system is now the new node.
    await runOn('c', () => expect(state().self).toEqual({ address: 'c', incarnation: 1 }));
  });

  it('replaces its running predecessor when restarted without a crash first', async () => {
    // Restarting a running role bounces it; the new incarnation joining is what downs the old one,
    // so nobody waits for the failure detector.
    await runOn('a', () => fault.restart('c'));
    await barrier('bounced');

    await eventually(() => expect(memberSummary()).toEqual(['a#0 up', 'b#0 up', 'c#2 up']), { timeoutMs: 10000 });
    await multinode.awaitMembersUp(3, { timeoutMs: 5000 });
  });

  it('rejoins the running cluster when it is the lead role, instead of founding a second one', async () => {
    await runOn('b', () => fault.restart('a'));
    await barrier('lead-restarted');

    await eventually(() => expect(memberSummary()).toEqual(['a#1 up', 'b#0 up', 'c#2 up']), { timeoutMs: 15000 });
    await multinode.awaitMembersUp(3, { timeoutMs: 5000 });
    // b is now the oldest member, so it leads; a#1 is the youngest.
    expect(state().oldest).toEqual({ address: 'b', incarnation: 0 });
  });
});
