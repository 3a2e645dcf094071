import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { FaultTable, LINK_BLACKHOLED, LINK_PARTITIONED } from '../../src/harness/FaultTable';
import { ProgressFeed, faultsInForce, type ProgressWait } from '../../src/harness/progress';

describe('faultsInForce', () => {
  const roles = ['a', 'b', 'c'];

  it('says nothing for a healthy table', () => {
    expect(faultsInForce(new FaultTable(3), roles)).toEqual([]);
  });

  it('names a partition once for both directions, one-way faults with their direction, then crashed and departed nodes', () => {
    const table = new FaultTable(3);
    table.setFlag(0, 2, LINK_PARTITIONED, true);
    table.setFlag(2, 0, LINK_PARTITIONED, true);
    table.setFlag(1, 0, LINK_BLACKHOLED, true);
    table.setDelay(0, 1, 50, 100);
    table.setDrop(2, 1, 0.25);
    table.setNodeState(1, 'crashed');
    table.setNodeState(2, 'departed');
    expect(faultsInForce(table, roles)).toEqual([
      'a → b delayed 50-100 ms',
      'a ⇹ c partitioned',
      'b → a blackholed',
      'c → b dropping 25%',
      'b crashed',
      'c left',
    ]);
  });
});

describe('ProgressFeed', () => {
  const temp = (): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'progress-test-')), 'progress.jsonl');

  it('appends one JSON line per change of the state, none for a repeat', () => {
    const file = temp();
    let waits: ProgressWait[] = [];
    const feed = new ProgressFeed(file, '/p/kv.test.ts', { test: () => 'kv puts', waits: () => waits, faults: () => [] });
    feed.changed();
    feed.changed();
    waits = [{ kind: 'barrier', name: 'x', arrived: ['a'], missing: ['b'] }];
    feed.changed();
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { testPath: '/p/kv.test.ts', test: 'kv puts', waits: [], faults: [] },
      { testPath: '/p/kv.test.ts', test: 'kv puts', waits, faults: [] },
    ]);
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it('writes nothing without a progress file, and stops quietly once the file cannot be written', () => {
    let reads = 0;
    const source = { test: () => (reads++, null), waits: () => [], faults: () => [] };
    new ProgressFeed(undefined, '/p/a.test.ts', source).changed();
    expect(reads).toBe(0);
    const gone = path.join(os.tmpdir(), 'no-such-dir-for-progress', 'progress.jsonl');
    const feed = new ProgressFeed(gone, '/p/a.test.ts', source);
    expect(() => feed.changed()).not.toThrow();
    feed.changed();
    expect(reads).toBe(1);
  });
});
