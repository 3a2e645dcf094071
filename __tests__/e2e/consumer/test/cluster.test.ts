/**
 * @jest-environment multinode
 */
import { describe, expect, it } from '@jest/globals';
import { barrier, fault, multinode, runOn } from 'jest-environment-multinode/globals';
import { Cluster, type ActorSystem } from 'jest-environment-multinode/actors';

describe.multinode('embedded cluster', { timeoutMs: 20000 }, () => {
  it('is up on every role', async () => {
    await multinode.awaitMembersUp(3);
    expect(Cluster.get(multinode.system as ActorSystem).membersUp()).toBe(3);
  });

  it('downs a crashed member', async () => {
    await runOn('a', () => fault.crash('c'));
    await barrier('crashed');
    await runOn(['a', 'b'], () => multinode.awaitMembersUp(2, { timeoutMs: 10000 }));
  });
});
