import type { Endpoint } from './loopbackListen';
import type { FaultTable } from '../harness';
import type { PeerAddresses } from './protocol';
import { ProcessNodeClient, type ProcessNodeClientOptions } from './ProcessNodeClient';

/** The fault table's cells as a node process's replica takes them: a copy, safe to send. */
export function faultSnapshot(table: FaultTable): Int32Array {
  return new Int32Array(table.buffer).slice();
}

/** What every role's client of a file shares; the group makes one client per role. */
export type ProcessNodeGroupOptions = Omit<ProcessNodeClientOptions, 'role'>;

/**
 * Every role's node process of one test file: one `ProcessNodeClient` per role, with what they must
 * agree on kept in one place. A starting node is given every peer's address and the fault table as
 * they are, and its own address reaches the other nodes (acknowledged) before its factory runs;
 * `applyFaults` resolves once every node process has applied the table.
 */
export class ProcessNodeGroup {
  private readonly clients = new Map<string, ProcessNodeClient>();

  constructor(
    options: ProcessNodeGroupOptions,
    private readonly faults: FaultTable,
  ) {
    for (const role of options.roles) this.clients.set(role, new ProcessNodeClient({ ...options, role }));
  }

  /** The client of `role`, for its callbacks and commands; throws for an unknown role. */
  client(role: string): ProcessNodeClient {
    const client = this.clients.get(role);
    if (client === undefined) throw new RangeError(`There is no node process client for role '${role}'; the roles are ${[...this.clients.keys()].map((r) => `'${r}'`).join(', ')}.`);
    return client;
  }

  /** Where each role's process listens now (null for a role without one). */
  peers(): PeerAddresses {
    return Object.fromEntries([...this.clients].map(([role, client]) => [role, client.linkAddress]));
  }

  /** Starts `role`'s node as `incarnation` in a new process; see `ProcessNodeClient.start`. */
  start(role: string, incarnation: number, timeoutMs?: number): Promise<void> {
    return this.client(role).start(incarnation, {
      peers: () => this.peers(),
      faults: () => faultSnapshot(this.faults),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      whenListening: (link: Endpoint) => this.announce(role, link, timeoutMs),
    });
  }

  /** Starts every role's first incarnation at once. */
  async startAll(timeoutMs?: number): Promise<void> {
    await Promise.all([...this.clients.keys()].map((role) => this.start(role, 0, timeoutMs)));
  }

  /** Sends the fault table to every node process; resolves when all have acknowledged it. */
  async applyFaults(): Promise<void> {
    const cells = faultSnapshot(this.faults);
    await Promise.all([...this.clients.values()].map((client) => client.applyFaults(cells)));
  }

  /** Closes every client: no process, socket or timer remains. */
  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
  }

  /** Tells every other node process where `role` now listens, within the start's deadline. */
  private async announce(role: string, link: Endpoint, timeoutMs: number | undefined): Promise<void> {
    const peers = { ...this.peers(), [role]: link };
    await Promise.all([...this.clients].filter(([other]) => other !== role).map(([, client]) => client.setPeers(peers, timeoutMs)));
  }
}
