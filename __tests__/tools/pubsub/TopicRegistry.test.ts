import { describe, expect, it } from '@jest/globals';
import { TopicRegistry, type BucketDelta } from '../../../src/tools/pubsub/TopicRegistry';

/** Registries of plain strings stand in for actor refs: both are identified by `toString()`. */
function registry(self: string): TopicRegistry<string> {
  return new TopicRegistry<string>(self);
}

/** Everything `from` holds of its own bucket, as one delta. */
function everything(from: TopicRegistry<string>): BucketDelta<string> {
  return from.deltaSince(from.self, 0)!;
}

describe('TopicRegistry', () => {
  it('versions every change of its own bucket and stamps the changed topics with it', () => {
    const a = registry('a#0');
    expect(a.subscribe('orders', 's1')).toBe(true);
    expect(a.subscribe('orders', 's1')).toBe(false);
    expect(a.subscribe('audit', 's1')).toBe(true);
    expect(a.version).toBe(2);
    expect(a.deltaSince('a#0', 1)).toEqual({ owner: 'a#0', fromVersion: 1, version: 2, topics: [{ topic: 'audit', version: 2, subscribers: ['s1'] }] });
    expect(a.removeSubscriber('s1')).toEqual(['orders', 'audit']);
    expect(a.version).toBe(3);
    expect(a.topics()).toEqual([]);
    // The removals are tombstones, so they spread like any change.
    expect(a.deltaSince('a#0', 2)?.topics).toEqual([
      { topic: 'orders', version: 3, subscribers: [] },
      { topic: 'audit', version: 3, subscribers: [] },
    ]);
  });

  it('takes a delta once: applying it again, or an older one after a newer, changes nothing', () => {
    const a = registry('a#0');
    const b = registry('b#0');
    a.subscribe('orders', 's1');
    const first = a.deltaSince('a#0', 0)!;
    a.unsubscribe('orders', 's1');
    const second = a.deltaSince('a#0', 1)!;
    expect(b.apply(first)).toBe('applied');
    expect(b.apply(first)).toBe('duplicate');
    expect(b.apply(second)).toBe('applied');
    expect(b.apply(first)).toBe('duplicate');
    expect(b.apply(second)).toBe('duplicate');
    expect(b.topics()).toEqual([]);
    expect(b.versions()).toEqual({ 'a#0': 2, 'b#0': 0 });
  });

  it('refuses a delta that starts after the version it holds (a lost push before it) and takes the full one', () => {
    const a = registry('a#0');
    const b = registry('b#0');
    a.subscribe('orders', 's1');
    a.subscribe('audit', 's2');
    expect(b.apply(a.deltaSince('a#0', 1)!)).toBe('gap');
    expect(b.topics()).toEqual([]);
    expect(b.apply(a.deltaSince('a#0', b.versions()['a#0'] ?? 0)!)).toBe('applied');
    expect(b.topics()).toEqual(['audit', 'orders']);
  });

  it('keeps the newest entry per topic when a full delta overlaps what it holds', () => {
    const a = registry('a#0');
    const b = registry('b#0');
    a.subscribe('orders', 's1');
    b.apply(everything(a));
    a.subscribe('orders', 's2');
    a.unsubscribe('orders', 's1');
    b.apply(everything(a));
    expect(b.subscribersOf('orders')).toEqual(['s2']);
  });

  it('never takes a delta about its own bucket', () => {
    const a = registry('a#0');
    expect(a.apply({ owner: 'a#0', fromVersion: 0, version: 5, topics: [{ topic: 'x', version: 5, subscribers: ['s'] }] })).toBe('duplicate');
    expect(a.topics()).toEqual([]);
  });

  it('gives a peer what it lacks and says when the peer is ahead', () => {
    const a = registry('a#0');
    const b = registry('b#0');
    const c = registry('c#0');
    a.subscribe('orders', 's1');
    c.subscribe('audit', 's3');
    b.apply(everything(a));
    expect(b.deltasFor(c.versions()).map((d) => d.owner)).toEqual(['a#0']);
    expect(b.isBehind(c.versions(), () => true)).toBe(true);
    expect(b.isBehind(c.versions(), (owner) => owner !== 'c#0')).toBe(false);
    for (const delta of b.deltasFor(c.versions())) c.apply(delta);
    expect(c.topics()).toEqual(['audit', 'orders']);
  });

  it('lists every subscriber of a topic once, its own first, and forgets dropped owners', () => {
    const a = registry('a#0');
    const b = registry('b#0');
    b.subscribe('orders', 'shared');
    b.subscribe('orders', 'onB');
    a.subscribe('orders', 'shared');
    a.apply(everything(b));
    expect(a.subscribersOf('orders')).toEqual(['shared', 'onB']);
    expect(a.retainOwners((owner) => owner !== 'b#0')).toEqual(['b#0']);
    expect(a.subscribersOf('orders')).toEqual(['shared']);
    expect(a.owners()).toEqual(['a#0']);
  });
});
