const { Cluster } = require('jest-environment-multinode/actors');

describe.multinode('an older Jest 30', () => {
  it('runs every role with the project\'s own Jest and forms the cluster', async () => {
    await multinode.awaitMembersUp();
    expect(Cluster.get(multinode.system).state().members.filter((m) => m.status === 'up')).toHaveLength(3);
  });

  it('runs runOn and barriers across the roles', async () => {
    await runOn('b', () => expect(multinode.role).toBe('b'));
    await barrier('checked');
  });
});
