import { allUp, memberSummary, state, unreachableSummary } from './cluster';

/**
 * The formation suite, shared by the files that run it with 2, 5 and 8 roles (roles come from each
 * file's docblock). The environment starts every role's node and waits until all members are Up
 * before the first test, so no test has to wait for the cluster to form.
 */
export function describeFormation(): void {
  const count = multinode.roles.length;
  describe.multinode(`a cluster of ${count} roles`, () => {
    it(`has all ${count} members Up and reachable on every role before the first test`, async () => {
      await multinode.awaitMembersUp(count, { timeoutMs: 200 });

      const view = state();
      expect(view.phase).toBe('member');
      expect(memberSummary(view)).toEqual(allUp(multinode.roles));
      expect(unreachableSummary(view)).toEqual([]);
    });

    it('agrees on the lead role as leader and oldest member on every role', async () => {
      const view = state();
      expect(view.self).toEqual({ address: multinode.role, incarnation: 0 });
      expect(view.leader).toEqual({ address: 'a', incarnation: 0 });
      expect(view.oldest).toEqual({ address: 'a', incarnation: 0 });
    });
  });
}
