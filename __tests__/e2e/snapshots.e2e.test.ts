import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FIXTURES, runJest, statuses, type JestRun } from './helpers/runJest';

/** A fresh copy of the snapshots fixture, at the same depth so that its relative imports still work. */
const copy = `snapshots-run-${process.pid}`;
const dir = path.join(FIXTURES, copy);
const snapFile = path.join(dir, '__snapshots__', 'same.test.ts.snap');

beforeAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(FIXTURES, 'snapshots'), dir, { recursive: true });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], env: Record<string, string> = {}): Promise<JestRun> => runJest(copy, args, { env });
const snapshotSummary = (result: JestRun): unknown => (result.json as unknown as { snapshot: Record<string, unknown> }).snapshot;

describe('snapshots in multi-node tests', () => {
  it('writes one snapshot file from the lead on a first run outside CI, with runOn snapshots keyed by role', async () => {
    const first = await run(['same.test.ts', '--ci=false']);
    expect(statuses(first)).toEqual([
      'snapshots takes the same snapshots on every role: passed',
      'snapshots keys a snapshot taken inside runOn with its role: passed',
      'snapshots writes inline snapshots on the lead: passed',
    ]);
    expect(snapshotSummary(first)).toMatchObject({ added: 4, failure: false, filesAdded: 1 });
    const written = fs.readFileSync(snapFile, 'utf8');
    expect(written).toContain('exports[`snapshots takes the same snapshots on every role 1`]');
    expect(written).toContain('exports[`snapshots takes the same snapshots on every role: with a hint 1`]');
    expect(written).toContain('exports[`snapshots keys a snapshot taken inside runOn with its role [b] 1`]');
    expect(written).toContain('"only": "b"');
    expect(fs.readFileSync(path.join(dir, 'same.test.ts'), 'utf8')).toMatch(/toMatchInlineSnapshot\(`\s*\{\s*"roles": 3,\s*\}\s*`\)/);
    expect(first.exitCode).toBe(0);
  }, 180_000);

  it('compares every role with the written snapshots under --ci', async () => {
    const again = await run(['same.test.ts', '--ci']);
    expect(statuses(again).every((s) => s.endsWith(': passed'))).toBe(true);
    expect(snapshotSummary(again)).toMatchObject({ matched: 4, unchecked: 0, failure: false });
    expect(again.exitCode).toBe(0);
  }, 180_000);

  it('fails a changed value under --ci and updates it with -u', async () => {
    const changed = await run(['same.test.ts', '--ci'], { SNAPSHOT_VERSION: 'two' });
    expect(statuses(changed)).toContain('snapshots takes the same snapshots on every role: failed');
    const updated = await run(['same.test.ts', '--ci', '-u'], { SNAPSHOT_VERSION: 'two' });
    expect(statuses(updated).every((s) => s.endsWith(': passed'))).toBe(true);
    expect(snapshotSummary(updated)).toMatchObject({ updated: 1, failure: false });
    expect(fs.readFileSync(snapFile, 'utf8')).toContain('"version": "two"');
    expect(updated.exitCode).toBe(0);
  }, 240_000);

  it('writes each snapshot of a retried test once, and matches it under --ci', async () => {
    const first = await run(['retry.test.ts', '--ci=false']);
    expect(statuses(first)).toEqual(['snapshots and retries keeps one copy of each snapshot when a test is retried: passed']);
    const written = fs.readFileSync(path.join(dir, '__snapshots__', 'retry.test.ts.snap'), 'utf8');
    expect([...written.matchAll(/^exports\[`(.*)`\]/gm)].map((m) => m[1]).sort()).toEqual([
      'snapshots and retries keeps one copy of each snapshot when a test is retried 1',
      'snapshots and retries keeps one copy of each snapshot when a test is retried [b] 1',
    ]);
    const again = await run(['retry.test.ts', '--ci']);
    expect(statuses(again)).toEqual(['snapshots and retries keeps one copy of each snapshot when a test is retried: passed']);
    expect(snapshotSummary(again)).toMatchObject({ unchecked: 0, failure: false });
  }, 240_000);

  it('fails the role whose value differs from the lead, naming it', async () => {
    const differs = await run(['differs.test.ts', '--ci=false']);
    const [test] = differs.json.testResults[0]!.assertionResults;
    expect(test!.status).toBe('failed');
    const message = test!.failureMessages.join('\n');
    expect(message).toContain("[c] Snapshot `snapshots that differ fails the role whose value differs from the lead 1` on role 'c' differs from the lead's ('a')");
    expect(message).toContain('seen on c');
    expect(message).not.toContain('[b]');
  }, 180_000);
});
