import { afterEach, describe, expect, it } from '@jest/globals';
import { Actor, type ActorContext, Props } from '../../../src/actors';
import { ClusterSharding, InvalidDaemonSettingError, ShardedDaemonProcess, daemonTypeName, type DaemonInitOptions } from '../../../src/tools';
import { SingletonSim } from '../singleton/helpers/SingletonSim';

/** A worker that logs `index@node` when it starts and `-index@node` when it stops; 'stop' stops it. */
class Worker extends Actor<string> {
  constructor(private readonly log: string[], private readonly index: number) {
    super();
  }
  override preStart(ctx: ActorContext<string>): void {
    this.log.push(`${this.index}@${ctx.system.address}`);
  }
  override postStop(ctx: ActorContext<string>): void {
    this.log.push(`-${this.index}@${ctx.system.address}`);
  }
  receive(message: string, ctx: ActorContext<string>): void {
    if (message === 'stop') ctx.stop();
  }
}

const NODES = ['a', 'b', 'c'];
const N = 6;
// The default cluster settings down a crashed node after about 2 s.
const BOUND_MS = 2000 + 5000;

let sim: SingletonSim | undefined;
afterEach(() => {
  sim?.shutdown();
  sim = undefined;
});

async function daemonCluster(log: string[], options: Partial<DaemonInitOptions> = {}): Promise<SingletonSim> {
  const s = new SingletonSim(NODES);
  sim = s;
  await s.start(...NODES);
  for (const node of NODES) {
    ShardedDaemonProcess.get(s.system(node)).init({ name: 'indexer', numberOfInstances: N, props: (index) => Props.create(() => new Worker(log, index)), retryIntervalMs: 50, ...options });
  }
  return s;
}

/** index -> the nodes it runs on, from every live node's running(). */
function runningOn(s: SingletonSim, nodes: readonly string[]): Map<number, string[]> {
  const where = new Map<number, string[]>();
  for (const node of nodes) for (const index of ShardedDaemonProcess.get(s.system(node)).running('indexer')) where.set(index, [...(where.get(index) ?? []), node]);
  return where;
}

const allRunningOnce = (s: SingletonSim, nodes: readonly string[]): boolean => {
  const where = runningOn(s, nodes);
  return where.size === N && [...where.values()].every((on) => on.length === 1);
};

describe('ShardedDaemonProcess', () => {
  it('starts every index once, spread over the nodes, without any message from the test', async () => {
    const log: string[] = [];
    const s = await daemonCluster(log);
    await s.runUntil(() => allRunningOnce(s, NODES), 5000, 'every index running once');
    for (const node of NODES) expect(ShardedDaemonProcess.get(s.system(node)).running('indexer')).toHaveLength(N / NODES.length);
    // One shard per index.
    const hosted = NODES.flatMap((node) => ClusterSharding.get(s.system(node)).regionState(daemonTypeName('indexer')).hosted);
    expect([...hosted].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(log.filter((x) => x.startsWith('-'))).toEqual([]);
  });

  it("starts the indexes of a crashed node again on the survivors within the downing time + 5 s, and never runs one twice", async () => {
    const log: string[] = [];
    const s = await daemonCluster(log);
    await s.runUntil(() => allRunningOnce(s, NODES), 5000, 'every index running once');
    const onC = ShardedDaemonProcess.get(s.system('c')).running('indexer');
    expect(onC.length).toBeGreaterThan(0);
    const crashedAt = s.now();
    s.crash('c');
    let doubled = false;
    await s.runUntil(
      () => {
        doubled ||= [...runningOn(s, ['a', 'b']).values()].some((on) => on.length > 1);
        return allRunningOnce(s, ['a', 'b']);
      },
      BOUND_MS,
      "c's indexes running on a or b",
    );
    expect(s.now() - crashedAt).toBeLessThan(BOUND_MS);
    expect(doubled).toBe(false);
    for (const index of onC) expect(log).toContainEqual(expect.stringMatching(new RegExp(`^${index}@[ab]$`)));
  });

  it("survives the crash of the coordinator's node (the oldest) within the bound", async () => {
    const log: string[] = [];
    const s = await daemonCluster(log);
    await s.runUntil(() => allRunningOnce(s, NODES), 5000, 'every index running once');
    const crashedAt = s.now();
    s.crash('a');
    await s.runUntil(() => allRunningOnce(s, ['b', 'c']), BOUND_MS, "a's indexes running on b or c");
    expect(s.now() - crashedAt).toBeLessThan(BOUND_MS);
  });

  it('a worker that stops is started again by the next keep-alive, on the same node', async () => {
    const log: string[] = [];
    const s = await daemonCluster(log, { keepAliveIntervalMs: 300 });
    await s.runUntil(() => allRunningOnce(s, NODES), 5000, 'every index running once');
    const node = NODES.find((n) => ShardedDaemonProcess.get(s.system(n)).running('indexer').includes(2))!;
    s.system(node).refFor(node, '/system/sharding-daemon-indexer/2/2/worker-2').tell('stop');
    await s.runUntil(() => log.includes(`-2@${node}`), 500, 'worker 2 stopped');
    const stoppedAt = s.now();
    await s.runUntil(() => log.filter((x) => x === `2@${node}`).length === 2 && ShardedDaemonProcess.get(s.system(node)).running('indexer').includes(2), 1000, 'worker 2 started again');
    expect(s.now() - stoppedAt).toBeLessThanOrEqual(300 + 100);
  });

  it('rejects invalid options and settings with a sentence naming them and what is allowed', async () => {
    const s = await daemonCluster([]);
    const daemons = ShardedDaemonProcess.get(s.system('a'));
    const props = (): Props => Props.create(() => new Worker([], 0));
    const rejects = (options: unknown): InvalidDaemonSettingError => {
      try {
        daemons.init(options as DaemonInitOptions);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidDaemonSettingError);
        return error as InvalidDaemonSettingError;
      }
      throw new Error(`init accepted ${JSON.stringify(options)}`);
    };
    expect(rejects({ name: 'x', numberOfInstances: 0, props }).message).toBe("The option 'numberOfInstances' of sharded daemon process 'x' must be a whole number from 1 to 100000; it was given 0.");
    expect(rejects({ name: 'x', numberOfInstances: 2, props, keepAliveIntervalMs: 0 }).message).toBe(
      "Daemon setting 'keepAliveIntervalMs' in the options of sharded daemon process 'x' must be a whole number of milliseconds from 1 to 600000; it was given 0.",
    );
    expect(rejects({ name: 'x', numberOfInstances: 2, props, passivateIdleAfterMs: 10 }).setting).toBe('passivateIdleAfterMs');
    expect(rejects({ name: 'x', numberOfInstances: 2, props, handOffTimeoutMs: 'soon' }).setting).toBe('handOffTimeoutMs');
    expect(rejects({ name: 'x', numberOfInstances: 2, props, keepAlive: 5 }).message).toContain("Unknown sharding setting 'keepAlive'");
    expect(rejects({ name: 'a b', numberOfInstances: 2, props }).setting).toBe('name');
    expect(rejects({ name: 'x', numberOfInstances: 2, props: 'worker' }).setting).toBe('props');
    expect(rejects({ name: 'indexer', numberOfInstances: 3, props }).message).toBe("The sharded daemon process 'indexer' was started with numberOfInstances 6; it cannot start again with 3.");
    expect(daemons.running('unknown')).toEqual([]);
  });
});
