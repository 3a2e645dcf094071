import { describe, expect, it } from '@jest/globals';
import { faultWindows } from '../../../reporter/html/faultWindows';
import type { FaultCommand } from '../../../src/harness/traceTypes';
import { faultEvent, T0 } from '../fixtures/traces';

const ROLES = ['a', 'b', 'c'];
const at = (ms: number, fault: FaultCommand) => faultEvent({ time: T0 + ms, role: 'a', test: null }, fault);
const summary = (events: ReturnType<typeof at>[]) =>
  faultWindows(events, ROLES).map((w) => [w.kind, w.label, w.roles, w.start - T0, w.end === null ? null : w.end - T0]);

describe('faultWindows', () => {
  it('holds a partition until a heal clears all of its links', () => {
    const events = [
      at(1, { kind: 'partition', sideA: ['a'], sideB: ['b', 'c'] }),
      at(5, { kind: 'heal', sideA: ['a'], sideB: ['b'] }),
      at(9, { kind: 'heal' }),
    ];
    expect(summary(events)).toEqual([['partition', 'partition a | b c', ['a', 'b', 'c'], 1, 9]]);
  });

  it('ends a blackhole at a heal of that pair and leaves it open without one', () => {
    expect(summary([at(1, { kind: 'blackhole', from: 'a', to: 'b' }), at(3, { kind: 'heal', sideA: ['b'] })])).toEqual([['blackhole', 'blackhole a → b', ['a', 'b'], 1, 3]]);
    expect(summary([at(1, { kind: 'blackhole', from: 'a', to: 'b' }), at(3, { kind: 'heal', sideA: ['c'], sideB: ['a'] })])).toEqual([['blackhole', 'blackhole a → b', ['a', 'b'], 1, null]]);
  });

  it('replaces a delay or drop on the same link, and a zero one only clears', () => {
    const events = [
      at(1, { kind: 'delay', from: 'a', to: 'b', minMs: 10, maxMs: 10 }),
      at(2, { kind: 'drop', from: 'a', to: 'b', probability: 0.5 }),
      at(3, { kind: 'delay', from: 'a', to: 'b', minMs: 20, maxMs: 30 }),
      at(4, { kind: 'delay', from: 'a', to: 'b', minMs: 0, maxMs: 0 }),
      at(6, { kind: 'drop', from: 'a', to: 'b', probability: 0 }),
    ];
    expect(summary(events)).toEqual([
      ['delay', 'delay a → b by 10 ms', ['a', 'b'], 1, 3],
      ['drop', 'drop a → b with probability 0.5', ['a', 'b'], 2, 6],
      ['delay', 'delay a → b by 20-30 ms', ['a', 'b'], 3, 4],
    ]);
  });

  it('holds a crash or leave on its role until the restart, ignoring a repeated crash', () => {
    const events = [
      at(1, { kind: 'crash', role: 'c' }),
      at(2, { kind: 'crash', role: 'c' }),
      at(4, { kind: 'restart', role: 'c' }),
      at(5, { kind: 'leave', role: 'b' }),
      at(7, { kind: 'heal' }),
    ];
    expect(summary(events)).toEqual([
      ['crash', 'crash c', ['c'], 1, 4],
      ['leave', 'leave b', ['b'], 5, null],
    ]);
  });
});
