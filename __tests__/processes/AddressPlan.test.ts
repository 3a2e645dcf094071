import { createServer } from 'node:net';
import { AddressPlan, formatEndpoint } from '../../src/processes';

const ROLES = ['a', 'b', 'c'];

it('gives every role its own loopback address on Linux, and a port that can be listened on', async () => {
  const plan = await AddressPlan.create(ROLES);
  const endpoints = ROLES.map((role) => plan.nodeEndpoint(role));
  if (process.platform === 'linux') {
    const hosts = endpoints.map((endpoint) => endpoint.host);
    expect(new Set(hosts).size).toBe(3);
    for (const host of hosts) expect(host).toMatch(/^127\.(\d+)\.(\d+)\.(\d+)$/);
    expect(plan.proxyHost).toBe(hosts[0].replace(/\.1$/, '.254'));
  }
  for (const endpoint of endpoints) {
    expect(endpoint.port).toBeGreaterThan(0);
    await listenAndClose(endpoint.host, endpoint.port);
  }
});

it('falls back to 127.0.0.1 with a port per role where only 127.0.0.1 is loopback', async () => {
  const plan = await AddressPlan.create(ROLES, { platform: 'darwin' });
  const endpoints = ROLES.map((role) => plan.nodeEndpoint(role));
  expect(endpoints.map((endpoint) => endpoint.host)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
  expect(new Set(endpoints.map((endpoint) => endpoint.port)).size).toBe(3);
  expect(plan.proxyHost).toBe('127.0.0.1');
});

it('never gives the same endpoint twice across plans made at the same time, nodes and proxies', async () => {
  const plans = await Promise.all([AddressPlan.create(ROLES), AddressPlan.create(ROLES), AddressPlan.create(ROLES, { platform: 'darwin' }), AddressPlan.create(ROLES, { platform: 'darwin' })]);
  const proxies = await Promise.all(plans.flatMap((plan) => [plan.freeAddress(), plan.freeAddress(), plan.freeAddress()]));
  const all = [...plans.flatMap((plan) => [...plan.nodes.values()]), ...proxies].map(formatEndpoint);
  expect(new Set(all).size).toBe(all.length);
});

(process.platform === 'linux' ? it : it.skip)('uses the random block it is given, so two plans with the same seed still differ', async () => {
  let next = 0;
  const draws = [41, 7, 99, 200];
  const plan = await AddressPlan.create(['a'], { platform: 'linux', randomInt: () => draws[next++] });
  const other = await AddressPlan.create(['a'], { platform: 'linux', randomInt: () => draws[next++] });
  expect(plan.nodeEndpoint('a').host).toBe('127.42.7.1');
  expect(other.nodeEndpoint('a').host).toBe('127.100.200.1');
  expect(() => plan.nodeEndpoint('z')).toThrow("Role 'z' has no address in this plan; the roles are 'a'.");
});

function listenAndClose(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
