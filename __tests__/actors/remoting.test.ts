import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  Actor,
  ActorRef,
  ActorSystem,
  AskTimeoutError,
  InMemoryNetwork,
  Props,
  Terminated,
  TestProbe,
  UncloneableMessageError,
  UnknownAddressError,
  ask,
  channel,
} from '../../src/actors';
import type { ActorContext, InMemoryTransport } from '../../src/actors';
import { FakeClock, captureLogger, nextEvent, withDeadline } from './helpers';

type KvMessage =
  | { type: 'put'; key: string; value: unknown }
  | { type: 'get'; key: string }
  | { type: 'get-to'; key: string; replyTo: ActorRef }
  | { type: 'subscribe'; subscribers: Map<string, ActorRef> };

class Kv extends Actor<KvMessage> {
  private readonly data = new Map<string, unknown>();

  receive(message: KvMessage, ctx: ActorContext<KvMessage>): void {
    switch (message.type) {
      case 'put':
        this.data.set(message.key, message.value);
        ctx.reply({ type: 'ok', by: ctx.self });
        return;
      case 'get':
        ctx.reply(this.data.get(message.key));
        return;
      case 'get-to':
        message.replyTo.tell({ key: message.key, value: this.data.get(message.key) }, ctx.self);
        return;
      case 'subscribe':
        for (const [name, ref] of message.subscribers) ref.tell(`hello ${name} from ${ctx.self.toString()}`);
        return;
    }
  }
}

