/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c"]}}
 */
import { cluster, recordEvents, memberSummary, state } from './helpers/cluster';

// Default cluster settings: a silent member is unreachable after 1 s, and the split-brain
// resolver downs it once the unreachable set has been stable for 1 s; the leader then removes it.
describe.multinode('a crashed member', () => {
  it('is downed and removed by the survivors, who carry on as a converged cluster of two', async () => {
    await multinode.awaitMembersUp(3, { timeoutMs: 10000 });
    const events = recordEvents();
    await barrier('recording');

    await runOn('a', () => fault.crash('c'));
    await barrier('crashed');

    await runOn(['a', 'b'], async () => {
      // Up-and-reachable drops to 2 as soon as c is unreachable ...
      await multinode.awaitMembersUp(2, { timeoutMs: 5000 });
      // ... and c leaves the member list once it is downed and removed.
      await eventually(() => expect(memberSummary()).toEqual(['a#0 up', 'b#0 up']), { timeoutMs: 10000 });
      await eventually(() => expect(state().convergence).toBe(true), { timeoutMs: 5000 });
      expect(state().leader).toEqual({ address: 'a', incarnation: 0 });
      const aboutC = events.about({ address: 'c', incarnation: 0 });
      expect(aboutC).toContain('MemberDowned c#0');
      expect(aboutC[aboutC.length - 1]).toBe('MemberRemoved c#0');
    });

    // The crashed role's test code keeps running; its node's membership stopped with the crash.
    await runOn('c', () => {
      expect(multinode.system.isTerminated).toBe(true);
      expect(state().phase).toBe('stopped');
      expect(cluster().membersUp()).toBe(0);
    });
    events.stop();
  });
});
