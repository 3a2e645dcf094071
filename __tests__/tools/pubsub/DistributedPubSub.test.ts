import { afterEach, describe, expect, it } from '@jest/globals';
import { Props, TestProbe, type ActorRef, type DeadLetter } from '../../../src/actors';
import { DistributedPubSub, InvalidPubSubSettingError } from '../../../src/tools';
import { startPubSubCluster, subscriberNodes, until, type PubSubCluster } from './helpers';

let running: PubSubCluster | undefined;

afterEach(() => {
  running?.stopAll();
  running = undefined;
});

async function cluster(roles: readonly string[] = ['a', 'b', 'c'], options?: Parameters<typeof startPubSubCluster>[1]): Promise<PubSubCluster> {
  running = await startPubSubCluster(roles, options);
  return running;
}

describe('DistributedPubSub', () => {
  it('is one extension per system with one mediator, and refuses different settings later', async () => {
    const { nodes } = await cluster(['a', 'b']);
    expect(DistributedPubSub.get(nodes.a.system)).toBe(nodes.a.pubsub);
    expect(DistributedPubSub.get(nodes.a.system, { gossipIntervalMs: 50 })).toBe(nodes.a.pubsub);
    expect(nodes.a.pubsub.mediator.toString()).toBe('actor://a/system/distributedPubSubMediator');
    expect(() => DistributedPubSub.get(nodes.a.system, { gossipIntervalMs: 60 })).toThrow(InvalidPubSubSettingError);
  });

  it('resolves subscribe once this node registered the subscriber, then spreads it to the other nodes', async () => {
    const { nodes } = await cluster();
    const probe = TestProbe.create(nodes.a.system);
    await nodes.a.pubsub.subscribe('orders', probe.ref);
    // Synchronously after the acknowledgement, this node's registry and its publish know the subscriber.
    expect(nodes.a.pubsub.topics()).toEqual(['orders']);
    expect(subscriberNodes(nodes.a, 'orders')).toEqual(['a']);
    nodes.a.pubsub.publish('orders', 'local');
    await expect(probe.expectMessage(1000)).resolves.toBe('local');
    await until(() => ['b', 'c'].every((r) => subscriberNodes(nodes[r], 'orders').join() === 'a'), 'b and c know the subscriber on a');
    expect(nodes.c.pubsub.topics()).toEqual(['orders']);
  });

  it('publishes to every subscriber on every node, each exactly once', async () => {
    const { nodes } = await cluster();
    const onA = TestProbe.create(nodes.a.system);
    const onB = [TestProbe.create(nodes.b.system), TestProbe.create(nodes.b.system)];
    const onC = TestProbe.create(nodes.c.system);
    await nodes.a.pubsub.subscribe('orders', onA.ref);
    for (const p of onB) await nodes.b.pubsub.subscribe('orders', p.ref);
    await nodes.c.pubsub.subscribe('orders', onC.ref);
    // The same subscriber registered through a second node's mediator still gets each message once.
    await nodes.b.pubsub.subscribe('orders', onC.ref);
    await until(() => subscriberNodes(nodes.b, 'orders').join() === 'a,b,b,c', 'b knows all four subscribers');
    const bystander = TestProbe.create(nodes.b.system);
    await nodes.a.pubsub.subscribe('marker', bystander.ref);
    for (const p of [onA, ...onB, onC]) await nodes.a.pubsub.subscribe('marker', p.ref);
    await until(() => nodes.b.pubsub.subscribers('marker').length === 5, 'b knows the marker subscribers');

    nodes.b.pubsub.publish('orders', { id: 1 });
    nodes.b.pubsub.publish('marker', 'end');
    for (const p of [onA, ...onB, onC]) {
      await expect(p.expectMessage(2000)).resolves.toEqual({ id: 1 });
      await expect(p.expectMessage(2000)).resolves.toBe('end');
    }
    // Not subscribed to 'orders': the marker published after it is the first thing it gets.
    await expect(bystander.expectMessage(2000)).resolves.toBe('end');
  });

  it('sends to a local subscriber when there is one, otherwise to one remote subscriber', async () => {
    const { nodes } = await cluster();
    const onA = TestProbe.create(nodes.a.system);
    const onB = TestProbe.create(nodes.b.system);
    await nodes.a.pubsub.subscribe('jobs', onA.ref);
    await nodes.b.pubsub.subscribe('jobs', onB.ref);
    await until(() => ['b', 'c'].every((r) => subscriberNodes(nodes[r], 'jobs').join() === 'a,b'), 'b and c know both subscribers');
    for (let i = 0; i < 10; i++) nodes.b.pubsub.send('jobs', `local ${i}`);
    for (let i = 0; i < 10; i++) await expect(onB.expectMessage(1000)).resolves.toBe(`local ${i}`);
    for (let i = 0; i < 20; i++) nodes.c.pubsub.send('jobs', `remote ${i}`);
    await until(() => onA.pending + onB.pending === 20, 'the 20 sends from c arrived');
    // Seeded random choice: both remote subscribers get some, each message goes to exactly one.
    expect(onA.pending).toBeGreaterThan(0);
    expect(onB.pending).toBeGreaterThan(0);
  });

  it('stops delivering after unsubscribe, on this node at once and on the others once they hear of it', async () => {
    const { nodes } = await cluster();
    const onA = TestProbe.create(nodes.a.system);
    const onC = TestProbe.create(nodes.c.system);
    await nodes.a.pubsub.subscribe('orders', onA.ref);
    await nodes.c.pubsub.subscribe('orders', onC.ref);
    await nodes.c.pubsub.subscribe('marker', onC.ref);
    await until(() => subscriberNodes(nodes.b, 'orders').join() === 'a,c' && nodes.b.pubsub.topics().includes('marker'), 'b knows both');
    await nodes.c.pubsub.unsubscribe('orders', onC.ref);
    expect(subscriberNodes(nodes.c, 'orders')).toEqual(['a']);
    await until(() => subscriberNodes(nodes.b, 'orders').join() === 'a', 'b forgot the subscriber on c');
    nodes.b.pubsub.publish('orders', 'after');
    nodes.b.pubsub.publish('marker', 'end');
    await expect(onA.expectMessage(1000)).resolves.toBe('after');
    await expect(onC.expectMessage(1000)).resolves.toBe('end');
    // The last subscriber gone, the topic is gone everywhere.
    await nodes.a.pubsub.unsubscribe('orders', onA.ref);
    await until(() => ['a', 'b', 'c'].every((r) => !nodes[r].pubsub.topics().includes('orders')), "'orders' is gone everywhere");
  });

  it('removes a subscriber that stops, everywhere', async () => {
    const { nodes } = await cluster();
    const worker = nodes.a.system.spawn(Props.fromReceive(() => undefined), 'worker');
    await nodes.a.pubsub.subscribe('orders', worker);
    await nodes.a.pubsub.subscribe('audit', worker);
    await until(() => nodes.c.pubsub.topics().join() === 'audit,orders', 'c knows both topics');
    nodes.a.system.stop(worker);
    await until(() => ['a', 'b', 'c'].every((r) => nodes[r].pubsub.topics().length === 0), 'every node forgot the stopped subscriber');
  });

  it('forgets a crashed member once it is downed, and ignores a late delta about it', async () => {
    const c = await cluster();
    const { nodes } = c;
    const onA = TestProbe.create(nodes.a.system);
    const onC = TestProbe.create(nodes.c.system);
    await nodes.a.pubsub.subscribe('orders', onA.ref);
    await nodes.c.pubsub.subscribe('orders', onC.ref);
    await until(() => ['a', 'b'].every((r) => subscriberNodes(nodes[r], 'orders').join() === 'a,c'), 'a and b know both');
    const lateDelta = { type: 'PubSubDelta', buckets: [{ owner: 'c#0', fromVersion: 0, version: 1, topics: [{ topic: 'orders', version: 1, subscribers: [onC.ref] }] }] };
    c.crash('c');
    await until(() => ['a', 'b'].every((r) => subscriberNodes(nodes[r], 'orders').join() === 'a'), 'a and b forgot c', 3000, c.logs);
    // A delta about c relayed late by a slower member is not taken.
    nodes.a.pubsub.mediator.tell(lateDelta, nodes.b.pubsub.mediator);
    nodes.a.pubsub.publish('orders', 'after');
    await expect(onA.expectMessage(1000)).resolves.toBe('after');
    expect(subscriberNodes(nodes.a, 'orders')).toEqual(['a']);
  });

  it('turns a publish with no subscriber into a DeadLetter event naming the topic', async () => {
    const { nodes } = await cluster(['a', 'b']);
    const letters: DeadLetter[] = [];
    nodes.a.system.eventStream.subscribe('DeadLetter', (e) => letters.push(e));
    nodes.a.pubsub.publish('nobody', 'hello');
    nodes.a.pubsub.send('nobody', 'hi');
    expect(letters.map((l) => [l.message, l.reason])).toEqual([
      ['hello', `no subscriber of topic "nobody" is known on node 'a'`],
      ['hi', `no subscriber of topic "nobody" is known on node 'a'`],
    ]);
  });

  it('rejects a bad topic or subscriber with a message naming the value', async () => {
    const { nodes } = await cluster(['a', 'b']);
    await expect(nodes.a.pubsub.subscribe('', TestProbe.create(nodes.a.system).ref)).rejects.toThrow('A pub/sub topic must be a non-empty string; it was given "".');
    await expect(nodes.a.pubsub.subscribe('t', { node: 'a', path: '/user/x' } as unknown as ActorRef)).rejects.toThrow('DistributedPubSub.subscribe needs an ActorRef');
  });
});

