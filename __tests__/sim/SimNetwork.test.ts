import { describe, expect, it } from '@jest/globals';
import type { LinkEnd, NodeRealm } from '../../src/harness';
import { SimNetwork, SimScheduler, SimWorld } from '../../src/sim';

/** A realm whose copies are marked, counting how many it made. */
function markingRealm(): NodeRealm & { copies: number } {
  const realm = {
    copies: 0,
    loadFactory: () => Promise.reject(new Error('not used')),
    adoptPort: () => {
      throw new Error('not used');
    },
    copy<T>(value: T): T {
      realm.copies++;
      return { inRealm: structuredClone(value) } as T;
    },
  };
  return realm;
}

/** Roles a and b on one simulated network; `network.get(role).get(peer)` is role's end towards peer. */
function twoRoles(): { scheduler: SimScheduler; network: Map<string, Map<string, LinkEnd>> } {
  const scheduler = new SimScheduler(1);
  const world = new SimWorld(scheduler, (_owner, error) => {
    throw error;
  });
  const network = new SimNetwork(world, 1, { minMs: 1, maxMs: 5 }).mesh(['a', 'b']);
  return { scheduler, network };
}

describe('SimNetwork copies', () => {
  it("copies a message once, at send, into the receiver's realm: later changes by the sender do not travel", () => {
    const { scheduler, network } = twoRoles();
    const realm = markingRealm();
    const received: unknown[] = [];
    network.get('b')!.get('a')!.adopt(realm).listen((value) => received.push(value));
    const sender = network.get('a')!.get('b')!.adopt(markingRealm());
    const message = { n: 1 };
    sender.postMessage(message);
    message.n = 2;
    expect(realm.copies).toBe(1);
    while (scheduler.step());
    expect(received).toEqual([{ inRealm: { n: 1 } }]);
    expect(realm.copies).toBe(1);
  });

  it("copies a message sent before the receiver adopted its link into the receiver's realm on delivery", () => {
    const { scheduler, network } = twoRoles();
    const sender = network.get('a')!.get('b')!.adopt(markingRealm());
    const message = { n: 1 };
    sender.postMessage(message);
    message.n = 2;
    while (scheduler.step());
    const realm = markingRealm();
    const received: unknown[] = [];
    network.get('b')!.get('a')!.adopt(realm).listen((value) => received.push(value));
    expect(received).toEqual([{ inRealm: { n: 1 } }]);
    expect(realm.copies).toBe(1);
  });

  it('throws at send for a value that cannot be cloned, before or after the receiver adopted its link', () => {
    const { network } = twoRoles();
    const sender = network.get('a')!.get('b')!.adopt(markingRealm());
    expect(() => sender.postMessage({ f: () => undefined })).toThrow();
    network.get('b')!.get('a')!.adopt(harnessLikeRealm()).listen(() => undefined);
    expect(() => sender.postMessage({ f: () => undefined })).toThrow();
  });
});

function harnessLikeRealm(): NodeRealm {
  return { ...markingRealm(), copy: (value) => structuredClone(value) };
}
