import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { InvalidTransportConfigError } from './errors';
import type { MessageChannelTransportOptions } from './MessageChannelTransport';

function checkAddresses(addresses: readonly string[]): void {
  const seen = new Set<string>();
  for (const address of addresses) {
    if (address.length === 0) throw new InvalidTransportConfigError('Node addresses must be non-empty strings; an empty one was given.');
    if (seen.has(address)) throw new InvalidTransportConfigError(`The address '${address}' is given twice; node addresses must be unique.`);
    seen.add(address);
  }
}

/**
 * Creates a full mesh of `MessageChannel`s between `addresses`: N(N-1)/2 channels, and for every
 * address a map from each peer's address to the port that reaches it. Hand `mesh[a]` to node `a`
 * (for a Worker: in `workerData`, with `Object.values(mesh[a])` in `transferList`) and build
 * `new MessageChannelTransport({ self: a, peers: mesh[a] })` there.
 */
export function createMeshChannels(addresses: readonly string[]): Record<string, Record<string, MessagePort>> {
  checkAddresses(addresses);
  const mesh: Record<string, Record<string, MessagePort>> = {};
  for (const address of addresses) mesh[address] = {};
  for (let i = 0; i < addresses.length; i++) {
    for (let j = i + 1; j < addresses.length; j++) {
      const a = addresses[i] as string;
      const b = addresses[j] as string;
      const { port1, port2 } = new MessageChannel();
      (mesh[a] as Record<string, MessagePort>)[b] = port1;
      (mesh[b] as Record<string, MessagePort>)[a] = port2;
    }
  }
  return mesh;
}

/**
 * Creates a star: one channel per spoke to `hub`, and ready-made transport options per address
 * (the hub relays between spokes). Use when N(N-1)/2 ports is too many; every spoke-to-spoke
 * message then takes two hops through the hub's thread.
 */
export function createStarChannels(hub: string, spokes: readonly string[]): Record<string, MessageChannelTransportOptions> {
  checkAddresses([hub, ...spokes]);
  const hubPeers: Record<string, MessagePort> = {};
  const options: Record<string, MessageChannelTransportOptions> = {};
  for (const spoke of spokes) {
    const { port1, port2 } = new MessageChannel();
    hubPeers[spoke] = port1;
    options[spoke] = { self: spoke, hub, hubPort: port2, spokes: spokes.filter((other) => other !== spoke) };
  }
  options[hub] = { self: hub, peers: hubPeers, relay: true };
  return options;
}

/** The ports inside transport options, for the `transferList` of `new Worker` or `postMessage`. */
export function portsOf(options: MessageChannelTransportOptions): MessagePort[] {
  return 'hubPort' in options ? [options.hubPort] : Object.values(options.peers);
}
