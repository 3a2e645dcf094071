import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { FaultTable } from '../../src/harness/FaultTable';
import { FaultProxy, type FaultProxyOptions } from '../../src/processes/FaultProxy';
import { faultTableReader } from '../../src/processes/faultReader';
import { ProxyAddressInUseError, ProxyHostError, ProxySettingsError, ProxyTargetError } from '../../src/processes/proxyErrors';
import { createRng } from '../../src/util/Rng';
import { A, B, Fixture } from './helpers/proxyFixture';
import { Target, dial, tcpHandlesDownTo } from './helpers/sockets';

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
    await server.waitEnded();
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
