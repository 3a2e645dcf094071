import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runJest } from './helpers/runJest';

/**
 * Real Jest on the `random` fixture (two roles, a custom NodeFactory that only draws from
 * ctx.random), run with the same seed twice and with another seed once.
 */
type Draws = Record<string, { first: { incarnation: number; atStart: number[]; later: number[] }; second: { incarnation: number; atStart: number[] } }>;

async function drawsWithSeed(seed: string): Promise<Draws> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-random-'));
  try {
    const run = await runJest('random', [], { env: { MULTINODE_SEED: seed, RANDOM_OUT: out } });
    expect(run.json.numFailedTests).toBe(0);
    expect(run.exitCode).toBe(0);
    return Object.fromEntries(['a', 'b'].map((role) => [role, JSON.parse(fs.readFileSync(path.join(out, `${role}.json`), 'utf8'))])) as Draws;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

describe('ctx.random in a custom NodeFactory', () => {
  let runs: Draws[];

  beforeAll(async () => {
    runs = [await drawsWithSeed('1234'), await drawsWithSeed('1234'), await drawsWithSeed('99')];
  }, 300_000);

  it('draws numbers in [0, 1)', () => {
    const all = Object.values(runs[0]!).flatMap((d) => [...d.first.atStart, ...d.first.later, ...d.second.atStart]);
    expect(all.length).toBeGreaterThan(0);
    for (const n of all) expect(n >= 0 && n < 1).toBe(true);
  });

  it('replays the same sequence for the same seed, role and incarnation', () => {
    expect(runs[1]).toEqual(runs[0]);
  });

  it('gives each role, each incarnation and each seed its own sequence', () => {
    const [same] = runs;
    expect(same!.a.first.atStart).not.toEqual(same!.b.first.atStart);
    // b was restarted: a new incarnation draws anew; a was not, and its node kept its stream.
    expect(same!.b.second.incarnation).toBe(1);
    expect(same!.b.second.atStart).not.toEqual(same!.b.first.atStart);
    expect(same!.a.second).toEqual({ incarnation: 0, atStart: same!.a.first.atStart });
    expect(runs[2]!.a.first.atStart).not.toEqual(same!.a.first.atStart);
  });
});
