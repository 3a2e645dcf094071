import { describe, expect, it } from '@jest/globals';
import { Cluster, type ClusterMessage } from '../../src/cluster';
import { InMemoryNetwork, type Transport } from '../../src/transport';
import { createRng } from '../../src/util/Rng';
import { FakeClock } from './helpers/FakeClock';

/**
 * Joining at scale. Under the harness the lead's node is the first member Up while every other role
 * is still joining; what it costs that node to answer the joiners decides whether its heartbeat
 * answers stay on time (at 32 roles on two cores they did not, and it was downed).
 */
function network(addresses: readonly string[]): { clock: FakeClock; net: InMemoryNetwork } {
  const clock = new FakeClock();
  const net = new InMemoryNetwork({ addresses, clock, rng: createRng(1), dispatch: (task) => void clock.schedule(1, task) });
  return { clock, net };
}

/** A transport that records what it sends. */
function recording(transport: Transport): { transport: Transport; sent: Array<{ to: string; type: string }> } {
  const sent: Array<{ to: string; type: string }> = [];
  return {
    sent,
    transport: {
      self: transport.self,
      send: (to, message) => {
        sent.push({ to, type: (message as ClusterMessage).type });
        transport.send(to, message);
      },
      onMessage: (handler) => transport.onMessage(handler),
    },
  };
}

describe('Cluster: joining at scale', () => {
  it('answers a joiner whose Join requests queued up with one Welcome per retry interval, not one per request', () => {
    const { clock, net } = network(['a', 'j']);
    const a = Cluster.start({ transport: net.transport('a'), incarnation: 0, seedNodes: ['a', 'j'], clock, rng: createRng(2) });
    clock.advance(50);
    expect(a.membersUp()).toBe(1);

    // A joiner that is slow to process the Welcome keeps asking; here 20 of its requests arrive together.
    const joiner = net.transport('j');
    const welcomes: number[] = [];
    joiner.onMessage((_from, message) => {
      if ((message as ClusterMessage).type === 'Welcome') welcomes.push(clock.now());
    });
    const join = { type: 'Join', from: { address: 'j', incarnation: 0 } };
    for (let i = 0; i < 20; i++) joiner.send('a', join);
    clock.advance(50);
    expect(welcomes).toHaveLength(1);

    // A request after the retry interval is answered again, in case the first Welcome was lost.
    clock.advance(a.settings.joinRetryIntervalMs);
    for (let i = 0; i < 20; i++) joiner.send('a', join);
    clock.advance(50);
    expect(welcomes).toHaveLength(2);
    a.abort();
  });

  it('asks the first seed and one other seed per round, rotating through the others, instead of every seed', () => {
    const seeds = ['a', 'b', 'c', 'd', 'e', 'f'];
    const { clock, net } = network(seeds);
    const { transport, sent } = recording(net.transport('f'));
    const f = Cluster.start({ transport, incarnation: 0, seedNodes: seeds, clock, rng: createRng(3), settings: { joinRetryIntervalMs: 200 } });
    clock.advance(4 * 200 + 50);
    const joins = sent.filter((m) => m.type === 'Join').map((m) => m.to);
    // Nobody answers: five rounds, two requests each; the first seed every round, the others in turn.
    expect(joins).toEqual(['a', 'b', 'a', 'c', 'a', 'd', 'a', 'e', 'a', 'b']);
    expect(f.describe()).toContain('10 Join requests sent');
    f.abort();
  });

  it('still brings 32 nodes Up, whichever seed answers a joiner', async () => {
    const addresses = Array.from({ length: 32 }, (_, i) => `n${String(i).padStart(2, '0')}`);
    const { clock, net } = network(addresses);
    const clusters = addresses.map((address, i) =>
      Cluster.start({ transport: net.transport(address), incarnation: 0, seedNodes: addresses, clock, rng: createRng(10 + i) }),
    );
    for (let t = 0; t < 5000 && !clusters.every((c) => c.membersUp() === 32 && c.state().convergence); t += 10) clock.advance(10);
    expect(clusters.map((c) => c.membersUp())).toEqual(Array(32).fill(32));
    clusters.forEach((c) => c.abort());
  });
});
