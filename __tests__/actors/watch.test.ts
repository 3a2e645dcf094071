import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Actor, ActorSystem, Props, Terminated, TestProbe, ask } from '../../src/actors';
import type { ActorContext, ActorRef } from '../../src/actors';
import { captureLogger } from './helpers';

type WatcherMessage = { type: 'watch'; ref: ActorRef } | { type: 'unwatch'; ref: ActorRef } | Terminated;

/** Watches on command and reports every Terminated to `report`. */
class Watcher extends Actor<WatcherMessage> {
  constructor(private readonly report: ActorRef) {
    super();
  }

  receive(message: WatcherMessage, ctx: ActorContext<WatcherMessage>): void {
    if (message instanceof Terminated) {
      this.report.tell({ terminated: message.ref.path, existenceConfirmed: message.existenceConfirmed, addressTerminated: message.addressTerminated });
      return;
    }
    if (message.type === 'watch') ctx.watch(message.ref);
    else ctx.unwatch(message.ref);
    ctx.reply('ok');
  }
}

const idle = Props.fromReceive(() => undefined);

describe('death watch', () => {
  let system: ActorSystem;
  let probe: TestProbe;

  beforeEach(() => {
    system = ActorSystem.create('w', { log: captureLogger() });
    probe = TestProbe.create(system);
  });

  afterEach(async () => {
    await system.terminate();
  });

  it('delivers Terminated once the watched actor stops', async () => {
    const watcher = system.spawn(Props.of(Watcher, probe.ref), 'watcher');
    const target = system.spawn(idle, 'target');
    await ask(watcher, { type: 'watch', ref: target });
    system.stop(target);
    await expect(probe.expectMessage()).resolves.toEqual({ terminated: '/user/target', existenceConfirmed: true, addressTerminated: false });
  });

  it('delivers Terminated at once, unconfirmed, when the actor is already gone', async () => {
    const watcher = system.spawn(Props.of(Watcher, probe.ref), 'watcher');
    await ask(watcher, { type: 'watch', ref: system.refFor('w', '/user/ghost') });
    await expect(probe.expectMessage()).resolves.toEqual({ terminated: '/user/ghost', existenceConfirmed: false, addressTerminated: false });
  });

  it('delivers nothing after unwatch', async () => {
    const watcher = system.spawn(Props.of(Watcher, probe.ref), 'watcher');
    const target = system.spawn(idle, 'target');
    const other = system.spawn(idle, 'other');
    await ask(watcher, { type: 'watch', ref: target });
    await ask(watcher, { type: 'watch', ref: other });
    await ask(watcher, { type: 'unwatch', ref: target });
    system.stop(target);
    system.stop(other);
    // `other` stops after `target`; its notice arriving alone shows target's was never sent.
    await expect(probe.expectMessage()).resolves.toMatchObject({ terminated: '/user/other' });
    expect(probe.pending).toBe(0);
  });

  it('tells the parent about a stopped child when it watches it', async () => {
    class Supervisor extends Actor<Terminated | 'go'> {
      preStart(ctx: ActorContext<Terminated | 'go'>): void {
        ctx.watch(ctx.spawn(Props.fromReceive((_m, c) => c.stop()), 'short-lived'));
      }
      receive(message: Terminated | 'go', ctx: ActorContext<Terminated | 'go'>): void {
        if (message === 'go') ctx.child('short-lived')?.tell('die');
        else probe.ref.tell(`child ${message.ref.name} terminated; children left: ${ctx.children.length}`);
      }
    }
    const supervisor = system.spawn(Props.create(() => new Supervisor()), 'sup');
    supervisor.tell('go');
    await expect(probe.expectMessage()).resolves.toBe('child short-lived terminated; children left: 0');
  });

  it('turns addressTerminated into Terminated for watched actors of that node', async () => {
    const network = new (await import('../../src/actors')).InMemoryNetwork();
    const a = ActorSystem.create('a', { transport: network.transport('a'), log: captureLogger() });
    const b = ActorSystem.create('b', { transport: network.transport('b'), log: captureLogger() });
    try {
      b.spawn(idle, 'remote');
      const aProbe = TestProbe.create(a);
      const watcher = a.spawn(Props.of(Watcher, aProbe.ref), 'watcher');
      await ask(watcher, { type: 'watch', ref: a.refFor('b', '/user/remote') });
      b.abort();
      a.addressTerminated('b');
      await expect(aProbe.expectMessage()).resolves.toEqual({ terminated: '/user/remote', existenceConfirmed: true, addressTerminated: true });
    } finally {
      await a.terminate();
    }
  });
});
