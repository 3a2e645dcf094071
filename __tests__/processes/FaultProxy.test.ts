import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { FaultTable, LINK_BLACKHOLED, LINK_PARTITIONED } from '../../src/harness/FaultTable';
import { FaultProxy, type FaultProxyOptions } from '../../src/processes/FaultProxy';
import { faultTableReader } from '../../src/processes/faultReader';
import type { ProxyEvent } from '../../src/processes/proxyEvents';
import { ProxyAddressInUseError, ProxyHostError, ProxySettingsError, ProxyTargetError } from '../../src/processes/proxyErrors';
import { createRng } from '../../src/util/Rng';
import { EventLog, Peer, Target, dial, tcpHandlesDownTo } from './helpers/sockets';

const A = 0; // the dialer
const B = 1; // the target

/** A proxy a -> b in front of an echo server, over a fresh fault table. */
class Fixture {
  readonly table = new FaultTable(2);
  readonly log = new EventLog<ProxyEvent>();
  private readonly clients: Peer[] = [];

  private constructor(
    readonly target: Target,
    readonly proxy: FaultProxy,
  ) {}

  static async start(overrides: Partial<FaultProxyOptions> = {}, echo = true): Promise<Fixture> {
    const target = await Target.start({ echo });
    const table = new FaultTable(2);
    const log = new EventLog<ProxyEvent>();
    const proxy = await FaultProxy.start({
      dialer: 'a',
      target: 'b',
      targetEndpoint: target.endpoint,
      faults: faultTableReader(table, ['a', 'b']),
      rng: createRng(7),
      onEvent: log.listener,
      ...overrides,
    });
    const fixture = new Fixture(target, proxy);
    Object.assign(fixture, { table, log });
    return fixture;
  }

  /** Dials the proxy; for an accepted connection, also waits for the target's side of it. */
  async connect(): Promise<{ client: Peer; server: Peer }> {
    const client = await dial(this.proxy.address.port);
    this.clients.push(client);
    const server = await this.target.peer(this.target.peers.length + 1);
    return { client, server };
  }

  /** Dials the proxy and waits for the connection to be refused. */
  async connectRefused(): Promise<Peer> {
    const client = await dial(this.proxy.address.port);
    this.clients.push(client);
    await client.waitClosed('the refused connection to close');
    return client;
  }

  async close(): Promise<void> {
    await this.proxy.close();
    for (const client of this.clients) client.socket.destroy();
    await this.target.close();
  }
}

let fx: Fixture;
let handlesBefore: number;

beforeEach(async () => {
  handlesBefore = await tcpHandlesDownTo(0, 1000);
});

afterEach(async () => {
  await fx?.close();
});

describe('FaultProxy without faults', () => {
  beforeEach(async () => {
    fx = await Fixture.start();
  });

  it('forwards bytes both ways and passes each end of stream on', async () => {
    const { client, server } = await fx.connect();
    expect(await client.roundTrip('hello')).toBe('hello');
    client.socket.end();
    await server.receive(5);
    await new Promise<void>((resolve) => server.socket.once('end', resolve));
    server.socket.end('bye');
    await client.waitClosed();
    expect(client.text).toBe('hellobye');
    expect(client.error).toBeNull();
    const closed = await fx.log.next('closed');
    expect(closed).toMatchObject({ dialer: 'a', target: 'b', connection: 1 });
    expect(fx.log.of('opened')).toHaveLength(1);
    const chunks = fx.log.of('chunk');
    expect(chunks.filter((c) => c.from === 'a' && c.to === 'b').every((c) => c.fate === 'forwarded' && c.delayMs === 0)).toBe(true);
    expect(chunks.filter((c) => c.from === 'a').reduce((sum, c) => sum + c.bytes, 0)).toBe(5);
    expect(chunks.filter((c) => c.from === 'b').reduce((sum, c) => sum + c.bytes, 0)).toBe(8);
    expect(fx.proxy.openConnections).toBe(0);
  });

  it('carries a large transfer intact through flow control', async () => {
    const { client, server } = await fx.connect();
    const payload = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < payload.length; i += 4) payload.writeUInt32LE(i, i);
    client.socket.end(payload);
    await server.receive(payload.length, 'the whole payload at the target');
    await client.receive(payload.length, 'the whole echo at the client');
    expect(server.data.equals(payload)).toBe(true);
    expect(client.data.equals(payload)).toBe(true);
  });

  it('forwards later connections to a new target endpoint', async () => {
    const other = await Target.start({ echo: true });
    try {
      fx.proxy.setTarget(other.endpoint);
      const client = await dial(fx.proxy.address.port);
      expect(await client.roundTrip('moved')).toBe('moved');
      expect(other.peers).toHaveLength(1);
      expect(fx.target.peers).toHaveLength(0);
      client.socket.destroy();
    } finally {
      await fx.proxy.close();
      await other.close();
    }
  });
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
    server.send('still open');
    await client.receive(10);
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

describe('FaultProxy close', () => {
  it('ends the server and every socket, and leaves no handle open', async () => {
    fx = await Fixture.start();
    const { client, server } = await fx.connect();
    const second = await fx.connect();
    fx.table.setDelay(A, B, 60_000, 60_000);
    client.send('held for a minute');
    await fx.log.next('chunk', (c) => c.fate === 'delayed');
    await fx.proxy.close();
    expect(fx.proxy.listening).toBe(false);
    expect(fx.proxy.openConnections).toBe(0);
    for (const peer of [client, server, second.client, second.server]) {
      await peer.waitClosed();
      expect(peer.socket.destroyed).toBe(true);
    }
    await fx.proxy.close(); // idempotent
    const late = await dial(fx.proxy.address.port);
    await late.waitClosed();
    expect(late.error?.code).toBe('ECONNREFUSED');
    await fx.target.close();
    expect(await tcpHandlesDownTo(handlesBefore)).toBe(handlesBefore);
  });
});

describe('FaultProxy.start', () => {
  const base = (): FaultProxyOptions => ({
    dialer: 'a',
    target: 'b',
    targetEndpoint: { host: '127.0.0.1', port: 9 },
    faults: faultTableReader(new FaultTable(2), ['a', 'b']),
    rng: createRng(1),
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'localhost', ''])('refuses to listen on %j, which is not a loopback address', async (host) => {
    const attempt = FaultProxy.start({ ...base(), host });
    await expect(attempt).rejects.toThrow(ProxyHostError);
    await expect(attempt).rejects.toThrow(/must listen on a loopback address.*127\.0\.0\.1/);
  });

  it('names an address in use', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const attempt = FaultProxy.start({ ...base(), port });
      await expect(attempt).rejects.toThrow(ProxyAddressInUseError);
      await expect(attempt).rejects.toThrow(`127.0.0.1:${port}: the address is already in use`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('rejects a malformed target and bad settings', async () => {
    await expect(FaultProxy.start({ ...base(), targetEndpoint: { host: '127.0.0.1', port: 0 } })).rejects.toThrow(ProxyTargetError);
    await expect(FaultProxy.start({ ...base(), settings: { connectTimeoutMs: -1 } })).rejects.toThrow(ProxySettingsError);
    expect(await tcpHandlesDownTo(handlesBefore)).toBe(handlesBefore);
  });

  it('listens on another loopback address when given one', async () => {
    const proxy = await FaultProxy.start({ ...base(), host: '127.0.0.2' });
    expect(proxy.address.host).toBe('127.0.0.2');
    expect(proxy.peerAddress).toBe(`127.0.0.2:${proxy.address.port}`);
    await proxy.close();
  });
});
