/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c"]}}
 */
import { gather as importedGather } from '../../dist/environment/globals';

describe.multinode('gather', () => {
  it("resolves on every role with every role's value by role", async () => {
    const own = { role: multinode.role, index: multinode.index, seen: new Map([[multinode.role, new Set([multinode.index])]]) };
    const all = await gather('whoami', own);
    expect(all).toEqual({
      a: { role: 'a', index: 0, seen: new Map([['a', new Set([0])]]) },
      b: { role: 'b', index: 1, seen: new Map([['b', new Set([1])]]) },
      c: { role: 'c', index: 2, seen: new Map([['c', new Set([2])]]) },
    });
  });

  it('sends the value as it was when gather was called', async () => {
    const value = { n: 1 };
    const pending = gather('snapshot', value);
    value.n = 2;
    expect(await pending).toEqual({ a: { n: 1 }, b: { n: 1 }, c: { n: 1 } });
  });

  it('gathers over a subset of the roles, which the other roles do not take part in', async () => {
    const pair = await runOn(['a', 'c'], () => gather('pair', `${multinode.role}!`, { roles: ['a', 'c'] }));
    if (multinode.role === 'b') expect(pair).toBeUndefined();
    else expect(pair).toEqual({ a: 'a!', c: 'c!' });
  });

  it('is a named export of jest-environment-multinode/globals too', async () => {
    expect(await importedGather('imported', multinode.index * 10)).toEqual({ a: 0, b: 10, c: 20 });
  });

  it('rejects at once on the caller, naming the field that cannot be cloned', async () => {
    const started = Date.now();
    await expect(gather('bad', { shards: [{ id: 1, onMove: () => undefined }] })).rejects.toThrow(
      "gather('bad') cannot send its value: value.shards[0].onMove is a function (onMove), which structured clone cannot copy.",
    );
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("returns objects of the test's realm", async () => {
    const all = await gather('realm', { list: [multinode.role], when: new Date(0) });
    expect(all).toBeInstanceOf(Object);
    expect(Object.getPrototypeOf(all)).toBe(Object.prototype);
    expect(all.b!.list).toBeInstanceOf(Array);
    expect(Array.isArray(all.b!.list)).toBe(true);
    expect(all.c!.when).toBeInstanceOf(Date);
  });

  it('shares one name space with barriers only within a test: the name is free again in the next test', async () => {
    await barrier('whoami');
  });
});
