/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b"]}}
 */
import { Actor, ask, Props, TestProbe, type ActorContext, type ActorRef } from '../../dist/src';

/** Replies to every greeting with who answered and which node the asker lives on. */
const greeter = Props.fromReceive<{ name: string }>((message, ctx) => {
  ctx.reply(`hello ${message.name} from ${ctx.system.address}, asked from ${ctx.sender?.node}`);
});

type CounterMessage =
  | { type: 'add'; n: number }
  | { type: 'get'; replyTo: ActorRef<number> }
  | { type: 'subscribe'; subscriber: ActorRef<{ type: 'changed'; value: number }> };

/** A counter that answers `get` to the ref inside the message and notifies subscribers of changes. */
class Counter extends Actor<CounterMessage> {
  private value = 0;
  private readonly subscribers: ActorRef<{ type: 'changed'; value: number }>[] = [];

  receive(message: CounterMessage, _ctx: ActorContext<CounterMessage>): void {
    switch (message.type) {
      case 'add':
        this.value += message.n;
        for (const s of this.subscribers) s.tell({ type: 'changed', value: this.value });
        return;
      case 'get':
        message.replyTo.tell(this.value);
        return;
      case 'subscribe':
        this.subscribers.push(message.subscriber);
        return;
    }
  }
}

describe.multinode('remote actors', () => {
  beforeAll(async () => {
    await runOn('b', () => {
      multinode.system.spawn(greeter, 'greeter');
      multinode.system.spawn(Props.of(Counter), 'counter');
    });
    await barrier('spawned');
  });

  it('answers an ask from role a with an actor on role b', async () => {
    await runOn('a', async () => {
      const ref = multinode.system.refFor('b', '/user/greeter');
      await expect(ask(ref, { name: 'a' }, { timeoutMs: 3000 })).resolves.toBe('hello a from b, asked from a');
    });
  });

  it('delivers to refs carried inside messages, in both directions', async () => {
    await runOn('a', async () => {
      const counter: ActorRef<CounterMessage> = multinode.system.refFor('b', '/user/counter');
      // A ref to an actor on a travels to b inside a message; b uses it to notify a.
      const probe = TestProbe.create(multinode.system);
      counter.tell({ type: 'subscribe', subscriber: probe.ref });
      counter.tell({ type: 'add', n: 2 });
      counter.tell({ type: 'add', n: 3 });
      await expect(probe.expectMessage(3000)).resolves.toEqual({ type: 'changed', value: 2 });
      await expect(probe.expectMessage(3000)).resolves.toEqual({ type: 'changed', value: 5 });
      // ask with a builder puts the temporary reply ref inside the message.
      await expect(ask<number>(counter, (replyTo) => ({ type: 'get', replyTo }), { timeoutMs: 3000 })).resolves.toBe(5);
    });
  });
});