describe('DistributedPubSub gossip', () => {
  // A slow failure detector, so that cutting a link for a moment downs nobody.
  const SLOW_DETECTOR = { gossipIntervalMs: 20, heartbeatIntervalMs: 20, unreachableAfterMs: 3000, stableAfterMs: 3000, joinRetryIntervalMs: 20 };

  it('repairs an eager push that was lost on a cut link with the periodic gossip', async () => {
    const { nodes, network } = await cluster(['a', 'b', 'c'], { cluster: SLOW_DETECTOR, pubsub: { gossipIntervalMs: 100 } });
    const probe = TestProbe.create(nodes.a.system);
    network.blackhole('a', 'c');
    // The push to every Up member is sent before the acknowledgement: c's is lost on the cut link.
    await nodes.a.pubsub.subscribe('orders', probe.ref);
    network.heal();
    await until(() => subscriberNodes(nodes.b, 'orders').join() === 'a', 'b got the push');
    expect(nodes.c.pubsub.topics()).toEqual([]);
    await until(() => subscriberNodes(nodes.c, 'orders').join() === 'a', 'c learned of the subscriber by gossip', 3000);
  });

  it('asks for what it missed when a push arrives after a lost one', async () => {
    // Gossip rounds so rare that only the gap repair can bring c up to date within the test.
    const { nodes, network } = await cluster(['a', 'c'], { cluster: SLOW_DETECTOR, pubsub: { gossipIntervalMs: 60_000 } });
    const first = TestProbe.create(nodes.a.system);
    const second = TestProbe.create(nodes.a.system);
    network.blackhole('a', 'c');
    await nodes.a.pubsub.subscribe('orders', first.ref);
    network.heal();
    await nodes.a.pubsub.subscribe('audit', second.ref);
    await until(() => nodes.c.pubsub.topics().join() === 'audit,orders', 'c holds both changes of a', 3000);
  });
});
