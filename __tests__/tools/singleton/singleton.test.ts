import { afterEach, describe, expect, it } from '@jest/globals';
import { Props, ask, type ActorRef, type DeadLetter } from '../../../src/actors';
import { Cluster } from '../../../src/cluster';
import { ClusterSingleton } from '../../../src/tools';
import { Recorder, SingletonSim, maxConcurrent, running, type LifeRecord } from './helpers/SingletonSim';

let sim: SingletonSim | undefined;

afterEach(() => {
  sim?.shutdown();
  sim = undefined;
});

function newSim(roles: string[], settings = {}): SingletonSim {
  sim = new SingletonSim(roles, settings);
  return sim;
}

/** Inits singleton `name` (a `Recorder`) on every given node; returns the proxies by node. */
function initOn(
  s: SingletonSim,
  nodes: string[],
  records: LifeRecord[],
  received: [string, unknown][] = [],
  extra: object = {},
  slow: ConstructorParameters<typeof Recorder>[2] = {},
): Record<string, ActorRef> {
  const proxies: Record<string, ActorRef> = {};
  for (const node of nodes) {
    proxies[node] = ClusterSingleton.get(s.system(node)).init({ name: 'ledger', props: Props.create(() => new Recorder(records, received, slow)), ...extra });
  }
  return proxies;
}

