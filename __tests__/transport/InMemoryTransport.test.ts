import { describe, expect, it } from '@jest/globals';
import {
  AddressInUseError,
  InMemoryNetwork,
  InvalidLinkFaultError,
  UncloneableMessageError,
  UnknownAddressError,
  channel,
} from '../../src/transport/index';
import { createRng } from '../../src/util/Rng';
import type { Transport } from '../../src/transport/index';
import { FakeClock } from '../actors/helpers/FakeClock';
import { withDeadline } from '../actors/helpers';

/** Collects what `transport` receives; `next(n)` waits for n more messages with a deadline. */
function inbox(transport: Transport) {
  const received: Array<{ from: string; message: unknown }> = [];
  let wake: (() => void) | undefined;
  transport.onMessage((from, message) => {
    received.push({ from, message });
    wake?.();
  });
  return {
    received,
    async count(n: number, timeoutMs = 2000): Promise<void> {
      await withDeadline(
        (async () => {
          while (received.length < n) await new Promise<void>((resolve) => (wake = resolve));
        })(),
        timeoutMs,
        `${n} message(s) at ${transport.self}`,
      );
    },
  };
}

/** Resolves once the network has delivered or discarded everything sent so far. */
async function quiet(network: InMemoryNetwork): Promise<void> {
  await withDeadline(
    (async () => {
      while (network.inFlight > 0) await new Promise((resolve) => setImmediate(resolve));
    })(),
    2000,
    'the network to go quiet',
  );
}

