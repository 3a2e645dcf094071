import { describe, expect, it } from '@jest/globals';
import { InvalidFaultError, UnknownRoleError } from '../../src/harness/errors';
import { faultCommand, isolateCommand } from '../../src/harness/faultCommands';

const ROLES = ['a', 'b', 'c'] as const;

/** Runs `fn` and returns what it threw (failing the test if it did not throw). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}

describe('faultCommand builds', () => {
  it('a partition from single roles and from lists, without duplicates', () => {
    expect(faultCommand('partition', ['a', 'b'], ROLES)).toEqual({ kind: 'partition', sideA: ['a'], sideB: ['b'] });
    expect(faultCommand('partition', [['a', 'a'], ['b', 'c']], ROLES)).toEqual({ kind: 'partition', sideA: ['a'], sideB: ['b', 'c'] });
  });

  it('a heal of everything, of one side against the rest, and between two sides', () => {
    expect(faultCommand('heal', [], ROLES)).toEqual({ kind: 'heal' });
    expect(faultCommand('heal', [undefined, undefined], ROLES)).toEqual({ kind: 'heal' });
    expect(faultCommand('heal', ['a'], ROLES)).toEqual({ kind: 'heal', sideA: ['a'] });
    expect(faultCommand('heal', [['a'], ['b', 'c']], ROLES)).toEqual({ kind: 'heal', sideA: ['a'], sideB: ['b', 'c'] });
  });

  it('a one-way blackhole', () => {
    expect(faultCommand('blackhole', ['a', 'c'], ROLES)).toEqual({ kind: 'blackhole', from: 'a', to: 'c' });
  });

  it('a fixed delay as a range of one value, and a range as given', () => {
    expect(faultCommand('delay', ['a', 'b', 50], ROLES)).toEqual({ kind: 'delay', from: 'a', to: 'b', minMs: 50, maxMs: 50 });
    expect(faultCommand('delay', ['a', 'b', 0], ROLES)).toEqual({ kind: 'delay', from: 'a', to: 'b', minMs: 0, maxMs: 0 });
    expect(faultCommand('delay', ['b', 'a', { minMs: 10, maxMs: 30 }], ROLES)).toEqual({ kind: 'delay', from: 'b', to: 'a', minMs: 10, maxMs: 30 });
    expect(faultCommand('delay', ['b', 'a', { minMs: 7, maxMs: 7 }], ROLES)).toEqual({ kind: 'delay', from: 'b', to: 'a', minMs: 7, maxMs: 7 });
  });

  it('a drop with the probability at either end of [0, 1] and in between', () => {
    for (const probability of [0, 0.5, 1]) {
      expect(faultCommand('drop', ['c', 'a', probability], ROLES)).toEqual({ kind: 'drop', from: 'c', to: 'a', probability });
    }
  });

  it('crash, restart and leave of one role', () => {
    expect(faultCommand('crash', ['b'], ROLES)).toEqual({ kind: 'crash', role: 'b' });
    expect(faultCommand('restart', ['b'], ROLES)).toEqual({ kind: 'restart', role: 'b' });
    expect(faultCommand('leave', ['c'], ROLES)).toEqual({ kind: 'leave', role: 'c' });
  });
});

describe('isolateCommand', () => {
  it('partitions the role from every other role', () => {
    expect(isolateCommand('b', ROLES)).toEqual({ kind: 'partition', sideA: ['b'], sideB: ['a', 'c'] });
  });

  it('rejects an unknown role and a file with only that role', () => {
    const unknown = thrown(() => isolateCommand('z', ROLES));
    expect(unknown).toBeInstanceOf(UnknownRoleError);
    expect(unknown.message).toBe("fault.isolate was given an unknown role 'z'; the roles of this file are 'a', 'b', 'c'.");
    const alone = thrown(() => isolateCommand('a', ['a']));
    expect(alone).toBeInstanceOf(InvalidFaultError);
    expect(alone.message).toBe("fault.isolate('a') needs at least one other role; this file has only 'a'.");
    expect(thrown(() => isolateCommand(3, ROLES)).message).toBe('fault.isolate needs a role name; it was given 3.');
  });
});

describe('faultCommand rejects', () => {
  it('unknown roles in every position, naming them and the roles of the file', () => {
    const cases: Array<[Parameters<typeof faultCommand>[0], unknown[], string]> = [
      ['partition', [['a', 'x', 'y'], 'b'], "fault.partition (first side) was given unknown roles 'x', 'y'; the roles of this file are 'a', 'b', 'c'."],
      ['partition', ['a', 'x'], "fault.partition (second side) was given an unknown role 'x'; the roles of this file are 'a', 'b', 'c'."],
      ['heal', ['x'], "fault.heal (first side) was given an unknown role 'x'; the roles of this file are 'a', 'b', 'c'."],
      ['heal', ['a', ['x']], "fault.heal (second side) was given an unknown role 'x'; the roles of this file are 'a', 'b', 'c'."],
      ['blackhole', ['x', 'a'], "fault.blackhole (from) was given an unknown role 'x'; the roles of this file are 'a', 'b', 'c'."],
      ['blackhole', ['a', 'x'], "fault.blackhole (to) was given an unknown role 'x'; the roles of this file are 'a', 'b', 'c'."],
      ['delay', ['x', 'a', 5], "fault.delay (from) was given an unknown role 'x'; the roles of this file are 'a', 'b', 'c'."],
      ['delay', ['a', 'x', 5], "fault.delay (to) was given an unknown role 'x'; the roles of this file are 'a', 'b', 'c'."],
      ['drop', ['x', 'a', 0.5], "fault.drop (from) was given an unknown role 'x'; the roles of this file are 'a', 'b', 'c'."],
      ['drop', ['a', 'x', 0.5], "fault.drop (to) was given an unknown role 'x'; the roles of this file are 'a', 'b', 'c'."],
      ['crash', ['x'], "fault.crash was given an unknown role 'x'; the roles of this file are 'a', 'b', 'c'."],
      ['restart', ['x'], "fault.restart was given an unknown role 'x'; the roles of this file are 'a', 'b', 'c'."],
      ['leave', ['x'], "fault.leave was given an unknown role 'x'; the roles of this file are 'a', 'b', 'c'."],
    ];
    for (const [kind, args, message] of cases) {
      const error = thrown(() => faultCommand(kind, args, ROLES));
      expect(error).toBeInstanceOf(UnknownRoleError);
      expect((error as UnknownRoleError).code).toBe('UNKNOWN_ROLE');
      expect(error.message).toBe(message);
    }
  });

  it('empty or missing sides and non-string role names', () => {
    const cases: Array<[Parameters<typeof faultCommand>[0], unknown[], string]> = [
      ['partition', [[], 'b'], 'fault.partition (first side) needs a role name or a non-empty array of role names; it was given [].'],
      ['partition', ['a', []], 'fault.partition (second side) needs a role name or a non-empty array of role names; it was given [].'],
      ['partition', ['a'], 'fault.partition (second side) needs a role name or a non-empty array of role names; it was given undefined.'],
      ['partition', [['a', 1], 'b'], 'fault.partition (first side) needs a role name or a non-empty array of role names; it was given ["a",1].'],
      ['heal', [[]], 'fault.heal (first side) needs a role name or a non-empty array of role names; it was given [].'],
      ['heal', [undefined, 'b'], 'fault.heal (first side) needs a role name or a non-empty array of role names; it was given undefined.'],
      ['blackhole', [null, 'a'], 'fault.blackhole (from) needs a role name; it was given null.'],
      ['crash', [['a']], 'fault.crash needs a role name; it was given ["a"].'],
    ];
    for (const [kind, args, message] of cases) {
      const error = thrown(() => faultCommand(kind, args, ROLES));
      expect(error).toBeInstanceOf(InvalidFaultError);
      expect((error as InvalidFaultError).code).toBe('INVALID_FAULT');
      expect(error.message).toBe(message);
    }
  });

  it('a role on both sides of a partition', () => {
    const error = thrown(() => faultCommand('partition', [['a', 'b'], ['b', 'c', 'a']], ROLES));
    expect(error).toBeInstanceOf(InvalidFaultError);
    expect(error.message).toBe("fault.partition was given role 'a', 'b' on both sides; a role can only be on one side.");
  });

  it('drop probabilities outside [0, 1] and non-numbers', () => {
    for (const [probability, shown] of [
      [-0.1, '-0.1'],
      [1.01, '1.01'],
      ['0.5', '"0.5"'],
      [undefined, 'undefined'],
    ] as const) {
      const error = thrown(() => faultCommand('drop', ['a', 'b', probability], ROLES));
      expect(error).toBeInstanceOf(InvalidFaultError);
      expect(error.message).toBe(`fault.drop needs a probability between 0 and 1 (inclusive); it was given ${shown}.`);
    }
  });

  it('a NaN or infinite drop probability', () => {
    for (const probability of [NaN, Infinity, -Infinity]) {
      const error = thrown(() => faultCommand('drop', ['a', 'b', probability], ROLES));
      expect(error).toBeInstanceOf(InvalidFaultError);
      expect(error.message).toMatch(/^fault\.drop needs a probability between 0 and 1 \(inclusive\); it was given /);
    }
  });

  it('negative, non-finite and malformed delays, and minMs > maxMs', () => {
    const allowed = 'fault.delay needs a delay in ms as a number >= 0 or { minMs, maxMs } with 0 <= minMs <= maxMs';
    for (const [delay, shown] of [
      [-1, '-1'],
      ['10', '"10"'],
      [undefined, 'undefined'],
      [{ minMs: 20, maxMs: 10 }, '{"minMs":20,"maxMs":10}'],
      [{ minMs: -5, maxMs: 10 }, '{"minMs":-5,"maxMs":10}'],
      [{ minMs: 5 }, '{"minMs":5}'],
      [{ minMs: '1', maxMs: 2 }, '{"minMs":"1","maxMs":2}'],
    ] as const) {
      const error = thrown(() => faultCommand('delay', ['a', 'b', delay], ROLES));
      expect(error).toBeInstanceOf(InvalidFaultError);
      expect(error.message).toBe(`${allowed}; it was given ${shown}.`);
    }
    for (const delay of [NaN, Infinity, { minMs: NaN, maxMs: 10 }, { minMs: 0, maxMs: Infinity }]) {
      const error = thrown(() => faultCommand('delay', ['a', 'b', delay], ROLES));
      expect(error).toBeInstanceOf(InvalidFaultError);
      expect(error.message.startsWith(`${allowed}; it was given `)).toBe(true);
    }
  });

  // The messages must name the value given, but describeValue (src/util/errors.ts) renders values
  // with JSON.stringify, which turns NaN and ±Infinity into "null": fault.drop('a', 'b', NaN) says
  // "it was given null.", and fault.delay('a', 'b', { minMs: NaN, maxMs: 10 }) says
  // 'it was given {"minMs":null,"maxMs":10}.'
  it('names a NaN or infinite value as it is, not as null', () => {
    expect(thrown(() => faultCommand('drop', ['a', 'b', NaN], ROLES)).message).toContain('it was given NaN.');
    expect(thrown(() => faultCommand('drop', ['a', 'b', Infinity], ROLES)).message).toContain('it was given Infinity.');
    expect(thrown(() => faultCommand('delay', ['a', 'b', NaN], ROLES)).message).toContain('it was given NaN.');
    expect(thrown(() => faultCommand('delay', ['a', 'b', { minMs: NaN, maxMs: 10 }], ROLES)).message).not.toContain('null');
  });
});
