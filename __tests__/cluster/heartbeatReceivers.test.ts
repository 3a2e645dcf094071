import { describe, expect, it } from '@jest/globals';
import { heartbeatReceivers } from '../../src/cluster/heartbeatReceivers';
import { formatMember } from '../../src/cluster/Member';
import { ua } from './helpers/builders';

const EIGHT = ['a#0', 'b#0', 'c#0', 'd#0', 'e#0', 'f#0', 'g#0', 'h#0'].map(ua);

function receivers(self: string, count: number, unreachable: readonly string[] = [], candidates = EIGHT): string[] {
  return heartbeatReceivers(candidates, ua(self), count, new Set(unreachable)).map(formatMember);
}

describe('heartbeatReceivers', () => {
  it('probes every other member when the cluster is no larger than the count plus one', () => {
    expect(receivers('c#0', 7)).toEqual(['a#0', 'b#0', 'd#0', 'e#0', 'f#0', 'g#0', 'h#0']);
    expect(receivers('a#0', 5, [], EIGHT.slice(0, 4))).toEqual(['b#0', 'c#0', 'd#0']);
  });

  it('probes the next members after self in address order, wrapping round, so each member is watched by `count` others', () => {
    expect(receivers('b#0', 3)).toEqual(['c#0', 'd#0', 'e#0']);
    expect(receivers('g#0', 3)).toEqual(['h#0', 'a#0', 'b#0']);
    const watchers = new Map<string, number>();
    for (const self of EIGHT) for (const key of receivers(formatMember(self), 3)) watchers.set(key, (watchers.get(key) ?? 0) + 1);
    expect([...watchers.values()]).toEqual(Array(8).fill(3));
  });

  it('keeps probing unreachable members on the way and goes on past them until it has `count` reachable ones', () => {
    // A stretch of unreachable members (one side of a partition) does not leave the rest unwatched.
    expect(receivers('a#0', 2, ['b#0', 'c#0', 'd#0'])).toEqual(['b#0', 'c#0', 'd#0', 'e#0', 'f#0']);
    // Unreachable members beyond the last reachable receiver are someone else's to watch.
    expect(receivers('a#0', 2, ['g#0'])).toEqual(['b#0', 'c#0']);
  });

  it('works for a node that is not among the candidates (its place in the ring is where its address sorts)', () => {
    expect(receivers('cc#0', 2, [], EIGHT)).toEqual(['d#0', 'e#0']);
  });

  it('tells incarnations apart: a restarted member is a separate entry', () => {
    const members = ['a#0', 'b#0', 'b#1', 'c#0', 'd#0', 'e#0', 'f#0', 'g#0'].map(ua);
    expect(receivers('a#0', 2, [], members)).toEqual(['b#0', 'b#1']);
  });
});