describe('InMemoryNetwork', () => {
  it('delivers asynchronously, in order per link, with structured-clone copies', async () => {
    const network = new InMemoryNetwork();
    const a = network.transport('a');
    const b = inbox(network.transport('b'));
    const payload = { n: 0, when: new Date(1), tags: new Set(['x']) };
    for (let i = 0; i < 50; i++) a.send('b', { ...payload, n: i });
    expect(b.received).toHaveLength(0);
    payload.tags.add('mutated after send');
    await b.count(50);
    expect(b.received.map((r) => (r.message as { n: number }).n)).toEqual([...Array(50).keys()]);
    expect(b.received[0]).toEqual({ from: 'a', message: { n: 0, when: new Date(1), tags: new Set(['x']) } });
  });

  it('delivers to itself asynchronously, whatever the link faults', async () => {
    const network = new InMemoryNetwork();
    const a = network.transport('a');
    const self = inbox(a);
    network.transport('b');
    network.partition('a', 'b');
    a.send('a', 'me');
    expect(self.received).toHaveLength(0);
    await self.count(1);
    expect(self.received[0]).toEqual({ from: 'a', message: 'me' });
  });

  it('throws at once for an unknown address and for an uncloneable message, naming the field', () => {
    const network = new InMemoryNetwork({ addresses: ['later'] });
    const a = network.transport('a');
    expect(() => a.send('nowhere', 1)).toThrow(UnknownAddressError);
    expect(() => a.send('nowhere', 1)).toThrow(
      "Cannot send to 'nowhere': it is not an address of this transport (known: 'a', 'later'). Check the spelling, or create or declare that node before sending to it.",
    );
    expect(() => a.send('later', 1)).not.toThrow(); // declared: dropped until it exists
    expect(() => a.send('later', { deep: [{ fn: () => 1 }] })).toThrow(UncloneableMessageError);
    expect(() => a.send('later', { deep: [{ fn: () => 1 }] })).toThrow("message.deep[0].fn is a function (fn)");
    expect(() => a.send('later', { m: new Map([['k', { s: Symbol('x') }]]) })).toThrow('message.m.get("k").s is a symbol (Symbol(x))');
  });

  it('partitions both directions, blackholes one, and heals', async () => {
    const network = new InMemoryNetwork();
    const a = network.transport('a');
    const b = network.transport('b');
    const atA = inbox(a);
    const atB = inbox(b);
    network.partition('a', 'b');
    a.send('b', 'lost 1');
    b.send('a', 'lost 2');
    await quiet(network);
    network.heal();
    network.blackhole('a', 'b');
    a.send('b', 'lost 3');
    b.send('a', 'arrives');
    await atA.count(1);
    network.partition('a', 'b');
    network.heal('b'); // one side: every link touching b
    a.send('b', 'arrives too');
    await atB.count(1);
    expect(atA.received.map((r) => r.message)).toEqual(['arrives']);
    expect(atB.received.map((r) => r.message)).toEqual(['arrives too']);
  });

  it('drops with a seeded probability, the same way for the same seed', async () => {
    const run = async (seed: number): Promise<unknown[]> => {
      const network = new InMemoryNetwork({ rng: createRng(seed) });
      const a = network.transport('a');
      const b = inbox(network.transport('b'));
      network.drop('a', 'b', 0.5);
      for (let i = 0; i < 100; i++) a.send('b', i);
      await quiet(network);
      return b.received.map((r) => r.message);
    };
    const first = await run(42);
    expect(first.length).toBeGreaterThan(20);
    expect(first.length).toBeLessThan(80);
    expect(await run(42)).toEqual(first);
    expect(() => new InMemoryNetwork().drop('a', 'b', 1.5)).toThrow(InvalidLinkFaultError);
  });

  it('delays on its clock and keeps the link FIFO when the delay shrinks', async () => {
    const clock = new FakeClock();
    const network = new InMemoryNetwork({ clock });
    const a = network.transport('a');
    const b = inbox(network.transport('b'));
    network.delay('a', 'b', 100);
    a.send('b', 'slow');
    network.delay('a', 'b', 0);
    a.send('b', 'fast');
    await new Promise((resolve) => setImmediate(resolve));
    expect(b.received).toHaveLength(0);
    clock.advance(100);
    await b.count(2);
    expect(b.received.map((r) => r.message)).toEqual(['slow', 'fast']);
  });

  it('removes a node: messages to it, even in flight, are dropped; it can come back as a new incarnation', async () => {
    const network = new InMemoryNetwork();
    const a = network.transport('a');
    const oldB = network.transport('b');
    const oldInbox = inbox(oldB);
    a.send('b', 'in flight');
    network.removeNode('b');
    expect(network.isLive('b')).toBe(false);
    expect(() => a.send('b', 'to a removed node')).not.toThrow();
    oldB.send('a', 'from the dead'); // dropped too
    await quiet(network);
    expect(oldInbox.received).toHaveLength(0);
    expect(() => network.transport('a')).toThrow(AddressInUseError);
    const newB = inbox(network.transport('b'));
    a.send('b', 'hello again');
    await newB.count(1);
    expect(newB.received[0]?.message).toBe('hello again');
  });

  it('keeps delivering to other handlers when one throws, and unsubscribes', async () => {
    const network = new InMemoryNetwork({
      dispatch: (task) =>
        setImmediate(() => {
          try {
            task();
          } catch {
            // the throwing handler's error surfaces here
          }
        }),
    });
    const a = network.transport('a');
    const b = network.transport('b');
    const unsubscribe = b.onMessage(() => {
      throw new Error('bad handler');
    });
    const good = inbox(b);
    a.send('b', 1);
    a.send('b', 2);
    await good.count(2);
    unsubscribe();
    a.send('b', 3);
    await good.count(3);
  });

  it('carries independent channels on one link', async () => {
    const network = new InMemoryNetwork();
    const a = network.transport('a');
    const b = network.transport('b');
    const actors = inbox(channel(b, 'actors'));
    const gossip = inbox(channel(b, 'gossip'));
    channel(a, 'actors').send('b', 'for actors');
    channel(a, 'gossip').send('b', 'for gossip');
    await actors.count(1);
    await gossip.count(1);
    expect(actors.received.map((r) => r.message)).toEqual(['for actors']);
    expect(gossip.received.map((r) => r.message)).toEqual(['for gossip']);
  });
});
