/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c", "d", "e"]}}
 */
import { cluster, describeEvent, memberSummary, recordEvents, state } from './helpers/cluster';

// Keep-majority: once the unreachable set has been stable for stableAfterMs (1 s), the side with
// more members downs the other side, and the smaller side downs itself.
describe.multinode('a 3|2 split of five members', () => {
  it('leaves the majority of three Up, and the minority of two downs itself', async () => {
    await multinode.awaitMembersUp(5, { timeoutMs: 10000 });
    const events = recordEvents();
    await barrier('subscribed');

    await runOn('a', () => fault.partition(['a', 'b', 'c'], ['d', 'e']));
    await barrier('split');

    await runOn(['a', 'b', 'c'], async () => {
      await multinode.awaitMembersUp(3, { timeoutMs: 5000 });
      await eventually(() => expect(memberSummary()).toEqual(['a#0 up', 'b#0 up', 'c#0 up']), { timeoutMs: 10000 });
      expect(events.about({ address: 'd', incarnation: 0 })).toContain('MemberDowned d#0');
      expect(events.about({ address: 'e', incarnation: 0 })).toContain('MemberDowned e#0');
      expect(state().phase).toBe('member');
    });

    await runOn(['d', 'e'], async () => {
      await eventually(() => expect(state().phase).toBe('stopped'), { timeoutMs: 10000 });
      expect(cluster().membersUp()).toBe(0);
      expect(events.events.map(describeEvent)).toContain('SelfDowned');
    });
    events.stop();
  });
});
