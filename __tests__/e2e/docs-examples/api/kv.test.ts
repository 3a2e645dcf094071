import type { Kv } from './kv-node';

describe.multinode('the docblock', () => {
  it('gives this file roles a and b and the kv node', async () => {
    expect(multinode.roles).toEqual(['a', 'b']);
    const kv = multinode.system as Kv;
    await runOn('a', () => kv.put('k', 1));
    await eventually(() => expect(kv.store.get('k')).toBe(1));
  });
});
