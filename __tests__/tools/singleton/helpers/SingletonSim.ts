import { Actor, type ActorContext, type ActorSystem } from '../../../../src/actors';
import type { ClusterSettings } from '../../../../src/cluster';
import embeddedNodeFactory from '../../../../src/node/embeddedNode';
import type { NodeHandle } from '../../../../src/node/NodeFactory';
import { nodeRandom } from '../../../../src/node/nodeRandom';
import { InMemoryNetwork } from '../../../../src/transport';
import { createRng } from '../../../../src/util';
import { FakeClock } from '../../../cluster/helpers/FakeClock';

/** One lifecycle event of a singleton instance, in virtual time. */
export interface LifeRecord {
  readonly event: 'start' | 'stop';
  readonly node: string;
  readonly at: number;
}

/**
 * Several embedded nodes (the real `embeddedNodeFactory`) on one in-memory network, driven by a
 * `FakeClock`: deterministic, and fast, because virtual time moves only when the test advances it.
 * The default cluster settings apply, so a crashed node is downed after about 2 s of virtual time.
 */
export class SingletonSim {
  readonly clock = new FakeClock();
  readonly network: InMemoryNetwork;
  readonly logs: string[] = [];
  readonly handles = new Map<string, NodeHandle<ActorSystem>>();
  private readonly incarnations = new Map<string, number>();
  private readonly startedAt = this.clock.now();

  constructor(
    readonly roles: readonly string[],
    private readonly settings: Partial<ClusterSettings> = {},
  ) {
    this.network = new InMemoryNetwork({
      addresses: roles,
      clock: this.clock,
      rng: createRng(7),
      // One virtual millisecond per hop keeps deliveries ordered behind the timers that caused them.
      dispatch: (task) => void this.clock.schedule(1, task),
    });
  }

  /** Starts the nodes at `addresses` (in this order) and waits until every running node sees all of them Up. */
  async start(...addresses: string[]): Promise<void> {
    const pending = addresses.map((address) => this.startNode(address));
    await this.runUntil(() => pending.every((p) => p.settled), 30_000, `${addresses.join(', ')} started`);
    for (const p of pending) await p.promise;
    const running = [...this.handles.values()];
    await this.runUntil(() => running.every((h) => h.membersUp?.() === running.length), 30_000, `all ${running.length} members Up everywhere`);
  }

  /** The actor system of `address`. */
  system(address: string): ActorSystem {
    const handle = this.handles.get(address);
    if (handle === undefined) throw new Error(`No node runs at '${address}'.`);
    return handle.system;
  }

  /** Crashes `address`: its node aborts and the network drops everything to and from it. */
  crash(address: string): void {
    this.handles.get(address)?.crash?.();
    this.network.removeNode(address);
    this.handles.delete(address);
  }

  /** Stops `address` gracefully (the node leaves the cluster first); resolves once stopped. */
  leave(address: string): { done: boolean } {
    const handle = this.handles.get(address);
    if (handle === undefined) throw new Error(`No node runs at '${address}'.`);
    const state = { done: false };
    void Promise.resolve(handle.stop()).then(() => {
      state.done = true;
      this.network.removeNode(address);
      this.handles.delete(address);
    });
    return state;
  }

  /** Virtual time since the simulation started. */
  now(): number {
    return this.clock.now() - this.startedAt;
  }

