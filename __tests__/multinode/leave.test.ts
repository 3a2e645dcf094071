/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c"]}}
 */
import { describeEvent, memberSummary, recordEvents, state } from './helpers/cluster';

// fault.leave stops c's node gracefully: it leaves the cluster (leaving -> exiting -> removed,
// driven by the leader) before it stops, so the failure detector never has a reason to fire.
describe.multinode('a member that leaves', () => {
  it('is removed without ever being marked unreachable or downed', async () => {
    await multinode.awaitMembersUp(3, { timeoutMs: 10000 });
    // Subscribe on every role before the leave starts: a subscriber only gets later events.
    const events = recordEvents();
    await barrier('subscribed');

    await runOn('a', () => fault.leave('c'));
    await barrier('left');

    await runOn(['a', 'b'], async () => {
      await eventually(() => expect(memberSummary()).toEqual(['a#0 up', 'b#0 up']), { timeoutMs: 10000 });
      // With no count, awaitMembersUp expects the roles that have neither crashed nor left.
      await multinode.awaitMembersUp(undefined, { timeoutMs: 5000 });
      const aboutC = events.about({ address: 'c', incarnation: 0 });
      expect(aboutC).toContain('MemberLeft c#0');
      expect(aboutC).toContain('MemberRemoved c#0');
      expect(aboutC).not.toContain('UnreachableMember c#0');
      expect(aboutC).not.toContain('MemberDowned c#0');
    });

    // fault.leave resolved after c saw itself removed.
    await runOn('c', () => {
      expect(state().phase).toBe('stopped');
      expect(events.events.map(describeEvent)).toContain('SelfRemoved');
      expect(events.events.map(describeEvent)).not.toContain('SelfDowned');
    });
    events.stop();
  });
});
