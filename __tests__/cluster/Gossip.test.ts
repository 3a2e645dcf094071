import { describe, expect, it } from '@jest/globals';
import {
  EMPTY_GOSSIP,
  contentEquals,
  findMember,
  gossipDigest,
  gossipEquals,
  markSeen,
  mergeContent,
  mergeGossip,
  raiseMember,
  setObservation,
  withContent,
  type Gossip,
} from '../../src/cluster/Gossip';
import { createRng } from '../../src/util/Rng';
import { content, gossip, randomGossip, ua } from './helpers/builders';

const RUNS = 400;

function show(g: Gossip): string {
  return JSON.stringify(g);
}

describe('gossip merge laws (random states, seeded)', () => {
  const rng = createRng(20240611);
  const triples = Array.from({ length: RUNS }, () => [randomGossip(rng), randomGossip(rng), randomGossip(rng)] as const);

  it('is commutative: merge(a, b) equals merge(b, a)', () => {
    for (const [a, b] of triples) {
      const ab = mergeGossip(a, b);
      const ba = mergeGossip(b, a);
      if (!gossipEquals(ab, ba)) throw new Error(`Not commutative:\n a=${show(a)}\n b=${show(b)}\n ab=${show(ab)}\n ba=${show(ba)}`);
    }
  });

  it('is associative: merge(merge(a, b), c) equals merge(a, merge(b, c))', () => {
    for (const [a, b, c] of triples) {
      const left = mergeGossip(mergeGossip(a, b), c);
      const right = mergeGossip(a, mergeGossip(b, c));
      if (!gossipEquals(left, right)) throw new Error(`Not associative:\n a=${show(a)}\n b=${show(b)}\n c=${show(c)}`);
    }
  });

  it('is idempotent: merge(a, a) equals a, and merging again changes nothing', () => {
    for (const [a, b] of triples) {
      expect(gossipEquals(mergeGossip(a, a), a)).toBe(true);
      const ab = mergeGossip(a, b);
      expect(gossipEquals(mergeGossip(ab, b), ab)).toBe(true);
    }
  });

  it('only grows: the merged content absorbs both inputs', () => {
    for (const [a, b] of triples) {
      const merged = mergeContent(a.content, b.content);
      expect(contentEquals(mergeContent(merged, a.content), merged)).toBe(true);
      expect(contentEquals(mergeContent(merged, b.content), merged)).toBe(true);
    }
  });

  it('has the empty gossip as identity', () => {
    for (const [a] of triples) expect(gossipEquals(mergeGossip(a, EMPTY_GOSSIP), a)).toBe(true);
  });
});

describe('member entry merge', () => {
  it('keeps the later status in the monotone order', () => {
    const merged = mergeContent(content(['a#0 up 1', 'b#0 leaving 2']), content(['a#0 down 1', 'b#0 up 2']));
    expect(findMember(merged, ua('a#0'))?.status).toBe('down');
    expect(findMember(merged, ua('b#0'))?.status).toBe('leaving');
  });

  it('keeps the lowest assigned up-number, and an assigned one over none', () => {
    const merged = mergeContent(content(['a#0 up 3', 'b#0 joining 0']), content(['a#0 up 2', 'b#0 up 4']));
    expect(findMember(merged, ua('a#0'))?.upNumber).toBe(2);
    expect(findMember(merged, ua('b#0'))?.upNumber).toBe(4);
  });

  it('never resurrects a removed member from a stale view', () => {
    const merged = mergeContent(content(['c#0 removed 3']), content(['c#0 up 3']));
    expect(findMember(merged, ua('c#0'))?.status).toBe('removed');
  });

  it('treats incarnations at the same address as different members', () => {
    const merged = mergeContent(content(['a#0 down 1']), content(['a#1 joining']));
    expect(merged.members.map((m) => `${m.address}#${m.incarnation} ${m.status}`)).toEqual(['a#0 down', 'a#1 joining']);
  });

  it('raiseMember cannot lower a status', () => {
    const start = content(['a#0 down 1']);
    expect(contentEquals(raiseMember(start, ua('a#0'), 'up', 1), start)).toBe(true);
  });
});

describe('reachability records', () => {
  it('take the record with the higher version from each observer', () => {
    const merged = mergeContent(content(['a#0 up 1'], { 'a#0': [2, ['b#0']] }), content(['a#0 up 1'], { 'a#0': [3, []] }));
    expect(merged.reachability).toEqual([{ observer: ua('a#0'), version: 3, unreachable: [] }]);
  });

  it('setObservation bumps the version only when the observation changes', () => {
    const start = content(['a#0 up 1', 'b#0 up 2']);
    const once = setObservation(start, ua('a#0'), [ua('b#0')]);
    expect(once.reachability[0].version).toBe(1);
    expect(setObservation(once, ua('a#0'), [ua('b#0')])).toBe(once);
    const healed = setObservation(once, ua('a#0'), []);
    expect(healed.reachability[0]).toEqual({ observer: ua('a#0'), version: 2, unreachable: [] });
  });

  it('an observer with nothing to report adds no record', () => {
    const start = content(['a#0 up 1']);
    expect(setObservation(start, ua('a#0'), [])).toBe(start);
  });
});

describe('seen sets', () => {
  it('are united when both sides have the same content', () => {
    const merged = mergeGossip(gossip(['a#0 up 1'], {}, ['a#0']), gossip(['a#0 up 1'], {}, ['b#0']));
    expect(merged.seen).toEqual(['a#0', 'b#0']);
  });

  it('follow the newer content when one side dominates', () => {
    const older = gossip(['a#0 up 1', 'b#0 joining'], {}, ['a#0', 'b#0']);
    const newer = gossip(['a#0 up 1', 'b#0 up 2'], {}, ['a#0']);
    expect(mergeGossip(older, newer).seen).toEqual(['a#0']);
  });

  it('are emptied when the contents are concurrent (nobody has seen the merge yet)', () => {
    const left = gossip(['a#0 up 1', 'b#0 leaving 2'], {}, ['a#0']);
    const right = gossip(['a#0 down 1', 'b#0 up 2'], {}, ['b#0']);
    const merged = mergeGossip(left, right);
    expect(merged.seen).toEqual([]);
    expect(markSeen(merged, ua('c#0')).seen).toEqual(['c#0']);
  });

  it('reset to the changer alone after a local change, and stay when nothing changed', () => {
    const start = gossip(['a#0 up 1'], {}, ['a#0', 'b#0']);
    expect(withContent(start, start.content, ua('b#0'))).toBe(start);
    expect(withContent(start, raiseMember(start.content, ua('a#0'), 'leaving'), ua('b#0')).seen).toEqual(['b#0']);
  });
});

describe('gossipDigest', () => {
  it('is equal for equal gossips and differs when the seen set differs', () => {
    const a = gossip(['a#0 up 1', 'b#0 up 2'], { 'a#0': [1, ['b#0']] }, ['a#0']);
    const b = gossip(['b#0 up 2', 'a#0 up 1'], { 'a#0': [1, ['b#0']] }, ['a#0']);
    expect(gossipDigest(a)).toBe(gossipDigest(b));
    expect(gossipDigest(markSeen(a, ua('b#0')))).not.toBe(gossipDigest(a));
  });
});
