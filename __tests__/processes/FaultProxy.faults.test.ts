import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { LINK_BLACKHOLED, LINK_PARTITIONED } from '../../src/harness/FaultTable';
import { createRng } from '../../src/util/Rng';
import { A, B, Fixture } from './helpers/proxyFixture';
import { pollUntil, until } from './helpers/sockets';

let fx: Fixture;

afterEach(async () => {
  await fx?.close();
});

describe('FaultProxy partition', () => {
  beforeEach(async () => {
    fx = await Fixture.start();
  });

  it.each([
    ['a -> b', A, B],
    ['b -> a', B, A],
  ])('resets open connections on faultsChanged and refuses new ones (flag on %s)', async (_name, from, to) => {
    const { client, server } = await fx.connect();
    expect(await client.roundTrip('before')).toBe('before');
    fx.table.setFlag(from, to, LINK_PARTITIONED, true);
    fx.proxy.faultsChanged();
    await client.waitClosed();
    await server.waitClosed();
    expect(client.wasReset).toBe(true);
    expect(server.wasReset).toBe(true);
    expect(await fx.log.next('reset')).toMatchObject({ reason: 'partition', connection: 1 });

    const refused = await fx.connectRefused();
    expect(refused.wasReset).toBe(true);
    expect(refused.data.length).toBe(0);
    expect(await fx.log.next('refused')).toMatchObject({ reason: 'partition', connection: 2 });
    expect(fx.target.peers).toHaveLength(1);
  });

  it('cuts a connection whose dialer has ended its stream, and closes every socket', async () => {
    const { client, server } = await fx.connect();
    client.socket.end();
    await server.waitEnded();
    fx.table.setFlag(A, B, LINK_PARTITIONED, true);
    fx.proxy.faultsChanged();
    await client.waitClosed();
    expect(client.wasReset).toBe(true);
    // The OS cannot reset a socket shut down for writing, so the proxy closes its socket to the
    // target (which already has the end of the stream) rather than leave the handle open.
    await pollUntil(() => fx.proxy.openConnections === 0, 'the proxy to let go of the connection', 3000);
    expect(server.ended).toBe(true);
  });

  it('cuts at the next chunk even before faultsChanged', async () => {
    const { client } = await fx.connect();
    fx.table.setFlag(A, B, LINK_PARTITIONED, true);
    fx.table.setFlag(B, A, LINK_PARTITIONED, true);
    client.send('after');
    await client.waitClosed();
    expect(client.wasReset).toBe(true);
    expect(fx.target.peers[0]!.data.length).toBe(0);
  });

  it('lets new connections flow again once healed', async () => {
    fx.table.setFlag(A, B, LINK_PARTITIONED, true);
    await fx.connectRefused();
    fx.table.clearLink(A, B);
    fx.proxy.faultsChanged();
    const { client } = await fx.connect();
    expect(await client.roundTrip('again')).toBe('again');
  });
});

describe('FaultProxy blackhole', () => {
  beforeEach(async () => {
    fx = await Fixture.start({}, false);
  });

  it('a -> b discards what the dialer sends while b -> a flows, and resets on heal', async () => {
    const { client, server } = await fx.connect();
    fx.table.setFlag(A, B, LINK_BLACKHOLED, true);
    fx.proxy.faultsChanged();
    client.send('lost');
    await fx.log.next('chunk', (c) => c.fate === 'discarded');
    server.send('flows');
    await client.receive(5);
    expect(client.text).toBe('flows');
    expect(server.data.length).toBe(0);
    fx.table.clearLink(A, B);
    fx.proxy.faultsChanged();
    await client.waitClosed();
    await server.waitClosed();
    expect(client.wasReset && server.wasReset).toBe(true);
    expect(server.data.length).toBe(0);
    expect(await fx.log.next('reset')).toMatchObject({ reason: 'blackhole-healed' });
  });

  it('b -> a discards what the target sends while a -> b flows, and resets on heal', async () => {
    const { client, server } = await fx.connect();
    fx.table.setFlag(B, A, LINK_BLACKHOLED, true);
    server.send('lost');
    await fx.log.next('chunk', (c) => c.fate === 'discarded' && c.from === 'b');
    client.send('flows');
    await server.receive(5);
    expect(server.text).toBe('flows');
    expect(client.data.length).toBe(0);
    fx.table.clearLink(B, A);
    fx.proxy.faultsChanged();
    await client.waitClosed();
    expect(client.wasReset).toBe(true);
    expect(client.data.length).toBe(0);
  });

  it('resets at the next chunk after a heal the proxy was not told of', async () => {
    const { client, server } = await fx.connect();
    fx.table.setFlag(A, B, LINK_BLACKHOLED, true);
    client.send('lost');
    await fx.log.next('chunk', (c) => c.fate === 'discarded');
    fx.table.clearLink(A, B);
    client.send('corrupted stream');
    await server.waitClosed();
    expect(server.data.length).toBe(0);
    expect(server.wasReset).toBe(true);
  });

  it('keeps a connection on which it discarded nothing when healed', async () => {
    const { client, server } = await fx.connect();
    fx.table.setFlag(A, B, LINK_BLACKHOLED, true);
    fx.proxy.faultsChanged();
    fx.table.clearLink(A, B);
    fx.proxy.faultsChanged();
    client.send('intact');
    await server.receive(6);
    expect(server.text).toBe('intact');
    expect(fx.log.of('reset')).toHaveLength(0);
  });

  it('holds back the end of a blackholed stream', async () => {
    const { client, server } = await fx.connect();
    fx.table.setFlag(A, B, LINK_BLACKHOLED, true);
    client.socket.end();
    await until(() => client.socket.writableFinished, [client.socket], ['finish'], 'the end to be sent');
    server.send('still open');
    await client.receive(10);
    // A round trip on a second connection through the same proxy: the first end was read before it.
    fx.table.clearLink(A, B);
    const second = await fx.connect();
    second.server.send('ping');
    await second.client.receive(4);
    expect(server.ended).toBe(false);
  });
});

