import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { FaultTable, LINK_PARTITIONED } from '../../src/harness/FaultTable';
import { UnknownRoleError } from '../../src/harness/errors';
import { faultTableReader } from '../../src/processes/faultReader';
import { ProxyMesh, type ProxyMeshOptions } from '../../src/processes/ProxyMesh';
import { ProxyNotInMeshError, ProxyTargetError } from '../../src/processes/proxyErrors';
import { createRng } from '../../src/util/Rng';
import { Target, dial, tcpHandlesDownTo, type Peer } from './helpers/sockets';

const ROLES = ['a', 'b', 'c'] as const;

let targets: Record<string, Target>;
let table: FaultTable;
let mesh: ProxyMesh | undefined;
const clients: Peer[] = [];
let handlesBefore: number;

function options(overrides: Partial<ProxyMeshOptions> = {}): ProxyMeshOptions {
  return {
    roles: ROLES,
    endpoints: Object.fromEntries(ROLES.map((role) => [role, targets[role]!.endpoint])),
    faults: faultTableReader(table, ROLES),
    rng: createRng(3),
    ...overrides,
  };
}

/** Dials `target` the way `role`'s node would: through the address in its MULTINODE_PEERS. */
async function dialAs(role: string, target: string): Promise<Peer> {
  const [host, port] = mesh!.peersOf(role)[target]!.split(':');
  const client = await dial(Number(port), host);
  clients.push(client);
  return client;
}

beforeEach(async () => {
  handlesBefore = await tcpHandlesDownTo(0, 1000);
  table = new FaultTable(ROLES.length);
  targets = {};
  for (const role of ROLES) targets[role] = await Target.start({ echo: true });
});

afterEach(async () => {
  await mesh?.close();
  mesh = undefined;
  for (const client of clients.splice(0)) client.socket.destroy();
  for (const target of Object.values(targets)) await target.close();
});

describe('ProxyMesh', () => {
  it('gives every role a proxy per peer, each leading to that peer', async () => {
    mesh = await ProxyMesh.start(options());
    expect(mesh.proxies).toHaveLength(6);
    const peers = mesh.peersOf('a');
    expect(Object.keys(peers).sort()).toEqual(['b', 'c']);
    expect(peers.b).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(new Set(ROLES.flatMap((role) => Object.values(mesh!.peersOf(role)))).size).toBe(6);
    for (const [from, to] of [['a', 'b'], ['b', 'a'], ['c', 'a']] as const) {
      const client = await dialAs(from, to);
      expect(await client.roundTrip(`${from} to ${to}`)).toBe(`${from} to ${to}`);
      expect(targets[to]!.peers).toHaveLength(from === 'c' ? 2 : 1);
    }
  });

  it('cuts a partitioned pair whoever dialled, and leaves the other pairs alone', async () => {
    mesh = await ProxyMesh.start(options());
    const ab = await dialAs('a', 'b');
    const ba = await dialAs('b', 'a');
    const ac = await dialAs('a', 'c');
    for (const client of [ab, ba, ac]) expect(await client.roundTrip('x')).toBe('x');
    table.setFlag(0, 1, LINK_PARTITIONED, true);
    table.setFlag(1, 0, LINK_PARTITIONED, true);
    mesh.faultsChanged();
    await ab.waitClosed();
    await ba.waitClosed();
    expect(ab.wasReset && ba.wasReset).toBe(true);
    expect(await ac.roundTrip('still')).toBe('still');
    const refused = await dialAs('b', 'a');
    await refused.waitClosed();
    expect(refused.wasReset).toBe(true);
  });

  it('holds only the proxies of the given dialers', async () => {
    mesh = await ProxyMesh.start(options({ dialers: ['b'] }));
    expect(mesh.proxies.map((proxy) => `${proxy.dialer}->${proxy.target}`).sort()).toEqual(['b->a', 'b->c']);
    expect(Object.keys(mesh.peersOf('b')).sort()).toEqual(['a', 'c']);
    expect(() => mesh!.peersOf('a')).toThrow(ProxyNotInMeshError);
    expect(() => mesh!.peersOf('a')).toThrow("no proxy a -> b; it holds the proxies dialled by 'b'");
    expect(() => mesh!.peersOf('z')).toThrow(UnknownRoleError);
    await expect(ProxyMesh.start(options({ dialers: ['z'] }))).rejects.toThrow(UnknownRoleError);
  });

  it('sends later connections to a role to its new endpoint', async () => {
    mesh = await ProxyMesh.start(options());
    const moved = await Target.start({ echo: true });
    try {
      mesh.setEndpoint('c', moved.endpoint);
      expect(await (await dialAs('a', 'c')).roundTrip('a')).toBe('a');
      expect(await (await dialAs('b', 'c')).roundTrip('b')).toBe('b');
      expect(moved.peers).toHaveLength(2);
      expect(targets.c!.peers).toHaveLength(0);
    } finally {
      await mesh.close();
      await moved.close();
    }
  });

  it('closes every proxy and socket, leaving no handle open', async () => {
    mesh = await ProxyMesh.start(options());
    const client = await dialAs('a', 'b');
    expect(await client.roundTrip('x')).toBe('x');
    await mesh.close();
    await client.waitClosed();
    expect(mesh.proxies.every((proxy) => !proxy.listening && proxy.openConnections === 0)).toBe(true);
    for (const target of Object.values(targets)) await target.close();
    expect(await tcpHandlesDownTo(handlesBefore)).toBe(handlesBefore);
  });

  it('closes the proxies it started when another cannot start', async () => {
    const endpoints = { a: targets.a!.endpoint, b: targets.b!.endpoint };
    await expect(ProxyMesh.start(options({ endpoints }))).rejects.toThrow(ProxyTargetError);
    for (const target of Object.values(targets)) await target.close();
    expect(await tcpHandlesDownTo(handlesBefore)).toBe(handlesBefore);
  });
});
