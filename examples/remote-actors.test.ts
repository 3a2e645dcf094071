/**
 * Example 2: actors that talk across roles.
 *
 * Each role's node is an actor system. An actor spawned on one role can be reached from another
 * with `system.refFor(node, path)`; refs can travel inside messages; `ask` sends a message and
 * waits for the reply; and `watch` tells you when a remote actor is gone, including when its
 * whole node crashes and the cluster downs it.
 */
import { Actor, ask, Props, TestProbe, type ActorContext, type ActorRef } from 'jest-environment-multinode/actors';

/** The messages of a tiny key-value store. `get` carries the ref the answer should go to. */
type KvMessage =
  | { type: 'put'; key: string; value: string }
  | { type: 'get'; key: string; replyTo: ActorRef<string | null> };

class KeyValueStore extends Actor<KvMessage> {
  private readonly data = new Map<string, string>();

  receive(message: KvMessage, ctx: ActorContext<KvMessage>): void {
    switch (message.type) {
      case 'put':
        this.data.set(message.key, message.value);
        ctx.log.info(`stored ${message.key}`);
        return;
      case 'get':
        // `replyTo` arrived inside a message from another node, and still works as a ref.
        message.replyTo.tell(this.data.get(message.key) ?? null);
        return;
    }
  }
}

/** A ref to the store on role b; the same on every role, whether or not it is local. */
function store(): ActorRef<KvMessage> {
  return multinode.system.refFor('b', '/user/kv');
}

describe.multinode('remote actors', () => {
  beforeAll(async () => {
    // Hooks of a multi-node block run on every role too, so runOn and barrier work here as well.
    await runOn('b', () => multinode.system.spawn(Props.of(KeyValueStore), 'kv'));
    await barrier('kv-started');
  });

  it('asks an actor on another role and gets its answer', async () => {
    await runOn('a', async () => {
      store().tell({ type: 'put', key: 'greeting', value: 'hello from a' });
      // ask with a builder: the temporary reply ref is put inside the message as `replyTo`.
      const value = await ask<string | null>(store(), (replyTo) => ({ type: 'get', key: 'greeting', replyTo }), { timeoutMs: 3000 });
      expect(value).toBe('hello from a');
    });
    // Messages from one sender arrive in order, so b had stored the put before it answered a's get.
    // After the barrier, c reads the same value.
    await barrier('written');
    await runOn('c', async () => {
      const value = await ask<string | null>(store(), (replyTo) => ({ type: 'get', key: 'greeting', replyTo }), { timeoutMs: 3000 });
      expect(value).toBe('hello from a');
    });
  });

  it('delivers Terminated to watchers of a remote actor when its node crashes', async () => {
    // A TestProbe is an actor that records what it gets, with expectations that wait (no sleeps).
    const probe = TestProbe.create(multinode.system);
    await runOn(['a', 'c'], () => probe.watch(store()));
    await barrier('watching');

    await runOn('a', () => fault.crash('b'));
    await barrier('b-crashed');

    // b's actors cannot say goodbye: the notice comes once the cluster has downed b (about 2 s).
    await runOn(['a', 'c'], async () => {
      const terminated = await probe.expectTerminated(store(), 10000);
      expect(terminated.addressTerminated).toBe(true);
    });
  });
});
