import { describe, expect, it } from '@jest/globals';
import { acceptJoin } from '../../src/cluster/acceptJoin';
import { findMember } from '../../src/cluster/Gossip';
import { leaderActions } from '../../src/cluster/leaderActions';
import { formatMember } from '../../src/cluster/Member';
import { hasConvergence, indirectlyConnectedKeys, leaderOf, oldestOf, unreachableKeys } from '../../src/cluster/membershipView';
import { content, gossip, ua } from './helpers/builders';

const name = (m: { address: string; incarnation: number } | undefined): string | undefined => (m ? formatMember(m) : undefined);

describe('unreachableKeys', () => {
  it('unites the observations of live observers', () => {
    const view = content(['a#0 up 1', 'b#0 up 2', 'c#0 up 3'], { 'a#0': [1, ['c#0']], 'b#0': [2, ['a#0']] });
    expect([...unreachableKeys(view)].sort()).toEqual(['a#0', 'c#0']);
  });

  it('counts only the observations of Up and Leaving members, not those of joining or exiting ones', () => {
    // A joining member is still starting: under a loaded harness its thread may be starved, and its
    // silence figures say more about itself than about the members it would accuse.
    const view = content(['a#0 up 1', 'b#0 up 2', 'c#0 joining', 'd#0 exiting 3', 'e#0 leaving 4', 'f#0 up 5'], {
      'c#0': [1, ['a#0', 'b#0']],
      'd#0': [1, ['a#0']],
      'e#0': [1, ['f#0']],
    });
    expect([...unreachableKeys(view)]).toEqual(['f#0']);
  });

  it('never lists exiting, down or removed subjects, so departing members are not reported unreachable', () => {
    const view = content(['a#0 up 1', 'b#0 exiting 2', 'c#0 down 3'], { 'a#0': [1, ['b#0', 'c#0']] });
    expect(unreachableKeys(view).size).toBe(0);
  });

  it('finds indirectly connected members only where observers are themselves unreachable', () => {
    const clean = content(['a#0 up 1', 'b#0 up 2', 'c#0 up 3'], { 'a#0': [1, ['c#0']], 'b#0': [1, ['c#0']] });
    expect(indirectlyConnectedKeys(clean).size).toBe(0);
    const oneWay = content(['a#0 up 1', 'b#0 up 2', 'c#0 up 3'], { 'a#0': [1, ['c#0']], 'c#0': [1, ['a#0']] });
    expect([...indirectlyConnectedKeys(oneWay)].sort()).toEqual(['a#0', 'c#0']);
  });
});

describe('leaderOf', () => {
  it('is the first reachable Up member in address order', () => {
    expect(name(leaderOf(content(['b#0 up 2', 'a#0 up 1', 'c#0 up 3']), ua('c#0')))).toBe('a#0');
    const aUnreachable = content(['a#0 up 1', 'b#0 up 2', 'c#0 up 3'], { 'c#0': [1, ['a#0']] });
    expect(name(leaderOf(aUnreachable, ua('c#0')))).toBe('b#0');
  });

  it('treats self as reachable in its own view', () => {
    const view = content(['a#0 up 1', 'b#0 up 2'], { 'b#0': [1, ['a#0']] });
    expect(name(leaderOf(view, ua('a#0')))).toBe('a#0');
  });

  it('prefers Up and Leaving members, then Joining, then Exiting; never down or removed ones', () => {
    expect(name(leaderOf(content(['a#0 joining', 'b#0 up 1']), ua('a#0')))).toBe('b#0');
    expect(name(leaderOf(content(['a#0 leaving 1', 'b#0 up 2']), ua('b#0')))).toBe('a#0');
    expect(name(leaderOf(content(['a#0 joining']), ua('a#0')))).toBe('a#0');
    expect(name(leaderOf(content(['a#0 exiting 1', 'b#0 joining']), ua('a#0')))).toBe('b#0');
    expect(name(leaderOf(content(['a#0 down 1', 'b#0 removed 2']), ua('a#0')))).toBeUndefined();
  });
});

describe('oldestOf', () => {
  it('is the Up or Leaving member with the lowest up-number, not the lowest address', () => {
    expect(name(oldestOf(content(['a#1 up 6', 'b#0 up 2', 'c#0 leaving 3'])))).toBe('b#0');
    expect(name(oldestOf(content(['a#0 exiting 1', 'b#0 up 2'])))).toBe('b#0');
  });
});

