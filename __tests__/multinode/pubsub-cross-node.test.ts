/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c"]}}
 */
import { DEFAULT_CLUSTER_SETTINGS, DistributedPubSub, TestProbe } from '../../dist/src';

// "Downing time": a crashed member is unreachable after unreachableAfterMs and downed once that
// has been stable for stableAfterMs. The survivors must have forgotten its subscribers 5 s later.
const DOWNING_MS = DEFAULT_CLUSTER_SETTINGS.unreachableAfterMs + DEFAULT_CLUSTER_SETTINGS.stableAfterMs;
const FORGOTTEN_WITHIN_MS = DOWNING_MS + 5000;

// Per role: this node's pub/sub, and one probe per role that is subscribed to 'marker' everywhere
// and to 'orders' where a test says so. Absence is proven with order, not with sleeps: b publishes
// to 'orders' and then to 'marker', so a probe that gets the marker first got no order.
let pubsub: DistributedPubSub;
let inbox: TestProbe;

function subscriberNodes(topic: string): string[] {
  return pubsub.subscribers(topic).map((ref) => ref.node).sort();
}

async function publishOnB(order: { id: number }): Promise<void> {
  await runOn('b', () => {
    pubsub.publish('orders', order);
    pubsub.publish('marker', `after order ${order.id}`);
  });
}

async function expectOrder(order: { id: number }): Promise<void> {
  await expect(inbox.expectMessage(5000)).resolves.toEqual(order);
  await expect(inbox.expectMessage(5000)).resolves.toBe(`after order ${order.id}`);
}

async function expectNoOrder(order: { id: number }): Promise<void> {
  await expect(inbox.expectMessage(5000)).resolves.toBe(`after order ${order.id}`);
}

describe.multinode('distributed pub/sub across nodes', () => {
  beforeAll(async () => {
    await multinode.awaitMembersUp(3, { timeoutMs: 10000 });
    pubsub = DistributedPubSub.get(multinode.system);
    inbox = TestProbe.create(multinode.system);
    await pubsub.subscribe('marker', inbox.ref);
    await eventually(() => expect(subscriberNodes('marker')).toEqual(['a', 'b', 'c']), { timeoutMs: 5000 });
    await barrier('ready');
  });

  it('delivers what b publishes to the subscribers on a and c, and to nobody else', async () => {
    await runOn(['a', 'c'], () => pubsub.subscribe('orders', inbox.ref));
    await barrier('subscribed');
    await runOn('b', async () => {
      await eventually(() => expect(subscriberNodes('orders')).toEqual(['a', 'c']), { timeoutMs: 5000 });
      expect(pubsub.topics()).toEqual(['marker', 'orders']);
    });
    await publishOnB({ id: 1 });
    await runOn(['a', 'c'], () => expectOrder({ id: 1 }));
    await runOn('b', () => expectNoOrder({ id: 1 }));
  });

  it('sends nothing to a node whose subscriber unsubscribed', async () => {
    await runOn('c', async () => {
      await pubsub.unsubscribe('orders', inbox.ref);
      expect(subscriberNodes('orders')).toEqual(['a']);
    });
    await barrier('unsubscribed');
    await runOn('b', () => eventually(() => expect(subscriberNodes('orders')).toEqual(['a']), { timeoutMs: 5000 }));
    await publishOnB({ id: 2 });
    await runOn('a', () => expectOrder({ id: 2 }));
    await runOn(['b', 'c'], () => expectNoOrder({ id: 2 }));
  });

  it("forgets a crashed subscriber's node within the downing time plus 5 s, and publishes to the rest", async () => {
    await runOn('c', () => pubsub.subscribe('orders', inbox.ref));
    await runOn(['a', 'b'], () => eventually(() => expect(subscriberNodes('orders')).toEqual(['a', 'c']), { timeoutMs: 5000 }));
    await barrier('c subscribed again');

    const crashedAt = Date.now();
    await runOn('a', () => fault.crash('c'));
    await barrier('crashed');

    await runOn(['a', 'b'], async () => {
      await eventually(() => expect(subscriberNodes('orders')).toEqual(['a']), { timeoutMs: FORGOTTEN_WITHIN_MS });
      expect(Date.now() - crashedAt).toBeLessThan(FORGOTTEN_WITHIN_MS);
      expect(subscriberNodes('marker')).toEqual(['a', 'b']);
      expect(pubsub.topics()).toEqual(['marker', 'orders']);
    });
    await barrier('forgotten');
    await publishOnB({ id: 3 });
    await runOn('a', () => expectOrder({ id: 3 }));
    await runOn('b', () => expectNoOrder({ id: 3 }));
  });
});