describe('FaultProxy delay', () => {
  beforeEach(async () => {
    fx = await Fixture.start();
  });

  it.each([
    ['a -> b', A, B],
    ['b -> a', B, A],
  ])('holds each chunk on %s for the delay', async (_name, from, to) => {
    const { client } = await fx.connect();
    expect(await client.roundTrip('warm')).toBe('warm');
    fx.table.setDelay(from, to, 150, 150);
    const started = performance.now();
    expect(await client.roundTrip('slow')).toBe('slow');
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(149);
    expect(elapsed).toBeLessThan(150 + 5000);
    const delayed = await fx.log.next('chunk', (c) => c.fate === 'delayed');
    expect(delayed).toMatchObject({ from: from === A ? 'a' : 'b', bytes: 4 });
    expect(delayed.delayMs).toBeGreaterThanOrEqual(150);
  });

  it('keeps order within a direction while each chunk draws its own delay', async () => {
    const { client, server } = await fx.connect();
    fx.table.setDelay(A, B, 0, 80);
    const parts = Array.from({ length: 30 }, (_, i) => `<${i}>`);
    for (const part of parts) {
      client.send(part);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const expected = parts.join('');
    await server.receive(expected.length);
    await client.receive(expected.length);
    expect(server.text).toBe(expected);
    expect(client.text).toBe(expected);
    const held = fx.log.of('chunk').filter((c) => c.from === 'a').map((c) => c.delayMs);
    expect(held.length).toBeGreaterThan(1);
    expect(new Set(held.map((ms) => Math.round(ms))).size).toBeGreaterThan(1);
  });

  it('gives a chunk in flight the delay it was given, even after a heal', async () => {
    const { client, server } = await fx.connect();
    fx.table.setDelay(A, B, 200, 200);
    const started = performance.now();
    client.send('held');
    await fx.log.next('chunk', (c) => c.fate === 'delayed');
    fx.table.clearLink(A, B);
    fx.proxy.faultsChanged();
    await server.receive(4);
    expect(performance.now() - started).toBeGreaterThanOrEqual(199);
  });
});

describe('FaultProxy drop', () => {
  it.each([
    ['a -> b', A, B],
    ['b -> a', B, A],
  ])('with probability 1 on %s resets the connection at the first chunk', async (_name, from, to) => {
    fx = await Fixture.start();
    const { client, server } = await fx.connect();
    fx.table.setDrop(from, to, 1);
    client.send('gone');
    await client.waitClosed();
    expect(client.wasReset).toBe(true);
    expect(client.data.length).toBe(0);
    expect(server.data.length).toBe(from === A ? 0 : 4);
    expect(await fx.log.next('reset')).toMatchObject({ reason: 'drop' });
  });

  /** For each of 6 connections, how many round trips passed before a drop reset it (at most 12). */
  async function survivals(seed: number): Promise<number[]> {
    fx = await Fixture.start({ rng: createRng(seed) });
    fx.table.setDrop(A, B, 0.25);
    const counts: number[] = [];
    for (let n = 0; n < 6; n++) {
      const { client } = await fx.connect();
      let count = 0;
      while (count < 12) {
        client.send(`m${count}`);
        if (!(await client.receiveOrClose(client.received + `m${count}`.length))) break;
        count++;
      }
      client.socket.destroy();
      counts.push(count);
    }
    expect(fx.log.of('reset').map((event) => event.reason)).toEqual(counts.filter((count) => count < 12).map(() => 'drop'));
    await fx.close();
    return counts;
  }

  it('draws from the seeded RNG, so a seed replays the same drops', async () => {
    const first = await survivals(42);
    const second = await survivals(42);
    const other = await survivals(43);
    expect(second).toEqual(first);
    expect(first.some((count) => count < 12)).toBe(true);
    expect(other).not.toEqual(first);
  });
});

describe('FaultProxy and node state', () => {
  beforeEach(async () => {
    fx = await Fixture.start();
  });

  it.each(['crashed', 'departed'] as const)('refuses new connections to a %s target and resets open ones', async (state) => {
    const { client } = await fx.connect();
    fx.table.setNodeState(B, state);
    fx.proxy.faultsChanged();
    await client.waitClosed();
    expect(client.wasReset).toBe(true);
    const refused = await fx.connectRefused();
    expect(refused.wasReset).toBe(true);
    expect(await fx.log.next('refused')).toMatchObject({ reason: state });
    expect(fx.target.peers).toHaveLength(1);
  });

  it('refuses when the real endpoint is closed, naming the error', async () => {
    await fx.target.close();
    const refused = await fx.connectRefused();
    expect(refused.wasReset).toBe(true);
    expect(await fx.log.next('refused')).toMatchObject({ reason: 'unreachable', detail: 'ECONNREFUSED' });
  });
});
