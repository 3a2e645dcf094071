import { describe, expect, it } from '@jest/globals';
import { decideKeepMajority, type DowningDecision } from '../../src/cluster/keepMajority';
import { SplitBrainResolver } from '../../src/cluster/SplitBrainResolver';
import { formatMember } from '../../src/cluster/Member';
import type { GossipContent } from '../../src/cluster/Gossip';
import { content, ua } from './helpers/builders';

const FIVE = ['a#0 up 1', 'b#0 up 2', 'c#0 up 3', 'd#0 up 4', 'e#0 up 5'];

function downed(decision: DowningDecision): string[] {
  return decision.type === 'no-action' ? [] : decision.down.map(formatMember).sort();
}

describe('decideKeepMajority', () => {
  it('does nothing when nobody is unreachable', () => {
    expect(decideKeepMajority(content(FIVE), ua('a#0'))).toEqual({ type: 'no-action' });
  });

  it('the majority side of a 3|2 split downs the other side', () => {
    const view = content(FIVE, { 'a#0': [1, ['d#0', 'e#0']], 'b#0': [1, ['d#0', 'e#0']] });
    const decision = decideKeepMajority(view, ua('a#0'));
    expect(decision.type).toBe('down-others');
    expect(downed(decision)).toEqual(['d#0', 'e#0']);
    expect(decision.type !== 'no-action' && decision.reason).toContain('3 of 5');
  });

  it('the minority side of a 3|2 split downs itself', () => {
    const view = content(FIVE, { 'd#0': [1, ['a#0', 'b#0', 'c#0']] });
    const decision = decideKeepMajority(view, ua('d#0'));
    expect(decision.type).toBe('down-own-side');
    expect(downed(decision)).toEqual(['d#0', 'e#0']);
  });

  it('on a 2|2 tie, the side with the oldest member (lowest up-number) survives, whatever the addresses', () => {
    // b is the oldest: a was restarted and came back with up-number 5.
    const members = ['a#1 up 5', 'b#0 up 2', 'c#0 up 3', 'd#0 up 4'];
    const fromA = decideKeepMajority(content(members, { 'a#1': [1, ['b#0', 'd#0']] }), ua('a#1'));
    expect(fromA.type).toBe('down-own-side');
    expect(downed(fromA)).toEqual(['a#1', 'c#0']);
    const fromB = decideKeepMajority(content(members, { 'b#0': [1, ['a#1', 'c#0']] }), ua('b#0'));
    expect(fromB.type).toBe('down-others');
    expect(downed(fromB)).toEqual(['a#1', 'c#0']);
    expect(fromB.type !== 'no-action' && fromB.reason).toContain('oldest member b#0 (up-number 2)');
  });

  it('does not count joining members but downs them with the losing side', () => {
    const members = ['a#0 up 1', 'b#0 up 2', 'c#0 up 3', 'd#0 joining', 'e#0 joining'];
    const decision = decideKeepMajority(content(members, { 'c#0': [1, ['a#0', 'b#0']] }), ua('c#0'));
    // c and its two joining peers are 1 counted member against 2.
    expect(decision.type).toBe('down-own-side');
    expect(downed(decision)).toEqual(['c#0', 'd#0', 'e#0']);
  });

  it('ignores exiting, downed and removed members', () => {
    const members = ['a#0 up 1', 'b#0 exiting 2', 'c#0 down 3', 'd#0 removed 4', 'e#0 up 5'];
    const decision = decideKeepMajority(content(members, { 'a#0': [1, ['e#0']] }), ua('a#0'));
    // 1 against 1; a is older.
    expect(decision.type).toBe('down-others');
    expect(downed(decision)).toEqual(['e#0']);
  });

  it('downs both ends of an asymmetric fault (indirectly connected members)', () => {
    // a cannot reach c and c cannot reach a, but b reaches both: a one-way blackhole between a and c.
    const members = ['a#0 up 1', 'b#0 up 2', 'c#0 up 3'];
    const view = content(members, { 'a#0': [1, ['c#0']], 'c#0': [1, ['a#0']] });
    const fromB = decideKeepMajority(view, ua('b#0'));
    expect(fromB.type).toBe('down-others');
    expect(downed(fromB)).toEqual(['a#0', 'c#0']);
    const fromA = decideKeepMajority(view, ua('a#0'));
    expect(fromA.type).toBe('down-own-side');
    expect(downed(fromA)).toEqual(['a#0', 'c#0']);
  });

  it('ignores observations made by members that are down', () => {
    const view = content(['a#0 up 1', 'b#0 up 2', 'c#0 down 3'], { 'c#0': [4, ['a#0', 'b#0']] });
    expect(decideKeepMajority(view, ua('a#0'))).toEqual({ type: 'no-action' });
  });
});

describe('SplitBrainResolver', () => {
  const view = content(FIVE, { 'a#0': [1, ['e#0']] });

  /** Evaluates on every 100 ms tick from `from` to `to` (inclusive); returns the times and types of the decisions taken. */
  function tick(resolver: SplitBrainResolver, at: GossipContent, from: number, to: number): string[] {
    const decisions: string[] = [];
    for (let t = from; t <= to; t += 100) {
      const decision = resolver.evaluate(at, ua('a#0'), t);
      if (decision.type !== 'no-action') decisions.push(`${t} ${decision.type}`);
    }
    return decisions;
  }

  it('decides only after the unreachable set has been stable for stableAfterMs', () => {
    const resolver = new SplitBrainResolver(1000, 100);
    expect(tick(resolver, view, 0, 900)).toEqual([]);
    expect(resolver.evaluate(view, ua('a#0'), 999).type).toBe('no-action');
    expect(resolver.evaluate(view, ua('a#0'), 1000).type).toBe('down-others');
  });

  it('restarts the wait when the unreachable set changes', () => {
    const resolver = new SplitBrainResolver(1000, 100);
    expect(tick(resolver, view, 0, 700)).toEqual([]);
    const worse = content(FIVE, { 'a#0': [2, ['d#0', 'e#0']] });
    expect(tick(resolver, worse, 800, 1800)).toEqual(['1800 down-others']);
  });

  it('does not repeat a decision on every tick while the downing spreads', () => {
    const resolver = new SplitBrainResolver(1000, 100);
    expect(tick(resolver, view, 0, 1900)).toEqual(['1000 down-others']);
  });

  it('never decides while everyone is reachable, however long', () => {
    const resolver = new SplitBrainResolver(1000, 100);
    expect(tick(resolver, content(FIVE), 0, 5000)).toEqual([]);
  });

  it('restarts the wait after a stall of its own node, instead of acting on a picture it did not watch', () => {
    const resolver = new SplitBrainResolver(1000, 100);
    expect(tick(resolver, view, 0, 300)).toEqual([]);
    // Starved for 1.7 s: the next evaluation finds the same picture, but it was not watched meanwhile.
    expect(resolver.evaluate(view, ua('a#0'), 2000).type).toBe('no-action');
    expect(tick(resolver, view, 2100, 2900)).toEqual([]);
    expect(resolver.evaluate(view, ua('a#0'), 3000).type).toBe('down-others');
  });
});
