import { describe, expect, it } from '@jest/globals';
import { ActorRef, ActorSystem, isSerializedRef } from '../../src/actors';
import { reviveRefs, serializeRefs } from '../../src/actors/refCodec';
import { captureLogger } from './helpers';

describe('ref codec', () => {
  const system = ActorSystem.create('n1', { log: captureLogger() });
  const ref = system.refFor('n1', '/user/x');
  const revive = (node: string, path: string): ActorRef => system.refFor(node, path);

  it('serializes refs anywhere in a message to { $ref: { node, path } }', () => {
    const message = { to: ref, list: [1, ref], map: new Map([['k', ref]]), set: new Set([ref]), when: new Date(5) };
    expect(serializeRefs(message)).toEqual({
      to: { $ref: { node: 'n1', path: '/user/x' } },
      list: [1, { $ref: { node: 'n1', path: '/user/x' } }],
      map: new Map([['k', { $ref: { node: 'n1', path: '/user/x' } }]]),
      set: new Set([{ $ref: { node: 'n1', path: '/user/x' } }]),
      when: new Date(5),
    });
    expect(JSON.parse(JSON.stringify({ ref }))).toEqual({ ref: { $ref: { node: 'n1', path: '/user/x' } } });
  });

  it('leaves messages without refs untouched and never mutates the original', () => {
    const plain = { a: [1, 2], b: { c: 'd' } };
    expect(serializeRefs(plain)).toBe(plain);
    const withRef = { keep: plain, ref };
    const copy = serializeRefs(withRef) as Record<string, unknown>;
    expect(copy).not.toBe(withRef);
    expect(copy.keep).toBe(plain);
    expect(withRef.ref).toBe(ref);
  });

  it('survives cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(serializeRefs(cyclic)).toBe(cyclic);
    const revived = reviveRefs(structuredClone(cyclic), revive) as Record<string, unknown>;
    expect(revived.self).toBe(revived);
  });

  it('revives serialized refs, including inside Map keys, and only exact shapes', () => {
    const wire = structuredClone(serializeRefs({ r: ref, m: new Map([[ref, 'v']]), notRef: { $ref: { node: 'n1' } }, extra: { $ref: { node: 'a', path: '/b' }, more: 1 } }));
    const revived = reviveRefs(wire, revive) as { r: ActorRef; m: Map<ActorRef, string>; notRef: unknown; extra: unknown };
    expect(revived.r).toBeInstanceOf(ActorRef);
    expect(revived.r.equals(ref)).toBe(true);
    expect([...revived.m.keys()][0]).toBeInstanceOf(ActorRef);
    expect(revived.notRef).toEqual({ $ref: { node: 'n1' } });
    expect(revived.extra).toEqual({ $ref: { node: 'a', path: '/b' }, more: 1 });
    expect(isSerializedRef({ $ref: { node: 'a', path: '/b' } })).toBe(true);
  });

  it('revives a message that is itself a ref', () => {
    expect(reviveRefs({ $ref: { node: 'n1', path: '/user/x' } }, revive)).toBeInstanceOf(ActorRef);
  });

  afterAll(() => system.terminate());
});

import { afterAll } from '@jest/globals';
