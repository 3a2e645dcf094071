/**
 * @jest-environment jest-environment-multinode
 * @jest-environment-options {"multinode": {"roles": ["a", "b"], "node": "./kv-node.ts"}}
 */
import type { Kv } from '../kv-node';

describe.multinode('kv', () => {
  it('replicates', async () => {
    const kv = multinode.system as Kv;
    await runOn('a', () => kv.put('x', 1));
    await eventually(() => expect(kv.store.get('x')).toBe(1));
    await barrier('seen');
  });

  it('survives a partition', async () => {
    await runOn('a', () => fault.partition('a', 'b'));
    await barrier('cut');
    await runOn('a', () => fault.heal());
  });
});