  /** Advances virtual time in 5 ms steps until `predicate` holds; throws after `timeoutMs` with the views and the log. */
  async runUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<number> {
    const start = this.clock.now();
    for (;;) {
      // Let promise callbacks run between steps, as they would between real ticks.
      for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      if (predicate()) return this.clock.now() - start;
      if (this.clock.now() - start >= timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms of virtual time waiting until ${what}.\n${this.dump()}`);
      this.clock.advance(5);
    }
  }

  /** Advances virtual time by `ms`, letting promise callbacks run in between. */
  async run(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    await this.runUntil(() => this.clock.now() >= end, ms + 10, `${ms} ms passed`);
  }

  /** Every node's view and the last log lines, for failure messages. */
  dump(): string {
    const views = [...this.handles.values()].map((h) => h.describeMembership?.() ?? '');
    return `${views.join('\n')}\nlast log lines:\n${this.logs.slice(-40).join('\n')}`;
  }

  /** Aborts every node (for afterEach). */
  shutdown(): void {
    for (const address of [...this.handles.keys()]) this.crash(address);
  }

  private startNode(address: string): { settled: boolean; promise: Promise<void> } {
    const incarnation = this.incarnations.has(address) ? (this.incarnations.get(address) as number) + 1 : 0;
    this.incarnations.set(address, incarnation);
    const clock = this.clock;
    const state = { settled: false, promise: Promise.resolve() };
    state.promise = Promise.resolve(
      embeddedNodeFactory({
        role: address,
        roles: this.roles,
        seed: 42,
        incarnation,
        random: nodeRandom(42, address, incarnation),
        options: { cluster: this.settings },
        transport: this.network.transport(address),
        clock: { now: () => clock.now(), setTimeout: (fn, ms) => clock.schedule(ms, fn), setImmediate: (fn) => clock.schedule(0, fn) },
        log: (level, message) => this.logs.push(`${String(Math.round(this.now())).padStart(6)} ms ${address}#${incarnation} ${level}: ${message}`),
      }),
    ).then(
      (handle) => {
        this.handles.set(address, handle);
        state.settled = true;
      },
      (error: unknown) => {
        state.settled = true;
        throw error;
      },
    );
    return state;
  }
}

/**
 * A singleton actor for tests: records its start and stop (node and virtual time) in `records`,
 * answers `'where'` with its node and `{ echo }` with `{ echo, node }`, and keeps every other
 * message it received in `received` as `[node, message]`.
 */
export class Recorder extends Actor<unknown> {
  constructor(
    private readonly records: LifeRecord[],
    private readonly received: [string, unknown][] = [],
    /** How long `postStop` and each received message take (virtual time), to widen the windows a hand-over must handle. */
    private readonly slow: { readonly stopTakesMs?: number; readonly receiveTakesMs?: number } = {},
  ) {
    super();
  }

  override preStart(ctx: ActorContext<unknown>): void {
    this.records.push({ event: 'start', node: ctx.system.address, at: ctx.system.clock.now() });
  }

  override async postStop(ctx: ActorContext<unknown>): Promise<void> {
    await pause(ctx, this.slow.stopTakesMs);
    this.records.push({ event: 'stop', node: ctx.system.address, at: ctx.system.clock.now() });
  }

  async receive(message: unknown, ctx: ActorContext<unknown>): Promise<void> {
    await pause(ctx, this.slow.receiveTakesMs);
    if (message === 'where') ctx.reply(ctx.system.address);
    else if (typeof message === 'object' && message !== null && 'echo' in message) ctx.reply({ ...message, node: ctx.system.address });
    else this.received.push([ctx.system.address, message]);
  }
}

function pause(ctx: ActorContext<unknown>, ms: number | undefined): Promise<void> | undefined {
  if (ms === undefined || ms === 0) return undefined;
  return new Promise<void>((resolve) => ctx.system.scheduler.runOnce(ms, resolve));
}

/** How many instances ran at once at worst: `records` are in the order things happened (one process). */
export function maxConcurrent(records: readonly LifeRecord[]): number {
  let running = 0;
  let max = 0;
  for (const record of records) {
    running += record.event === 'start' ? 1 : -1;
    max = Math.max(max, running);
  }
  return max;
}

/** The nodes where an instance runs now, according to `records`. */
export function running(records: readonly LifeRecord[]): string[] {
  const live = new Map<string, number>();
  for (const r of records) live.set(r.node, (live.get(r.node) ?? 0) + (r.event === 'start' ? 1 : -1));
  return [...live].filter(([, n]) => n > 0).map(([node]) => node);
}
