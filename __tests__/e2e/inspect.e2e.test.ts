import { runJest, statuses } from './helpers/runJest';

describe.each(['threads', 'simulation'])('multinode.inspect in %s mode', (mode) => {
  it("asks this role's node, rejects on a crashed one, and answers after a restart", async () => {
    const run = await runJest('inspect', [], { env: { MULTINODE_MODE: mode } });
    expect(statuses(run)).toEqual([
      "inspect answers with a copy of this role's node state: passed",
      'inspect rejects on a crashed node, saying so, and answers again after a restart: passed',
    ]);
    expect(run.exitCode).toBe(0);
  }, 200_000);
});
