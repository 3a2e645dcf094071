import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  Actor,
  ActorSystem,
  ExtensionAlreadyRegisteredError,
  ExtensionKey,
  ExtensionNotFoundError,
  NoRemotingError,
  Props,
  SystemTerminatedError,
  TestProbe,
  ask,
  createRng,
} from '../../src/actors';
import type { ActorContext, DeadLetter } from '../../src/actors';
import { FakeClock, captureLogger, nextEvent, until } from './helpers';

describe('dead letters and the event stream', () => {
  let system: ActorSystem;
  let log: ReturnType<typeof captureLogger>;

  beforeEach(() => {
    log = captureLogger();
    system = ActorSystem.create('d', { log });
  });

  afterEach(async () => {
    await system.terminate();
  });

  it('publishes a DeadLetter for a message to a path with no actor', async () => {
    const probe = TestProbe.create(system);
    const deadLetter = nextEvent(system, 'DeadLetter');
    system.refFor('d', '/user/missing').tell({ type: 'hello' }, probe.ref);
    const event = await deadLetter;
    expect(event).toMatchObject({ message: { type: 'hello' }, reason: 'no actor at this path' });
    expect(event.recipient.toString()).toBe('actor://d/user/missing');
    expect(event.sender?.equals(probe.ref)).toBe(true);
    expect(log.text()).toContain('dead letter: a "hello" message to actor://d/user/missing was not delivered (no actor at this path)');
  });

  it('turns messages to a stopped actor, and those left in its mailbox, into dead letters', async () => {
    const letters: DeadLetter[] = [];
    system.eventStream.subscribe('DeadLetter', (e) => letters.push(e));
    class Stopper extends Actor<string> {
      receive(message: string, ctx: ActorContext<string>): void {
        if (message === 'stop') ctx.stop();
      }
    }
    const actor = system.spawn(Props.create(() => new Stopper()), 'stopper');
    const probe = TestProbe.create(system);
    await probe.watch(actor);
    actor.tell('stop');
    actor.tell('queued');
    await probe.expectTerminated(actor);
    actor.tell('after');
    expect(letters.map((l) => [l.message, l.reason])).toEqual([
      ['queued', 'the actor stopped before processing it'],
      ['after', 'no actor at this path'],
    ]);
  });

  it('sends a reply without a sender to dead letters', async () => {
    const actor = system.spawn(Props.fromReceive((m, ctx) => ctx.reply(m)), 'replier');
    const deadLetter = nextEvent(system, 'DeadLetter');
    actor.tell('no one asked');
    await expect(deadLetter).resolves.toMatchObject({ message: 'no one asked', reason: '/user/replier replied to a message that has no sender' });
  });

  it('publishes lifecycle events and UnhandledMessage, and unsubscribes', async () => {
    const seen: string[] = [];
    const unsubscribe = system.eventStream.subscribeAll((e) => seen.push(`${e.type}`));
    const started = nextEvent(system, 'ActorStarted', (e) => e.ref.path === '/user/x');
    const actor = system.spawn(Props.fromReceive((m, ctx) => ctx.unhandled(m)), 'x');
    await started;
    const unhandled = nextEvent(system, 'UnhandledMessage');
    actor.tell(42);
    await expect(unhandled).resolves.toMatchObject({ message: 42 });
    unsubscribe();
    system.stop(actor);
    await until(() => system.lookup('/user/x') === undefined, 'x stopped');
    expect(seen).toEqual(['ActorStarted', 'UnhandledMessage']);
  });

  it('logs and skips a subscriber that throws', async () => {
    system.eventStream.subscribe('DeadLetter', () => {
      throw new Error('bad subscriber');
    });
    const next = nextEvent(system, 'DeadLetter');
    system.deadLetters.tell('x');
    await expect(next).resolves.toMatchObject({ reason: 'it was sent to deadLetters' });
    expect(log.text()).toContain('an event-stream subscriber threw on DeadLetter: Error: bad subscriber');
  });

  it('logs from actors through the injected logger, naming the actor path', async () => {
    const actor = system.spawn(
      Props.fromReceive<string>((m, ctx) => {
        ctx.log.info(`got ${m}`, { size: m.length });
        ctx.reply('done');
      }),
      'chatty',
    );
    await ask(actor, 'hello');
    expect(log.lines).toContainEqual({ level: 'info', message: '[/user/chatty] got hello', fields: { actor: '/user/chatty', size: 5 } });
  });
});

