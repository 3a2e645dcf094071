import { allUp, memberSummary, state, unreachableSummary } from './cluster';

/**
 * How long a role may still see a member as unreachable at the first test. On two loaded cores a
 * healthy role's thread can go silent for a second or more; the failure detector then reports it
 * unreachable until its next heartbeat answer. That is the detector doing its job, not a failed
 * formation: what must not happen is a member that is not Up or that was downed, checked at once.
 */
const REACHABLE_WITHIN_MS = 5000;

/**
 * The formation suite, shared by the files that run it with 2, 5, 8 and 32 roles (roles come from
 * each file's docblock). The environment starts every role's node and waits until all members are Up
 * before the first test, so no test has to wait for the cluster to form.
 */
export function describeFormation(): void {
  const count = multinode.roles.length;
  describe.multinode(`a cluster of ${count} roles`, () => {
    it(`has all ${count} members Up on every role before the first test, none downed, all reachable`, async () => {
      expect(state().phase).toBe('member');
      expect(memberSummary(state())).toEqual(allUp(multinode.roles));

      await multinode.awaitMembersUp(count, { timeoutMs: REACHABLE_WITHIN_MS });
      const view = state();
      expect(memberSummary(view)).toEqual(allUp(multinode.roles));
      expect(unreachableSummary(view)).toEqual([]);
    });

    it('agrees on the lead role as oldest member and, while it is reachable, as leader on every role', async () => {
      expect(state().self).toEqual({ address: multinode.role, incarnation: 0 });
      expect(state().oldest).toEqual({ address: 'a', incarnation: 0 });

      await multinode.awaitMembersUp(count, { timeoutMs: REACHABLE_WITHIN_MS });
      expect(state().leader).toEqual({ address: 'a', incarnation: 0 });
    });
  });
}
