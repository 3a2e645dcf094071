import { describe, expect, it } from '@jest/globals';
import { mergeVerdict, orderFailures, roleOutcomes } from '../../reporter/verdict';
import { FORMS, error, makeTest, passed, result } from './fixtures/traces';

const ROLES = ['a', 'b', 'c'];

describe('roleOutcomes', () => {
  it('lists every role in roles order with status and duration', () => {
    expect(roleOutcomes(FORMS, ROLES)).toEqual([
      { role: 'a', status: 'failed', durationMs: 120 },
      { role: 'b', status: 'failed', durationMs: 131 },
      { role: 'c', status: 'failed', durationMs: 80 },
    ]);
  });

  it('reports a role without a result as missing', () => {
    const test = makeTest(['t'], { c: passed(3), a: passed(1) });
    expect(roleOutcomes(test, ROLES)).toEqual([
      { role: 'a', status: 'passed', durationMs: 1 },
      { role: 'b', status: 'missing', durationMs: 0 },
      { role: 'c', status: 'passed', durationMs: 3 },
    ]);
  });
});

describe('mergeVerdict', () => {
  const of = (...statuses: ('passed' | 'failed' | 'skipped' | 'terminated' | 'missing')[]) =>
    mergeVerdict(statuses.map((status) => ({ status })));

  it('passes only when every role passed', () => {
    expect(of('passed', 'passed', 'passed')).toBe('passed');
    expect(of('passed', 'failed', 'passed')).toBe('failed');
    expect(of('passed', 'terminated')).toBe('failed');
    expect(of('passed', 'missing')).toBe('failed');
  });

  it('is skipped when every role skipped the test', () => {
    expect(of('skipped', 'skipped')).toBe('skipped');
  });

  it('fails when roles disagree on running the test', () => {
    expect(of('passed', 'skipped')).toBe('failed');
  });

  it('fails a test without any role result', () => {
    expect(of()).toBe('failed');
  });
});

describe('orderFailures', () => {
  it('puts the root-cause role first and roles whose errors are all consequences after', () => {
    const failures = orderFailures(FORMS, ROLES);
    expect(failures.map((failure) => [failure.role, failure.cause])).toEqual([
      ['c', 'root-cause'],
      ['a', 'consequence'],
      ['b', 'consequence'],
    ]);
  });

  it('groups consequences under the root cause each names, in the root causes\' order', () => {
    const of = (root: string) => ({ ...error(`abandoned because role '${root}' failed`, true), fields: { consequence: true, rootRole: root } });
    const test = makeTest(['t'], {
      a: result('failed', 1, [of('d')]),
      b: result('failed', 1, [error('b broke')]),
      c: result('failed', 1, [of('b')]),
      d: result('failed', 1, [error('d broke')]),
      e: result('failed', 1, [of('nobody')]),
    });
    expect(orderFailures(test, ['a', 'b', 'c', 'd', 'e']).map((failure) => [failure.role, failure.cause, failure.rootRole])).toEqual([
      ['b', 'root-cause', null],
      ['d', 'root-cause', null],
      ['c', 'consequence', 'b'],
      ['a', 'consequence', 'd'],
      ['e', 'consequence', null],
    ]);
  });

  it("shows a root cause's first lines without ANSI codes or stack frames, and a consequence's first line", () => {
    const [c, a] = orderFailures(FORMS, ROLES);
    expect(c.messages).toEqual([['expect(received).toBe(expected)', 'Expected: 3', 'Received: 2']]);
    expect(a.messages).toEqual([["Barrier 'joined' failed: role c failed this test (a consequence, not a root cause)."]]);
  });

  it('counts a role with one root-cause error among consequences as a root cause', () => {
    const test = makeTest(['t'], {
      a: result('failed', 1, [error('caused by b', true), error('own failure')]),
      b: result('failed', 1, [error('caused by a', true)]),
      c: passed(),
    });
    expect(orderFailures(test, ROLES).map((failure) => [failure.role, failure.cause])).toEqual([
      ['a', 'root-cause'],
      ['b', 'consequence'],
    ]);
  });

  it('keeps every failing role as a root cause when all errors are consequences', () => {
    const test = makeTest(['t'], {
      a: result('failed', 1, [error('caused by c', true)]),
      b: passed(),
      c: result('failed', 1, [error('caused by a', true)]),
    });
    expect(orderFailures(test, ROLES).map((failure) => [failure.role, failure.cause])).toEqual([
      ['a', 'root-cause'],
      ['c', 'root-cause'],
    ]);
  });

  it('treats terminated and missing roles without errors as root causes and says what happened', () => {
    const test = makeTest(['t'], {
      a: result('failed', 1, [error('waiting for c', true)]),
      c: result('terminated', 31_000),
    });
    const failures = orderFailures(test, ROLES);
    expect(failures.map((failure) => [failure.role, failure.cause, failure.status])).toEqual([
      ['b', 'root-cause', 'missing'],
      ['c', 'root-cause', 'terminated'],
      ['a', 'consequence', 'failed'],
    ]);
    expect(failures[0].messages[0][0]).toMatch(/reported no result/);
    expect(failures[1].messages[0][0]).toMatch(/terminated/);
  });

  it('leaves out roles that passed', () => {
    const test = makeTest(['t'], { a: passed(), b: result('failed', 1, [error('boom')]), c: passed() });
    expect(orderFailures(test, ROLES).map((failure) => failure.role)).toEqual(['b']);
  });
});