describe('system lifecycle and extensions', () => {
  it('exposes address, clock, rng and log, and registers extensions by typed key', async () => {
    const clock = new FakeClock();
    const rng = createRng(7);
    const log = captureLogger();
    const system = ActorSystem.create('sys', { address: 'node-a', clock, rng, log });
    expect(system.address).toBe('node-a');
    expect(system.clock).toBe(clock);
    expect(system.rng).toBe(rng);
    expect(system.log).toBe(log);
    const Key = new ExtensionKey<{ hello(): string }>('greeter');
    system.registerExtension(Key, { hello: () => 'hi' });
    expect(system.extension(Key).hello()).toBe('hi');
    expect(system.findExtension('nothing')).toBeUndefined();
    expect(() => system.registerExtension(Key, { hello: () => 'again' })).toThrow(ExtensionAlreadyRegisteredError);
    expect(() => system.extension('cluster')).toThrow(ExtensionNotFoundError);
    expect(() => system.extension('cluster')).toThrow(
      "No extension 'cluster' is registered on this actor system (registered: 'greeter'). Register it with system.registerExtension first, or use findExtension to probe.",
    );
    await system.terminate();
  });

  it('refuses a remote ref without a transport', async () => {
    const system = ActorSystem.create('alone', { log: captureLogger() });
    expect(() => system.refFor('other', '/user/x')).toThrow(NoRemotingError);
    await system.terminate();
  });

  it('terminate runs hooks first, stops every actor with postStop, rejects pending asks, then resolves', async () => {
    const order: string[] = [];
    const system = ActorSystem.create('t', { log: captureLogger() });
    class Tracked extends Actor {
      postStop(ctx: ActorContext): void {
        order.push(`postStop ${ctx.path}`);
      }
      receive(): void {}
    }
    system.spawn(Props.create(() => new Tracked()), 'one');
    system.systemSpawn(Props.create(() => new Tracked()), 'ext');
    system.onTerminate(async (kind) => {
      order.push(`hook ${kind}`);
      await expect(ask(system.spawn(Props.fromReceive((m, c) => c.reply(m))), 'still works')).resolves.toBe('still works');
    });
    const pending = ask(system.spawn(Props.fromReceive(() => undefined), 'silent'), 'q');
    await system.terminate();
    expect(order).toEqual(['hook terminate', 'postStop /user/one', 'postStop /system/ext']);
    await expect(pending).rejects.toBeInstanceOf(SystemTerminatedError);
    expect(system.isTerminated).toBe(true);
    await expect(system.whenTerminated).resolves.toBeUndefined();
    await expect(ask(system.deadLetters, 'x')).rejects.toThrow("The actor system at 't' has terminated, so it cannot ask actor://t/deadLetters.");
  });

  it('abort stops everything at once: no postStop, hooks told it is an abort, asks rejected', async () => {
    const order: string[] = [];
    const system = ActorSystem.create('c', { log: captureLogger() });
    class Tracked extends Actor {
      postStop(): void {
        order.push('postStop');
      }
      receive(): void {}
    }
    const actor = system.spawn(Props.create(() => new Tracked()), 'one');
    await until(() => system.lookup('/user/one') !== undefined, 'started');
    system.onTerminate((kind) => {
      order.push(`hook ${kind}`);
    });
    const pending = ask(actor, 'q');
    system.abort();
    await expect(pending).rejects.toThrow("The actor system at 'c' has terminated, so it cannot answer an ask: it was aborted.");
    expect(order).toEqual(['hook abort']);
    expect(system.lookup('/user/one')).toBeUndefined();
    await system.terminate(); // a no-op after abort
    expect(order).toEqual(['hook abort']);
  });
});
