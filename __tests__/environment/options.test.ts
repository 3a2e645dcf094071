import { describe, expect, it } from '@jest/globals';
import { GRACE_MS, InvalidOptionError, OPTION_DEFAULTS, parseOptions } from '../../environment/options';

const parse = (multinode: unknown, env: NodeJS.ProcessEnv = {}) => parseOptions({ multinode }, env);

/** Runs `fn` and returns the InvalidOptionError it threw. */
function invalid(fn: () => unknown): InvalidOptionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).code).toBe('INVALID_OPTION');
    return error as InvalidOptionError;
  }
  throw new Error('expected parseOptions to throw');
}

describe('parseOptions', () => {
  describe('defaults', () => {
    it('applies every default when there are no options at all', () => {
      for (const options of [undefined, {}, { multinode: {} }]) {
        const parsed = parseOptions(options, {});
        expect(parsed).toEqual({
          roles: ['a', 'b', 'c'],
          node: null,
          nodeOptions: {},
          mode: 'threads',
          modeSource: 'default',
          simulation: { latencyMs: { minMs: 1, maxMs: 5 }, strict: true, stallTimeoutMs: 60_000 },
          seed: expect.any(Number),
          seedWasRandom: true,
          barrierTimeoutMs: 10_000,
          testTimeoutMs: 30_000,
          setupTimeoutMs: 30_000,
          nodeTimeoutMs: 10_000,
          roleMemoryMb: 1024,
          idleRoleThreads: 8,
        });
      }
      expect(OPTION_DEFAULTS.roles).toEqual(['a', 'b', 'c']);
      expect(GRACE_MS).toBe(1_000);
    });

    it('stretches the set-up default beyond 8 roles, 30 s per 8 roles up to 120 s, and keeps a value the user set', () => {
      const roles = (n: number): string[] => Array.from({ length: n }, (_, i) => `r${i}`);
      const setup = (multinode: Record<string, unknown>): number => parseOptions({ multinode }, {}).setupTimeoutMs;
      expect([1, 8, 12, 16, 32].map((n) => setup({ roles: roles(n) }))).toEqual([30_000, 30_000, 45_000, 60_000, 120_000]);
      expect(setup({ roles: roles(32), setupTimeoutMs: 5_000 })).toBe(5_000);
    });

    it('ignores other testEnvironmentOptions', () => {
      expect(parseOptions({ customExportConditions: ['node'], multinode: { roles: ['x'] } }, {}).roles).toEqual(['x']);
    });

    it('chooses a random integer seed that is a valid seed, and says so', () => {
      const seeds = new Set<number>();
      for (let i = 0; i < 20; i++) {
        const { seed, seedWasRandom } = parse({});
        expect(seedWasRandom).toBe(true);
        expect(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff).toBe(true);
        seeds.add(seed);
      }
      expect(seeds.size).toBeGreaterThan(1);
    });
  });

  describe('mode', () => {
    it('MULTINODE_MODE overrides the configured mode, unless the file pins its mode in its docblock', () => {
      expect(parse({ mode: 'threads' }, { MULTINODE_MODE: 'simulation' })).toMatchObject({ mode: 'simulation', modeSource: 'env' });
      expect(parse({}, { MULTINODE_MODE: ' threads ' })).toMatchObject({ mode: 'threads', modeSource: 'env' });
      expect(parseOptions({ multinode: { mode: 'threads' } }, { MULTINODE_MODE: 'simulation' }, true)).toMatchObject({ mode: 'threads', modeSource: 'pinned' });
      expect(parse({}, { MULTINODE_MODE: '' })).toMatchObject({ mode: 'threads', modeSource: 'default' });
    });
  });

  describe('valid options', () => {
    it('takes every option as given', () => {
      const parsed = parse({
        roles: ['lead', 'Follower_1', 'x-2'],
        node: './kv-node.ts',
        nodeOptions: { shards: 4 },
        mode: 'simulation',
        simulation: { latencyMs: { minMs: 0, maxMs: 0.5 }, strict: false, stallTimeoutMs: 2_500 },
        seed: 0xffffffff,
        barrierTimeoutMs: 1,
        testTimeoutMs: 2.5,
        setupTimeoutMs: 3,
        nodeTimeoutMs: 4,
        roleMemoryMb: 64,
        idleRoleThreads: 0,
      });
      expect(parsed).toEqual({
        roles: ['lead', 'Follower_1', 'x-2'],
        node: './kv-node.ts',
        nodeOptions: { shards: 4 },
        mode: 'simulation',
        modeSource: 'config',
        simulation: { latencyMs: { minMs: 0, maxMs: 0.5 }, strict: false, stallTimeoutMs: 2_500 },
        seed: 0xffffffff,
        seedWasRandom: false,
        barrierTimeoutMs: 1,
        testTimeoutMs: 2.5,
        setupTimeoutMs: 3,
        nodeTimeoutMs: 4,
        roleMemoryMb: 64,
        idleRoleThreads: 0,
      });
    });

    it('accepts one role and 32 roles', () => {
      expect(parse({ roles: ['solo'] }).roles).toEqual(['solo']);
      const many = Array.from({ length: 32 }, (_, i) => `r${i}`);
      expect(parse({ roles: many }).roles).toEqual(many);
    });

    it('accepts seed 0 from the config', () => {
      expect(parse({ seed: 0 })).toMatchObject({ seed: 0, seedWasRandom: false });
    });
  });

  describe('MULTINODE_SEED', () => {
    it('overrides the seed of the config', () => {
      expect(parse({ seed: 5 }, { MULTINODE_SEED: '1234' })).toMatchObject({ seed: 1234, seedWasRandom: false });
      expect(parse({}, { MULTINODE_SEED: '0' })).toMatchObject({ seed: 0, seedWasRandom: false });
    });

    it('is ignored when empty', () => {
      expect(parse({ seed: 5 }, { MULTINODE_SEED: '' })).toMatchObject({ seed: 5, seedWasRandom: false });
    });

    it('is validated, and the error quotes the variable', () => {
      for (const value of ['abc', '-1', '1.5', '4294967296']) {
        expect(invalid(() => parse({ seed: 5 }, { MULTINODE_SEED: value })).message).toBe(
          `MULTINODE_SEED=${value} is not a valid seed; a seed is an integer from 0 to 4294967295.`,
        );
      }
    });

    it('wins over an invalid seed in the config', () => {
      expect(parse({ seed: 'nope' }, { MULTINODE_SEED: '9' }).seed).toBe(9);
    });

    // environment/options.ts parses the variable with Number(envSeed), and Number(' ') is 0, so a
    // blank (whitespace-only) MULTINODE_SEED silently runs with seed 0 instead of being rejected (or
    // ignored, as an empty one is).
    it('does not read a blank value as seed 0', () => {
      let parsed: ReturnType<typeof parse> | null = null;
      try {
        parsed = parse({}, { MULTINODE_SEED: ' ' });
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidOptionError);
      }
      expect(parsed === null || parsed.seedWasRandom).toBe(true);
    });
  });

  describe('invalid options name the option, the value and what is allowed', () => {
    it('multinode that is not an object', () => {
      for (const [value, shown] of [
        ['abc', '"abc"'],
        [['a'], '["a"]'],
        [3, '3'],
      ] as const) {
        expect(invalid(() => parse(value)).message).toBe(`testEnvironmentOptions.multinode must be an object; it was ${shown}.`);
      }
    });

    it('unknown keys, every one of them, with the list of options', () => {
      expect(invalid(() => parse({ role: ['a'] })).message).toBe(
        "testEnvironmentOptions.multinode has unknown option 'role'; the options are roles, node, nodeOptions, mode, seed, barrierTimeoutMs, testTimeoutMs, setupTimeoutMs, nodeTimeoutMs, roleMemoryMb, idleRoleThreads, simulation.",
      );
      expect(invalid(() => parse({ timeout: 1, roles: ['a'], sed: 2 })).message).toMatch(/^testEnvironmentOptions\.multinode has unknown options 'timeout', 'sed'; the options are /);
    });

    it('roles that are not an array, empty, or more than 32', () => {
      const many = Array.from({ length: 33 }, (_, i) => `r${i}`);
      for (const [value, shown] of [
        ['a', '"a"'],
        [{ 0: 'a' }, '{"0":"a"}'],
        [[], '[]'],
        [many, JSON.stringify(many)],
      ] as const) {
        expect(invalid(() => parse({ roles: value })).message).toBe(`multinode.roles must be an array of 1 to 32 role names; it was ${shown}.`);
      }
    });

    it('role names that do not match the pattern', () => {
      for (const [value, shown] of [
        ['1a', '"1a"'],
        ['', '""'],
        ['a b', '"a b"'],
        ['_a', '"_a"'],
        ['a.b', '"a.b"'],
        [7, '7'],
      ] as const) {
        expect(invalid(() => parse({ roles: ['ok', value] })).message).toBe(
          `multinode.roles contains ${shown}; a role name must match /^[A-Za-z][A-Za-z0-9_-]*$/ (a letter, then letters, digits, '_' or '-').`,
        );
      }
    });

    it('duplicate role names', () => {
      expect(invalid(() => parse({ roles: ['a', 'b', 'a'] })).message).toBe("multinode.roles contains 'a' twice; role names must be unique.");
    });

    it('a node that is not a non-empty string', () => {
      for (const [value, shown] of [
        ['', '""'],
        ['  ', '"  "'],
        [42, '42'],
        [['node', 'x.js'], '["node","x.js"]'],
      ] as const) {
        expect(invalid(() => parse({ node: value })).message).toBe(
          `multinode.node must be a module path (relative to rootDir) or a package name, or in processes mode a process spec object such as { "command": ["node", "server.js"] }; it was ${shown}.`,
        );
      }
    });

    it('nodeOptions that are not an object', () => {
      for (const [value, shown] of [
        [[1], '[1]'],
        ['x', '"x"'],
      ] as const) {
        expect(invalid(() => parse({ nodeOptions: value })).message).toBe(`multinode.nodeOptions must be an object; it was ${shown}.`);
      }
    });

    it("mode 'processes' without a node: the embedded cluster runs in threads and simulation only", () => {
      const why =
        'needs multinode.node: a NodeFactory module or a process spec. The embedded actor cluster runs in threads and simulation mode only: its tests use multinode.system, which a node in another OS process cannot hand to the test.';
      expect(invalid(() => parse({ mode: 'processes' })).message).toBe(`mode 'processes' ${why}`);
      expect(invalid(() => parse({}, { MULTINODE_MODE: 'processes' })).message).toBe(`mode 'processes' (MULTINODE_MODE) ${why}`);
    });

    it('a process spec outside processes mode, naming the mode and how to pin it', () => {
      const spec = { command: ['node', 'server.js'] };
      expect(invalid(() => parse({ node: spec })).message).toBe(
        "multinode.node is a process spec, which runs only in processes mode, but this file runs in threads mode; set mode: 'processes' in the file's docblock so that MULTINODE_MODE leaves it pinned.",
      );
      expect(invalid(() => parse({ node: spec, mode: 'processes' }, { MULTINODE_MODE: 'simulation' })).message).toBe(
        "multinode.node is a process spec, which runs only in processes mode, but this file runs in simulation mode (MULTINODE_MODE); set mode: 'processes' in the file's docblock so that MULTINODE_MODE leaves it pinned.",
      );
    });

    it('nodeOptions beside a process spec, which has no factory to give them to', () => {
      expect(invalid(() => parse({ mode: 'processes', node: { command: ['node', 'server.js'] }, nodeOptions: { level: 1 } })).message).toBe(
        "multinode.nodeOptions goes to a NodeFactory's ctx.options, but multinode.node is a process spec; give the program what it needs in node.env (strings) or its command's arguments instead.",
      );
    });

    it('accepts processes mode with a factory module or a process spec', () => {
      expect(parse({ mode: 'processes', node: './kv-node.ts' })).toMatchObject({ mode: 'processes', node: './kv-node.ts' });
      expect(parse({ mode: 'processes', node: { command: ['node', 'server.js'] } })).toMatchObject({ mode: 'processes', node: { command: ['node', 'server.js'] } });
      expect(parse({ node: './kv-node.ts' }, { MULTINODE_MODE: 'processes' })).toMatchObject({ mode: 'processes', modeSource: 'env' });
    });

    it('any other mode', () => {
      expect(invalid(() => parse({ mode: 'fibers' })).message).toBe(`multinode.mode must be one of 'threads', 'simulation', 'processes'; it was "fibers".`);
      expect(invalid(() => parse({ mode: 1 })).message).toBe(`multinode.mode must be one of 'threads', 'simulation', 'processes'; it was 1.`);
      expect(invalid(() => parse({}, { MULTINODE_MODE: 'sim' })).message).toBe(`MULTINODE_MODE must be one of 'threads', 'simulation', 'processes'; it was "sim".`);
    });

    it('simulation options that are not latencies in order, a strict flag, or a positive stall timeout', () => {
      const shape = 'must be { minMs, maxMs } with 0 <= minMs <= maxMs, in milliseconds';
      expect(invalid(() => parse({ simulation: { latencyMs: { minMs: 5, maxMs: 1 } } })).message).toBe(
        `multinode.simulation.latencyMs ${shape}; it was {"minMs":5,"maxMs":1}.`,
      );
      expect(invalid(() => parse({ simulation: { latencyMs: 3 } })).message).toBe(`multinode.simulation.latencyMs ${shape}; it was 3.`);
      expect(invalid(() => parse({ simulation: { strict: 'yes' } })).message).toBe('multinode.simulation.strict must be true or false; it was "yes".');
      for (const [value, shown] of [
        [0, '0'],
        [-5, '-5'],
        ['3000', '"3000"'],
      ] as const) {
        expect(invalid(() => parse({ simulation: { stallTimeoutMs: value } })).message).toBe(
          `multinode.simulation.stallTimeoutMs must be a positive number of real milliseconds; it was ${shown}.`,
        );
      }
      expect(parse({ simulation: { stallTimeoutMs: 2500 } }).simulation).toEqual({ latencyMs: { minMs: 1, maxMs: 5 }, strict: true, stallTimeoutMs: 2500 });
      expect(invalid(() => parse({ simulation: { speed: 2 } })).message).toBe(
        "multinode.simulation has unknown option 'speed'; the options are latencyMs, strict, stallTimeoutMs.",
      );
      expect(invalid(() => parse({ simulation: true })).message).toMatch(/^multinode\.simulation must be an object such as/);
    });

    it('a seed that is not an integer from 0 to 2^32 - 1', () => {
      for (const [value, shown] of [
        [-1, '-1'],
        [1.5, '1.5'],
        [2 ** 32, '4294967296'],
        ['7', '"7"'],
      ] as const) {
        expect(invalid(() => parse({ seed: value })).message).toBe(`multinode.seed ${shown} is not a valid seed; a seed is an integer from 0 to 4294967295.`);
      }
    });

    it('timeouts that are not positive numbers of milliseconds', () => {
      for (const key of ['barrierTimeoutMs', 'testTimeoutMs', 'setupTimeoutMs', 'nodeTimeoutMs']) {
        for (const [value, shown] of [
          [0, '0'],
          [-5, '-5'],
          ['100', '"100"'],
        ] as const) {
          expect(invalid(() => parse({ [key]: value })).message).toBe(`multinode.${key} must be a positive number of milliseconds; it was ${shown}.`);
        }
        expect(invalid(() => parse({ [key]: Infinity })).message).toMatch(new RegExp(`^multinode\\.${key} must be a positive number of milliseconds; it was `));
      }
    });

    it('a role heap limit that is not a whole number of MiB from 64 up', () => {
      for (const [value, shown] of [
        [63, '63'],
        [100.5, '100.5'],
        ['512', '"512"'],
      ] as const) {
        expect(invalid(() => parse({ roleMemoryMb: value })).message).toBe(`multinode.roleMemoryMb must be a whole number of MiB, at least 64; it was ${shown}.`);
      }
    });

    it('a number of idle role threads that is not a whole number from 0 to 64', () => {
      expect(parse({ idleRoleThreads: 64 }).idleRoleThreads).toBe(64);
      for (const [value, shown] of [
        [-1, '-1'],
        [65, '65'],
        [1.5, '1.5'],
        [true, 'true'],
      ] as const) {
        expect(invalid(() => parse({ idleRoleThreads: value })).message).toBe(
          `multinode.idleRoleThreads must be a whole number from 0 (end every role thread after its file) to 64; it was ${shown}.`,
        );
      }
    });
  });
});
