import { harnessRealm } from '../../src/harness/NodeRealm';
import { RemoteNodeHost } from '../../src/harness/RemoteNodeHost';

describe('RemoteNodeHost (a role thread whose node the lead holds, processes mode)', () => {
  const realm = harnessRealm(async () => Promise.reject(new Error('no factory here')));

  it('asks the lead for inspect and hands back a copy', async () => {
    const answer = { store: { k: 1 } };
    const queries: unknown[] = [];
    const host = new RemoteNodeHost('b', async (query) => (queries.push(query), answer), () => realm);
    const got = await host.inspect('store');
    expect(queries).toEqual(['store']);
    expect(got).toEqual(answer);
    expect(got).not.toBe(answer);
  });

  it('says that system is in another process, and how to reach the node instead', () => {
    const host = new RemoteNodeHost('b', async () => null, () => realm);
    expect(() => host.system).toThrow(
      "multinode.system: the node of role 'b' runs in its own OS process (processes mode), so its system is not reachable from the test. Ask it with multinode.inspect(query), or reach a process-spec node at multinode.endpoint.",
    );
  });

  it('rejects node operations and awaitMembersUp, saying where they run', async () => {
    const host = new RemoteNodeHost('b', async () => null, () => realm);
    await expect(host.run('crash')).rejects.toThrow("The node of role 'b' is held by the lead in processes mode; the 'crash' operation runs there.");
    await expect(host.awaitMembersUp()).rejects.toThrow('multinode.awaitMembersUp needs the node');
    await expect(host.stop()).resolves.toBeUndefined();
  });
});