describe('remoting over an in-memory network', () => {
  let network: InMemoryNetwork;
  let transports: Record<string, InMemoryTransport>;
  let a: ActorSystem;
  let b: ActorSystem;
  let c: ActorSystem;

  beforeEach(() => {
    network = new InMemoryNetwork();
    transports = { a: network.transport('a'), b: network.transport('b'), c: network.transport('c') };
    a = ActorSystem.create('a', { transport: transports.a, log: captureLogger() });
    b = ActorSystem.create('b', { transport: transports.b, log: captureLogger() });
    c = ActorSystem.create('c', { transport: transports.c, log: captureLogger() });
  });

  afterEach(async () => {
    await Promise.all([a.terminate(), b.terminate(), c.terminate()]);
  });

  it('tells and asks an actor on another node, with structured-clone semantics', async () => {
    b.spawn(Props.of(Kv), 'kv');
    const kv = a.refFor<KvMessage>('b', '/user/kv');
    const value = { list: [1, 2], when: new Date(0), nested: { set: new Set(['x']) } };
    const ack = await ask<{ type: string; by: ActorRef }>(kv, { type: 'put', key: 'k', value });
    expect(ack.by).toBeInstanceOf(ActorRef);
    expect(ack.by.toString()).toBe('actor://b/user/kv');
    value.list.push(3); // the copy on b is not affected
    await expect(ask(kv, { type: 'get', key: 'k' })).resolves.toEqual({ list: [1, 2], when: new Date(0), nested: { set: new Set(['x']) } });
  });

  it('revives refs inside messages so the receiver can use them, even across three nodes', async () => {
    b.spawn(Props.of(Kv), 'kv');
    const probe = TestProbe.create(c);
    const kv = a.refFor<KvMessage>('b', '/user/kv');
    await ask(kv, { type: 'put', key: 'k', value: 'v' });
    // a sends b a ref to c's probe; b replies there directly.
    kv.tell({ type: 'get-to', key: 'k', replyTo: a.refFor('c', probe.ref.path) });
    await expect(probe.expectMessage()).resolves.toEqual({ key: 'k', value: 'v' });
    expect(probe.lastSender?.toString()).toBe('actor://b/user/kv');
    // the sender ref works from c back to b
    probe.reply({ type: 'get', key: 'k' });
    await expect(probe.expectMessage()).resolves.toBe('v');
    const inMap = new Map([['probe', a.refFor('c', probe.ref.path)]]);
    kv.tell({ type: 'subscribe', subscribers: inMap });
    await expect(probe.expectMessage()).resolves.toBe('hello probe from actor://b/user/kv');
  });

  it('revives refs that point back to the receiving node as its live local refs', async () => {
    const local = a.spawn(Props.fromReceive(() => undefined), 'local');
    const echo = b.spawn(Props.fromReceive((m, ctx) => ctx.reply(m)), 'echo');
    const reply = await ask<{ ref: ActorRef }>(a.refFor('b', echo.path), { ref: local });
    expect(reply.ref).toBe(local);
  });

  it('fails at the sender with UncloneableMessageError naming the field', () => {
    const kv = a.refFor<KvMessage>('b', '/user/kv');
    const message = { type: 'put' as const, key: 'k', value: { ok: 1, callback: function onDone() {} } };
    expect(() => kv.tell(message)).toThrow(UncloneableMessageError);
    expect(() => kv.tell(message)).toThrow(
      "The message to 'actor://b/user/kv' cannot be sent: message.value.callback is a function (onDone), which structured clone cannot copy. " +
        'Send plain data (objects, arrays, strings, numbers, Map, Set, Date, typed arrays) instead.',
    );
    try {
      kv.tell(message);
    } catch (error) {
      expect(error).toMatchObject({ code: 'UNCLONEABLE_MESSAGE', path: 'message.value.callback' });
    }
  });

  it('rejects an ask with an uncloneable message', async () => {
    await expect(ask(a.refFor('b', '/user/x'), { p: Promise.resolve(1) })).rejects.toMatchObject({
      code: 'UNCLONEABLE_MESSAGE',
      path: 'message.p',
    });
  });

  it('throws at once for a node address the transport does not know', () => {
    expect(() => a.refFor('zz', '/user/x').tell('hi')).toThrow(UnknownAddressError);
  });

  it('publishes a dead letter on the receiving node for a missing remote actor', async () => {
    const deadLetter = nextEvent(b, 'DeadLetter');
    a.refFor('b', '/user/nobody').tell('lost');
    const event = await deadLetter;
    expect(event).toMatchObject({ message: 'lost', reason: 'no actor at this path' });
    expect(event.recipient.toString()).toBe('actor://b/user/nobody');
  });

  it('watches a remote actor and gets Terminated when it stops', async () => {
    const target = b.spawn(Props.fromReceive(() => undefined), 'target');
    const probe = TestProbe.create(a);
    const remote = a.refFor('b', '/user/target');
    await probe.watch(remote);
    // the watch message is on its way to b; a round trip on the same link makes sure it arrived
    await ask(a.refFor('b', b.spawn(Props.fromReceive((m, x) => x.reply(m))).path), 'sync');
    b.stop(target);
    const notice = await probe.expectTerminated(remote);
    expect(notice).toBeInstanceOf(Terminated);
    expect(notice).toMatchObject({ existenceConfirmed: true, addressTerminated: false });
  });

  it('answers a watch of a missing remote actor with an unconfirmed Terminated', async () => {
    const probe = TestProbe.create(a);
    await expect(probe.expectTerminated(a.refFor('b', '/user/never'))).resolves.toMatchObject({ existenceConfirmed: false });
  });

  it('sends Terminated to remote watchers on terminate, but nothing on abort', async () => {
    b.spawn(Props.fromReceive(() => undefined), 'graceful');
    c.spawn(Props.fromReceive(() => undefined), 'crashed');
    const echoB = b.spawn(Props.fromReceive((m, x) => x.reply(m)));
    const echoC = c.spawn(Props.fromReceive((m, x) => x.reply(m)));
    const probe = TestProbe.create(a);
    await probe.watch(a.refFor('b', '/user/graceful'));
    await probe.watch(a.refFor('c', '/user/crashed'));
    await ask(a.refFor('b', echoB.path), 'sync');
    await ask(a.refFor('c', echoC.path), 'sync');

    const sentByC = jest.spyOn(transports.c, 'send');
    const sentByB = jest.spyOn(transports.b, 'send');
    c.abort();
    await b.terminate();
    const notice = await probe.expectMessage<Terminated>();
    expect(notice.ref.toString()).toBe('actor://b/user/graceful');
    expect(sentByB).toHaveBeenCalledWith('a', { ch: 'actors', m: { type: 'terminated', target: '/user/graceful', watcher: probe.ref.path, existenceConfirmed: true } });
    expect(sentByC).not.toHaveBeenCalled();
  });

  it('lets an ask time out when the link is cut, and shares the link with another channel', async () => {
    const clock = new FakeClock();
    const d = ActorSystem.create('d', { transport: network.transport('d'), clock, log: captureLogger() });
    const e = ActorSystem.create('e', { transport: network.transport('e'), log: captureLogger() });
    try {
      e.spawn(Props.fromReceive((m, x) => x.reply(m)), 'echo');
      const other = channel(network.transport('f'), 'gossip');
      const gossip: unknown[] = [];
      const unsubscribe = other.onMessage((_from, m) => gossip.push(m));
      const eGossip = channel(transportOf(e), 'gossip');
      eGossip.send('f', { round: 1 });

      await expect(withDeadline(ask(d.refFor('e', '/user/echo'), 'one'), 2000, 'the first reply')).resolves.toBe('one');
      network.partition('d', 'e');
      const answer = ask(d.refFor('e', '/user/echo'), { type: 'ping' }, { timeoutMs: 300 });
      clock.advance(300);
      const error = await answer.catch((x: unknown) => x);
      expect(error).toBeInstanceOf(AskTimeoutError);
      expect((error as Error).message).toContain('Ask to actor://e/user/echo timed out after 300 ms waiting for a reply to a "ping" message.');
      expect(gossip).toEqual([{ round: 1 }]);
      unsubscribe();
    } finally {
      await Promise.all([d.terminate(), e.terminate()]);
    }
  });

  it('stops receiving from the transport once terminated', async () => {
    await b.terminate();
    const letters: unknown[] = [];
    b.eventStream.subscribe('DeadLetter', (x) => letters.push(x));
    const probe = TestProbe.create(a);
    a.refFor('b', '/user/anything').tell('ignored');
    // a message from b's transport to a still flows: b's system is gone, not its link
    transports.b.send('a', { ch: 'actors', m: { type: 'tell', to: probe.ref.path, from: null, body: 'raw' } });
    await expect(probe.expectMessage()).resolves.toBe('raw');
    expect(letters).toEqual([]);
  });
});

function transportOf(system: ActorSystem) {
  if (system.transport === undefined) throw new Error('no transport');
  return system.transport;
}
