import { runJest, statuses } from './helpers/runJest';

it('runs the embedded cluster by default and leaves no open handles', async () => {
  const run = await runJest('cluster', ['--detectOpenHandles', '--runInBand']);
  expect(statuses(run)).toEqual([
    'embedded cluster has every member up before the first test: passed',
    'embedded cluster downs a crashed member and the rest carry on: passed',
    'embedded cluster rejoins a restarted member: passed',
  ]);
  expect(run.exitCode).toBe(0);
  expect(run.stderr).not.toMatch(/open handle/i);
}, 120_000);
