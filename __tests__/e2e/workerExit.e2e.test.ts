import { runJest } from './helpers/runJest';

/**
 * Jest worker processes that ran multi-node files exit on their own once Jest tells them to: the
 * environment's teardown leaves no role thread, port, ref'd timer or process listener behind.
 *
 * jest-worker force-kills a child that has not exited `workerGracefulExitTimeout` ms (500 by default)
 * after the end message and then prints "failed to exit gracefully". A child with nothing left alive
 * still needs Node's own teardown after its 'exit' event (freeing a heap of some 300 MB with ts-jest
 * loaded); on a machine with more runnable work than cores that alone takes longer than 500 ms, for
 * plain Jest with `testEnvironment: 'node'` as well. The runs below allow 10 s, which only something
 * holding the child open exceeds.
 */
const GRACEFUL_EXIT_MS = 10_000;

it.each([['threads'], ['simulation']])('lets every Jest worker process exit by itself in %s mode', async (mode) => {
  const run = await runJest('small', ['-w', '2', '--workerGracefulExitTimeout', String(GRACEFUL_EXIT_MS)], { env: { MULTINODE_MODE: mode } });
  expect(run.json.numTotalTests).toBe(4);
  expect(run.stderr).not.toMatch(/failed to exit gracefully/);
}, 150_000);
