import { describe, expect, it } from '@jest/globals';
import { runJest, statuses } from './helpers/runJest';

describe('the node is loaded in the test realm', () => {
  it('shares classes, module state, mocks, link values, source maps and fake-timer rules with the test, on every role, with the lead\'s module map', async () => {
    const run = await runJest('realm');
    expect(statuses(run).sort()).toEqual([
      'the embedded cluster in the test realm is one copy of the actors module for the test and the node: passed',
      'the embedded cluster in the test realm keeps its actors and cluster running while the test fakes timers: passed',
      'one realm for the node and the test shares classes with the node: passed',
      'one realm for the node and the test lets the test hand its own objects to the node: passed',
      'one realm for the node and the test shares module state with the node: passed',
      'one realm for the node and the test applies jest.mock to node code: passed',
      'one realm for the node and the test applies root __mocks__ of installed packages on every role: passed',
      'one realm for the node and the test delivers link messages as objects of the test realm: passed',
      'one realm for the node and the test maps node stack traces to the TypeScript source: passed',
      'one realm for the node and the test keeps the node clock real under fake timers, while global timers follow the test clock: passed',
    ].sort());
    expect(run.exitCode).toBe(0);
  }, 180_000);
});
