/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b"], "node": "./my-node.ts"}}
 */
import type { MySystem } from './my-system';

describe.multinode('the NodeFactory example', () => {
  it('is the node of every role', async () => {
    expect((multinode.system as MySystem).role).toBe(multinode.role);
    await barrier('started');
  });
});
