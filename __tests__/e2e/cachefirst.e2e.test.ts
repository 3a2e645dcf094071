import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runJest, statuses } from './helpers/runJest';

/**
 * Real Jest twice on the `cachefirst` fixture (a TypeScript file through ts-jest, 3 roles) with one
 * fresh cache directory: the first run transforms in every role, so the roles load TypeScript; in the
 * second every module is in Jest's cache, and the role threads never load TypeScript.
 */
it('role threads load TypeScript only when the transform cache misses', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-cachefirst-'));
  const out = path.join(dir, 'loaded.txt');
  try {
    const args = ['--cacheDirectory', path.join(dir, 'cache')];
    for (let run = 0; run < 2; run++) {
      const result = await runJest('cachefirst', args, { env: { CACHE_OUT: out } });
      expect(statuses(result)).toEqual(['cache-first transforms gathers whether each role thread loaded TypeScript: passed']);
      expect(result.exitCode).toBe(0);
    }
    const [first, second] = fs.readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, boolean>);
    // The lead is Jest's own thread, where ts-jest type-checks with TypeScript in either run.
    expect(first).toEqual({ a: true, b: true, c: true });
    expect(second).toEqual({ a: true, b: false, c: false });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 200_000);
