import { Cluster, type ClusterEvent, type ClusterSettings } from '../../../src/cluster';
import { InMemoryNetwork, type InMemoryTransport } from '../../../src/transport';
import { createRng } from '../../../src/util/Rng';
import { FakeClock } from './FakeClock';

/** One running (or stopped) node of a simulated cluster. */
export interface SimNode {
  readonly address: string;
  readonly incarnation: number;
  readonly cluster: Cluster;
  readonly transport: InMemoryTransport;
  /** Every event this node's cluster emitted, in order. */
  readonly events: ClusterEvent[];
}

/**
 * Several cluster nodes on one in-memory network driven by a `FakeClock`: deterministic for a given
 * seed, and fast, because virtual time only moves when the test advances it.
 */
export class SimCluster {
  readonly clock = new FakeClock();
  readonly network: InMemoryNetwork;
  readonly logs: string[] = [];
  private readonly current = new Map<string, SimNode>();
  private readonly startedAt: number;

  constructor(
    readonly addresses: readonly string[],
    private readonly settings: Partial<ClusterSettings> = {},
    private readonly seed = 1,
  ) {
    this.startedAt = this.clock.now();
    this.network = new InMemoryNetwork({
      addresses,
      clock: this.clock,
      rng: createRng(seed),
      // One virtual millisecond per hop keeps deliveries ordered behind the timers that caused them.
      dispatch: (task) => void this.clock.schedule(1, task),
    });
  }

  /** Starts `address` with `incarnation` (default: one more than the last one started there, or 0). */
  start(address: string, incarnation?: number): SimNode {
    const previous = this.current.get(address);
    const inc = incarnation ?? (previous ? previous.incarnation + 1 : 0);
    const transport = this.network.transport(address);
    const cluster = Cluster.start({
      transport,
      incarnation: inc,
      seedNodes: this.addresses,
      clock: this.clock,
      rng: createRng(this.seed * 1000 + inc * 31 + this.addresses.indexOf(address)),
      log: (level, message) => this.logs.push(`${String(this.clock.now() - this.startedAt).padStart(6)} ms ${address}#${inc} ${level}: ${message}`),
      settings: this.settings,
    });
    const node: SimNode = { address, incarnation: inc, cluster, transport, events: [] };
    cluster.onEvent((event) => node.events.push(event));
    this.current.set(address, node);
    return node;
  }

  /** Starts every address, lead first. */
  startAll(): SimNode[] {
    return this.addresses.map((address) => this.start(address));
  }

  /** The latest node started at `address`. */
  node(address: string): SimNode {
    const node = this.current.get(address);
    if (!node) throw new Error(`No node was started at '${address}'.`);
    return node;
  }

  /** Kills `address` abruptly: its cluster aborts and the network drops everything to and from it. */
  crash(address: string): void {
    this.node(address).cluster.abort();
    this.network.removeNode(address);
  }

  /** Crashes `address` (if running) and starts its next incarnation. */
  restart(address: string): SimNode {
    this.crash(address);
    return this.start(address);
  }

  /** Moves virtual time forward by `ms`, running every timer and delivery due meanwhile. */
  advance(ms: number): void {
    this.clock.advance(ms);
  }

  /** Virtual time since the simulation started. */
  elapsedMs(): number {
    return this.clock.now() - this.startedAt;
  }

  /**
   * Advances virtual time in 10 ms steps until `predicate` holds; throws after `timeoutMs` of virtual
   * time with every node's view and the recent log, so a failure explains itself.
   */
  async runUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<number> {
    const start = this.clock.now();
    for (;;) {
      // Let promise callbacks (leave(), whenUp()) run between steps, as they would between real ticks.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (predicate()) return this.clock.now() - start;
      if (this.clock.now() - start >= timeoutMs) {
        throw new Error(`Timed out after ${timeoutMs} ms of virtual time waiting until ${what}.\n${this.dump()}`);
      }
      this.advance(10);
    }
  }

  /** Advances virtual time by `ms` in 10 ms steps, letting promise callbacks run in between. */
  async run(ms: number): Promise<void> {
    for (let left = ms; left > 0; left -= 10) {
      this.advance(Math.min(10, left));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Each running node's view plus the last log lines. */
  dump(): string {
    const views = [...this.current.values()].map((n) => n.cluster.describe()).join('\n');
    return `${views}\nLast log lines:\n${this.logs.slice(-40).join('\n')}`;
  }

  /** True when every listed node sees exactly `count` members Up and reachable, and a converged view. */
  allSeeUp(addresses: readonly string[], count: number): boolean {
    return addresses.every((a) => {
      const state = this.node(a).cluster.state();
      return state.phase === 'member' && state.convergence && this.node(a).cluster.membersUp() === count;
    });
  }
}