describe('hasConvergence', () => {
  const members = ['a#0 up 1', 'b#0 up 2', 'c#0 joining'];

  it('needs every Up and Leaving member in the seen set, but not joining ones', () => {
    expect(hasConvergence(gossip(members, {}, ['a#0']), ua('a#0'))).toBe(false);
    expect(hasConvergence(gossip(members, {}, ['a#0', 'b#0']), ua('a#0'))).toBe(true);
  });

  it('is blocked by an unreachable member until that member is downed', () => {
    expect(hasConvergence(gossip(members, { 'a#0': [1, ['b#0']] }, ['a#0', 'b#0']), ua('a#0'))).toBe(false);
    const downed = ['a#0 up 1', 'b#0 down 2', 'c#0 joining'];
    expect(hasConvergence(gossip(downed, { 'a#0': [1, ['b#0']] }, ['a#0']), ua('a#0'))).toBe(true);
  });
});

describe('leaderActions', () => {
  it('moves joining members Up with the next up-numbers, in address order', () => {
    const result = leaderActions(gossip(['a#0 up 1', 'c#0 joining', 'b#0 joining'], {}, ['a#0']), ua('a#0'));
    expect(result?.transitions.map((t) => `${formatMember(t.member)} ${t.from}->${t.to} ${t.upNumber ?? ''}`.trim())).toEqual([
      'b#0 joining->up 2',
      'c#0 joining->up 3',
    ]);
  });

  it('never reuses the up-number of a removed member', () => {
    const result = leaderActions(gossip(['a#0 up 1', 'b#0 removed 2', 'b#1 joining'], {}, ['a#0']), ua('a#0'));
    expect(findMember(result!.content, ua('b#1'))?.upNumber).toBe(3);
  });

  it('moves leaving -> exiting, exiting -> removed and down -> removed', () => {
    const result = leaderActions(gossip(['a#0 up 1', 'b#0 leaving 2', 'c#0 exiting 3', 'd#0 down 4'], {}, ['a#0', 'b#0']), ua('a#0'));
    expect(result?.content.members.map((m) => `${formatMember(m)} ${m.status}`)).toEqual(['a#0 up', 'b#0 exiting', 'c#0 removed', 'd#0 removed']);
  });

  it('does nothing without convergence or when self is not the leader', () => {
    const view = ['a#0 up 1', 'b#0 up 2', 'c#0 joining'];
    expect(leaderActions(gossip(view, {}, ['a#0']), ua('a#0'))).toBeUndefined();
    expect(leaderActions(gossip(view, {}, ['a#0', 'b#0']), ua('b#0'))).toBeUndefined();
  });
});

describe('acceptJoin', () => {
  it('adds a new joiner as joining, and is idempotent', () => {
    const first = acceptJoin(content(['a#0 up 1']), ua('b#0'));
    expect(first.type).toBe('accepted');
    if (first.type !== 'accepted') return;
    expect(findMember(first.content, ua('b#0'))?.status).toBe('joining');
    const again = acceptJoin(first.content, ua('b#0'));
    expect(again.type === 'accepted' && again.content).toEqual(first.content);
  });

  it('downs the older incarnation when a newer one joins at the same address', () => {
    const outcome = acceptJoin(content(['a#0 up 1', 'b#0 up 2']), ua('b#1'));
    expect(outcome.type === 'accepted' && outcome.downed.map(formatMember)).toEqual(['b#0']);
    expect(outcome.type === 'accepted' && findMember(outcome.content, ua('b#0'))?.status).toBe('down');
  });

  it('rejects an incarnation that is already down or superseded', () => {
    const down = acceptJoin(content(['a#0 up 1', 'b#0 down 2']), ua('b#0'));
    expect(down).toEqual({ type: 'rejected', reason: expect.stringContaining('already down') });
    const stale = acceptJoin(content(['a#0 up 1', 'b#2 up 2']), ua('b#1'));
    expect(stale).toEqual({ type: 'rejected', reason: expect.stringContaining('superseded by the newer incarnation b#2') });
  });
});
