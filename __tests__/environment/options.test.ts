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
          seed: expect.any(Number),
          seedWasRandom: true,
          barrierTimeoutMs: 10_000,
          testTimeoutMs: 30_000,
          setupTimeoutMs: 30_000,
          nodeTimeoutMs: 10_000,
          roleMemoryMb: 1024,
        });
      }
      expect(OPTION_DEFAULTS.roles).toEqual(['a', 'b', 'c']);
      expect(GRACE_MS).toBe(1_000);
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

  describe('valid options', () => {
    it('takes every option as given', () => {
      const parsed = parse({
        roles: ['lead', 'Follower_1', 'x-2'],
        node: './kv-node.ts',
        nodeOptions: { shards: 4 },
        mode: 'threads',
        seed: 0xffffffff,
        barrierTimeoutMs: 1,
        testTimeoutMs: 2.5,
        setupTimeoutMs: 3,
        nodeTimeoutMs: 4,
        roleMemoryMb: 64,
      });
      expect(parsed).toEqual({
        roles: ['lead', 'Follower_1', 'x-2'],
        node: './kv-node.ts',
        nodeOptions: { shards: 4 },
        mode: 'threads',
        seed: 0xffffffff,
        seedWasRandom: false,
        barrierTimeoutMs: 1,
        testTimeoutMs: 2.5,
        setupTimeoutMs: 3,
        nodeTimeoutMs: 4,
        roleMemoryMb: 64,
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
        "testEnvironmentOptions.multinode has unknown option 'role'; the options are roles, node, nodeOptions, mode, seed, barrierTimeoutMs, testTimeoutMs, setupTimeoutMs, nodeTimeoutMs, roleMemoryMb.",
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
        [{ path: 'x' }, '{"path":"x"}'],
      ] as const) {
        expect(invalid(() => parse({ node: value })).message).toBe(
          `multinode.node must be a module path (relative to rootDir) or a package name; it was ${shown}.`,
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

    it("the planned modes 'simulation' and 'processes', saying they are not available yet", () => {
      for (const mode of ['simulation', 'processes']) {
        expect(invalid(() => parse({ mode })).message).toBe(`multinode.mode '${mode}' is planned but not available yet; use 'threads' (the default).`);
      }
    });

    it('any other mode', () => {
      expect(invalid(() => parse({ mode: 'fibers' })).message).toBe(`multinode.mode must be 'threads'; it was "fibers".`);
      expect(invalid(() => parse({ mode: 1 })).message).toBe(`multinode.mode must be 'threads'; it was 1.`);
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
  });
});