describe('ClusterSingleton', () => {
  it('runs one instance, on the oldest member, and location() names it on every node', async () => {
    const s = newSim(['a', 'b', 'c']);
    await s.start('a', 'b', 'c');
    const records: LifeRecord[] = [];
    initOn(s, ['c', 'b', 'a'], records);
    await s.runUntil(() => ['a', 'b', 'c'].every((n) => ClusterSingleton.get(s.system(n)).location('ledger') === 'a'), 5000, 'every node locates the singleton on a');
    await s.run(1000);
    expect(records.map((r) => `${r.event}@${r.node}`)).toEqual(['start@a']);
    expect(ClusterSingleton.get(s.system('b')).location('unknown')).toBeUndefined();
  });

  it('routes tell and ask from every node to the instance, keeping the sender', async () => {
    const s = newSim(['a', 'b', 'c']);
    await s.start('a', 'b', 'c');
    const received: [string, unknown][] = [];
    const proxies = initOn(s, ['a', 'b', 'c'], [], received);
    const answers = ['a', 'b', 'c'].map((n) => ask(proxies[n], { echo: n }, { timeoutMs: 10_000 }));
    await s.runUntil(() => received.length === 0 && answers.length === 3, 10, 'asks sent');
    const settled: unknown[] = [];
    void Promise.all(answers).then((values) => settled.push(...values));
    await s.runUntil(() => settled.length === 3, 5000, 'all asks answered');
    expect(settled).toEqual([
      { echo: 'a', node: 'a' },
      { echo: 'b', node: 'a' },
      { echo: 'c', node: 'a' },
    ]);
    for (let i = 0; i < 5; i++) proxies.c.tell(`m${i}`);
    await s.runUntil(() => received.length === 5, 5000, 'five tells delivered');
    expect(received).toEqual([0, 1, 2, 3, 4].map((i) => ['a', `m${i}`]));
  });

  it('runs only on the addresses named by role; proxies buffer until it starts, then deliver in order', async () => {
    const s = newSim(['a', 'b', 'c']);
    await s.start('a', 'b');
    const records: LifeRecord[] = [];
    const received: [string, unknown][] = [];
    const proxies = initOn(s, ['a', 'b'], records, received, { role: ['c'] });
    for (let i = 0; i < 5; i++) proxies[i % 2 === 0 ? 'a' : 'b'].tell(`early${i}`);
    await s.run(2000);
    expect(records).toEqual([]);
    expect(ClusterSingleton.get(s.system('a')).location('ledger')).toBeUndefined();
    await s.start('c');
    initOn(s, ['c'], records, received, { role: 'c' });
    await s.runUntil(() => received.length === 5, 5000, 'the buffered messages delivered');
    expect(records.map((r) => `${r.event}@${r.node}`)).toEqual(['start@c']);
    expect(received.filter(([, m]) => String(m).match(/early[024]/)).map(([, m]) => m)).toEqual(['early0', 'early2', 'early4']);
    expect(received.every(([node]) => node === 'c')).toBe(true);
    expect(ClusterSingleton.get(s.system('a')).location('ledger')).toBe('c');
  });

  it('sends the oldest buffered message to dead letters when the buffer is full, with a log line naming the singleton and the size', async () => {
    const s = newSim(['a', 'b']);
    await s.start('a');
    const received: [string, unknown][] = [];
    const proxy = initOn(s, ['a'], [], received, { role: 'b', settings: { bufferSize: 3 } }).a;
    const dead: DeadLetter[] = [];
    s.system('a').eventStream.subscribe('DeadLetter', (e) => dead.push(e));
    for (let i = 1; i <= 5; i++) proxy.tell(`m${i}`);
    await s.run(500);
    expect(dead.map((d) => d.message)).toEqual(['m1', 'm2']);
    expect(dead[0].reason).toBe("the buffer of singleton proxy 'ledger' is full (bufferSize 3) while no instance is known");
    expect(s.logs.filter((l) => l.includes('dropped its oldest buffered'))).toEqual([
      expect.stringContaining("singleton proxy 'ledger' dropped its oldest buffered string message to dead letters: its buffer is full (bufferSize 3)"),
    ]);
    await s.start('b');
    initOn(s, ['b'], [], received, { role: 'b' });
    await s.runUntil(() => received.length === 3, 5000, 'the rest delivered');
    expect(received.map(([, m]) => m)).toEqual(['m3', 'm4', 'm5']);
  });

  it('hands over on a graceful leave: the old instance stops before the new one starts, and nothing sent meanwhile is lost', async () => {
    // b forms the cluster, so it is the oldest but not the leader (a, first in address order): the new
    // oldest, a, sees b exiting before b does. The instance takes 10 ms per message, so some are still
    // queued when it is told to stop, and 300 ms to stop.
    const s = newSim(['b', 'a', 'c']);
    await s.start('b');
    await s.start('a');
    await s.start('c');
    const records: LifeRecord[] = [];
    const received: [string, unknown][] = [];
    const proxies = initOn(s, ['a', 'b', 'c'], records, received, {}, { stopTakesMs: 300, receiveTakesMs: 10 });
    await s.runUntil(() => ClusterSingleton.get(s.system('c')).location('ledger') === 'b', 5000, 'c locates the singleton on b');
    expect(Cluster.get(s.system('c')).state().leader?.address).toBe('a');
    const left = s.leave('b');
    let sent = 0;
    await s.runUntil(
      () => {
        if (sent < 200) proxies.c.tell(`move${sent++}`);
        return left.done && running(records).includes('a') && sent === 200;
      },
      15_000,
      'b left and a runs the singleton',
    );
    await s.runUntil(() => received.length === 200, 10_000, 'every message sent during the move delivered');
    expect(records.map((r) => `${r.event}@${r.node}`)).toEqual(['start@b', 'stop@b', 'start@a']);
    expect(maxConcurrent(records)).toBe(1);
    expect(received.map(([, m]) => m)).toEqual(Array.from({ length: 200 }, (_, i) => `move${i}`));
    expect(received.some(([node]) => node === 'a')).toBe(true);
    expect(s.logs.join('\n')).toMatch(/singleton 'ledger' stopped on b#0 .*hand-over confirmed/);
  });

  it('returns to their proxy the messages that reach a leaving host late, after its hand-over', async () => {
    const s = newSim(['a', 'b', 'c']);
    await s.start('a', 'b', 'c');
    const records: LifeRecord[] = [];
    const received: [string, unknown][] = [];
    const proxies = initOn(s, ['a', 'b', 'c'], records, received);
    await s.runUntil(() => ClusterSingleton.get(s.system('c')).location('ledger') === 'a', 5000, 'c locates the singleton on a');
    // What c sends to a arrives 150 ms late: a has handed over (and b removed it) before the last of it arrives.
    s.network.delay('c', 'a', 150);
    const left = s.leave('a');
    let sent = 0;
    await s.runUntil(
      () => {
        if (sent < 100) proxies.c.tell(`late${sent++}`);
        return left.done && sent === 100;
      },
      15_000,
      'a left',
    );
    await s.runUntil(() => received.length === 100, 5000, 'every message delivered');
    expect(new Set(received.map(([, m]) => m)).size).toBe(100);
    expect(records.map((r) => `${r.event}@${r.node}`)).toEqual(['start@a', 'stop@a', 'start@b']);
  });

  it('waits for a leaving host whose instance stops slowly, even after that host was removed and past the removal margin', async () => {
    const s = newSim(['b', 'a', 'c']);
    await s.start('b');
    await s.start('a');
    await s.start('c');
    const records: LifeRecord[] = [];
    initOn(s, ['a', 'b', 'c'], records, [], { settings: { removalMarginMs: 500 } }, { stopTakesMs: 3000 });
    await s.runUntil(() => running(records).includes('b'), 5000, 'b runs the singleton');
    const left = s.leave('b');
    await s.runUntil(() => left.done && running(records).includes('a'), 15_000, 'b left and a runs the singleton');
    expect(records.map((r) => `${r.event}@${r.node}`)).toEqual(['start@b', 'stop@b', 'start@a']);
    expect(maxConcurrent(records)).toBe(1);
    expect(s.logs.join('\n')).not.toMatch(/taking over without it/);
  });

  it('fails over only after the host is downed (plus the removal margin), not while it is merely unreachable', async () => {
    const s = newSim(['a', 'b', 'c'], { splitBrainResolver: 'off' });
    await s.start('a', 'b', 'c');
    const records: LifeRecord[] = [];
    initOn(s, ['a', 'b', 'c'], records, [], { settings: { removalMarginMs: 700 } });
    await s.runUntil(() => running(records).includes('a'), 5000, 'a runs the singleton');
    s.crash('a');
    await s.runUntil(() => Cluster.get(s.system('b')).state().unreachable.some((m) => m.address === 'a'), 5000, 'b sees a unreachable');
    await s.run(5000);
    expect(records.map((r) => `${r.event}@${r.node}`)).toEqual(['start@a']);
    const downedAt = s.clock.now();
    Cluster.get(s.system('b')).down('a');
    await s.runUntil(() => records.length === 2, 5000, 'b starts the singleton');
    expect(records[1]).toMatchObject({ event: 'start', node: 'b' });
    expect(records[1].at - downedAt).toBeGreaterThanOrEqual(700);
    expect(records[1].at - downedAt).toBeLessThan(700 + 500);
  });

  it('fails over after a crash within the downing time plus 5 s, and the proxies buffer and follow', async () => {
    const s = newSim(['a', 'b', 'c']);
    await s.start('a', 'b', 'c');
    const records: LifeRecord[] = [];
    const proxies = initOn(s, ['a', 'b', 'c'], records);
    await s.runUntil(() => running(records).includes('a'), 5000, 'a runs the singleton');
    const crashedAt = s.clock.now();
    s.crash('a');
    // Messages already sent to a crashed host are lost; from the moment c sees it unreachable, its proxy buffers.
    await s.runUntil(() => Cluster.get(s.system('c')).state().unreachable.some((m) => m.address === 'a'), 5000, 'c sees a unreachable');
    const answer: unknown[] = [];
    void ask(proxies.c, 'where', { timeoutMs: 20_000 }).then((v) => answer.push(v));
    await s.runUntil(() => answer.length === 1, 2000 + 5000, 'the proxy on c gets an answer from the new instance');
    expect(answer).toEqual(['b']);
    expect(records.map((r) => `${r.event}@${r.node}`)).toEqual(['start@a', 'start@b']);
    expect(records[1].at - crashedAt).toBeLessThan(2000 + 5000);
  });

  it('a minority that downs itself stops its instance before the majority starts one', async () => {
    const s = newSim(['a', 'b', 'c']);
    await s.start('a', 'b', 'c');
    const records: LifeRecord[] = [];
    initOn(s, ['a', 'b', 'c'], records);
    await s.runUntil(() => running(records).includes('a'), 5000, 'a runs the singleton');
    s.network.partition('a', ['b', 'c']);
    await s.runUntil(() => records.length === 3, 10_000, 'a stopped and b started the singleton');
    expect(records.map((r) => `${r.event}@${r.node}`)).toEqual(['start@a', 'stop@a', 'start@b']);
    expect(maxConcurrent(records)).toBe(1);
    expect(s.logs.join('\n')).toMatch(/singleton 'ledger' hands over because this node was downed/);
  });

  it('returns the same proxy when init is called again with the same name', async () => {
    const s = newSim(['a']);
    await s.start('a');
    const singleton = ClusterSingleton.get(s.system('a'));
    const first = singleton.init({ name: 'x', props: Props.create(() => new Recorder([])) });
    expect(singleton.init({ name: 'x', props: Props.create(() => new Recorder([])) })).toBe(first);
    expect(ClusterSingleton.get(s.system('a'))).toBe(singleton);
  });
});
