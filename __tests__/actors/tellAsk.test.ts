import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  Actor,
  ActorSystem,
  AskTimeoutError,
  InvalidArgumentError,
  Props,
  TestProbe,
  ask,
  systemClock,
} from '../../src/actors';
import type { ActorContext, ActorRef } from '../../src/actors';
import { FakeClock, captureLogger, nextEvent, until } from './helpers';

type CounterMessage = { type: 'add'; n: number } | { type: 'get' } | { type: 'slow-get' };

class Counter extends Actor<CounterMessage> {
  private total = 0;

  async receive(message: CounterMessage, ctx: ActorContext<CounterMessage>): Promise<void> {
    switch (message.type) {
      case 'add':
        this.total += message.n;
        return;
      case 'get':
        ctx.reply(this.total);
        return;
      case 'slow-get':
        await new Promise((resolve) => setImmediate(resolve));
        ctx.reply(this.total);
        return;
    }
  }
}

describe('tell and ask', () => {
  let system: ActorSystem;
  let clock: FakeClock;

  beforeEach(() => {
    clock = new FakeClock();
    system = ActorSystem.create('a', { clock, log: captureLogger() });
  });

  afterEach(async () => {
    await system.terminate();
  });

  it('processes told messages in order and answers an ask', async () => {
    const counter = system.spawn(Props.of(Counter), 'counter');
    for (let i = 1; i <= 100; i++) counter.tell({ type: 'add', n: i });
    await expect(ask(counter, { type: 'get' })).resolves.toBe(5050);
  });

  it('keeps the sender across awaits in an async receive', async () => {
    const counter = system.spawn(Props.of(Counter));
    counter.tell({ type: 'add', n: 2 });
    const [first, second] = await Promise.all([ask(counter, { type: 'slow-get' }), ask(counter, { type: 'get' })]);
    expect([first, second]).toEqual([2, 2]);
  });

  it('replies to the sender given to tell', async () => {
    const probe = TestProbe.create(system, { clock: systemClock });
    const echo = system.spawn(Props.fromReceive<string>((message, ctx) => ctx.reply(`echo:${message}`)), 'echo');
    echo.tell('hi', probe.ref);
    await expect(probe.expectMessage()).resolves.toBe('echo:hi');
    expect(probe.lastSender?.equals(echo)).toBe(true);
  });

  it('lets forward keep the original sender', async () => {
    const target = system.spawn(Props.fromReceive<string>((message, ctx) => ctx.reply(`${message} from target`)), 'target');
    const front = system.spawn(Props.fromReceive<string>((message, ctx) => ctx.forward(target, message)), 'front');
    await expect(ask(front, 'hello')).resolves.toBe('hello from target');
  });

  it('builds the message with the reply ref when given a function', async () => {
    type Get = { type: 'get'; replyTo: ActorRef<number> };
    const server = system.spawn(Props.fromReceive<Get>((message) => message.replyTo.tell(42)), 'server');
    await expect(ask<number>(server, (replyTo) => ({ type: 'get', replyTo }))).resolves.toBe(42);
  });

  it('times out on the injected clock with an error naming target, message type and timeout', async () => {
    const silent = system.spawn(Props.fromReceive(() => undefined), 'silent');
    const answer = ask(silent, { type: 'get' }, { timeoutMs: 250 });
    clock.advance(249);
    const settled = jest.fn();
    answer.then(settled, settled);
    await Promise.resolve();
    expect(settled).not.toHaveBeenCalled();
    clock.advance(1);
    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AskTimeoutError);
    expect(error).toMatchObject({ code: 'ASK_TIMEOUT', target: 'actor://a/user/silent', messageType: '"get"', timeoutMs: 250 });
    expect((error as Error).message).toBe(
      'Ask to actor://a/user/silent timed out after 250 ms waiting for a reply to a "get" message. ' +
        'Check that the actor replies to the sender (ctx.reply) and that its node is reachable, or raise timeoutMs.',
    );
  });

  it('says in the timeout error when the message went to dead letters', async () => {
    const answer = ask(system.refFor('a', '/user/nobody'), 'ping', { timeoutMs: 100 });
    clock.advance(100);
    await expect(answer).rejects.toThrow(
      'Ask to actor://a/user/nobody timed out after 100 ms waiting for a reply to a string message. ' +
        'The message was never delivered: actor://a/user/nobody: no actor at this path.',
    );
  });

  it('turns a reply that comes after the timeout into a dead letter', async () => {
    let pendingReply: ActorRef | undefined;
    const late = system.spawn(
      Props.fromReceive((_message, ctx) => {
        pendingReply = ctx.sender;
      }),
      'late',
    );
    const answer = ask(late, 'q', { timeoutMs: 10 });
    await until(() => pendingReply !== undefined, 'the actor got the question');
    clock.advance(10);
    await expect(answer).rejects.toBeInstanceOf(AskTimeoutError);
    const deadLetter = nextEvent(system, 'DeadLetter');
    pendingReply?.tell('too late');
    await expect(deadLetter).resolves.toMatchObject({ message: 'too late', reason: expect.stringContaining('already finished') });
  });

  it('rejects a timeout that is not a positive number', async () => {
    const echo = system.spawn(Props.fromReceive((m, ctx) => ctx.reply(m)));
    await expect(ask(echo, 'x', { timeoutMs: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(ask(echo, 'x', { timeoutMs: Number.NaN })).rejects.toThrow('timeoutMs must be a finite number of ms > 0; it was given NaN.');
  });
});
