import { describe, expect, it } from '@jest/globals';
import type { ProgressSnapshot } from '../../../src/harness';
import { ProgressView } from '../../../reporter/progress';

const snapshot = (more: Partial<ProgressSnapshot> = {}): ProgressSnapshot => ({
  testPath: '/p/kv.test.ts',
  test: 'kv replicates',
  waits: [],
  faults: [],
  ...more,
});
const WAIT = { kind: 'barrier', name: 'done', arrived: ['a', 'b'], missing: ['c'] } as const;

describe('ProgressView', () => {
  const view = (): ProgressView => new ProgressView((file) => file.replace('/p/', ''), { showAfterMs: 2_000, repeatAfterMs: 10_000 });

  it('stays quiet for a test that has not run for showAfterMs', () => {
    const v = view();
    v.update(snapshot({ waits: [WAIT] }), 0);
    expect(v.due(1_999)).toEqual([]);
  });

  it('says which barrier waits for which roles since when, and the faults in force, once the test runs long', () => {
    const v = view();
    v.update(snapshot(), 0);
    v.update(snapshot({ waits: [WAIT], faults: ['a ⇹ c partitioned'] }), 500);
    expect(v.due(2_500)).toEqual(["multinode ▸ kv.test.ts › kv replicates (2.5 s): barrier 'done' waits for c (2.0 s; a, b arrived) · faults in force: a ⇹ c partitioned"]);
  });

  it('prints again when the state changes, or after repeatAfterMs without a change, and never for a finished file', () => {
    const v = view();
    v.update(snapshot({ waits: [WAIT] }), 0);
    expect(v.due(2_000)).toHaveLength(1);
    expect(v.due(5_000)).toEqual([]);
    expect(v.due(12_000)).toHaveLength(1);
    v.update(snapshot(), 12_500);
    expect(v.due(13_000)).toEqual(['multinode ▸ kv.test.ts › kv replicates (13.0 s): no role waits at a barrier · no faults in force']);
    v.forget('/p/kv.test.ts');
    expect(v.due(30_000)).toEqual([]);
  });

  it('starts the clock again for the next test, and says nothing between tests', () => {
    const v = view();
    v.update(snapshot(), 0);
    v.update(snapshot({ test: null }), 3_000);
    expect(v.due(6_000)).toEqual([]);
    v.update(snapshot({ test: 'kv deletes' }), 6_000);
    expect(v.due(7_000)).toEqual([]);
    expect(v.due(8_000)).toEqual(['multinode ▸ kv.test.ts › kv deletes (2.0 s): no role waits at a barrier · no faults in force']);
  });
});
