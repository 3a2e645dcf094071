import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Actor, ActorInitializationError, ActorSystem, Props, TestProbe, ask, oneForOneStrategy, systemClock } from '../../src/actors';
import type { ActorContext, ActorFailed, Directive, SupervisorStrategy } from '../../src/actors';
import { FakeClock, captureLogger, nextEvent } from './helpers';

type Msg = { type: 'inc' } | { type: 'get' } | { type: 'boom'; async?: boolean };

const events: string[] = [];
let instances = 0;

class Stateful extends Actor<Msg> {
  private count = 0;
  private readonly id = ++instances;

  preStart(): void {
    events.push(`preStart#${this.id}`);
  }
  postStop(): void {
    events.push(`postStop#${this.id}`);
  }
  preRestart(ctx: ActorContext<Msg>, reason: unknown, message: unknown): void {
    events.push(`preRestart#${this.id}(${(reason as Error).message}, ${(message as Msg).type})`);
    super.preRestart(ctx, reason, message);
  }
  postRestart(ctx: ActorContext<Msg>, reason: unknown): void {
    events.push(`postRestart#${this.id}(${(reason as Error).message})`);
    super.postRestart(ctx, reason);
  }
  async receive(message: Msg, ctx: ActorContext<Msg>): Promise<void> {
    switch (message.type) {
      case 'inc':
        this.count++;
        return;
      case 'get':
        ctx.reply({ count: this.count, instance: this.id });
        return;
      case 'boom':
        if (message.async) await Promise.resolve();
        throw new Error('kaboom');
    }
  }
}

function supervised(directive: Directive, options: { maxRestarts?: number; withinMs?: number } = {}): Props<Msg> {
  return Props.of(Stateful).withSupervisorStrategy(oneForOneStrategy({ decider: () => directive, ...options }));
}

describe('supervision', () => {
  let system: ActorSystem;
  let clock: FakeClock;
  let log: ReturnType<typeof captureLogger>;

  beforeEach(() => {
    events.length = 0;
    instances = 0;
    clock = new FakeClock();
    log = captureLogger();
    system = ActorSystem.create('s', { clock, log });
  });

  afterEach(async () => {
    await system.terminate();
  });

  it('resume keeps the instance and its state and drops the failing message', async () => {
    const actor = system.spawn(supervised('resume'), 'r');
    actor.tell({ type: 'inc' });
    actor.tell({ type: 'boom' });
    actor.tell({ type: 'inc' });
    await expect(ask(actor, { type: 'get' })).resolves.toEqual({ count: 2, instance: 1 });
    expect(events).toEqual(['preStart#1']);
  });

  it('restart replaces the instance, runs the hooks in order and keeps the mailbox', async () => {
    const actor = system.spawn(supervised('restart'), 'r');
    const restarted = nextEvent(system, 'ActorRestarted');
    actor.tell({ type: 'inc' });
    actor.tell({ type: 'boom', async: true });
    actor.tell({ type: 'inc' });
    await expect(ask(actor, { type: 'get' })).resolves.toEqual({ count: 1, instance: 2 });
    await expect(restarted).resolves.toMatchObject({ ref: actor, reason: new Error('kaboom') });
    expect(events).toEqual(['preStart#1', 'preRestart#1(kaboom, boom)', 'postStop#1', 'postRestart#2(kaboom)', 'preStart#2']);
  });

  it('logs the failure with the actor path, the message type and the error', async () => {
    const actor = system.spawn(supervised('resume'), 'logged');
    actor.tell({ type: 'boom' });
    await ask(actor, { type: 'get' });
    expect(log.lines).toContainEqual({
      level: 'error',
      message: '[/user/logged] failed on a "boom" message: Error: kaboom',
      fields: { actor: '/user/logged', error: 'Error: kaboom' },
    });
  });

  it('stop stops the child and publishes the directive', async () => {
    const actor = system.spawn(supervised('stop'), 'doomed');
    const probe = TestProbe.create(system, { clock: systemClock });
    await probe.watch(actor);
    const failed = nextEvent(system, 'ActorFailed');
    actor.tell({ type: 'boom' });
    await expect(failed).resolves.toMatchObject({ directive: 'stop', restartLimitReached: false, error: new Error('kaboom') });
    await expect(probe.expectTerminated(actor)).resolves.toMatchObject({ existenceConfirmed: true });
    expect(events).toEqual(['preStart#1', 'postStop#1']);
  });

  it('escalate fails the parent, whose supervisor restarts it and so replaces the child', async () => {
    type ParentMsg = 'child-boom' | 'child-state';
    let parents = 0;
    class Parent extends Actor<ParentMsg> {
      readonly id = ++parents;
      supervisorStrategy: SupervisorStrategy = oneForOneStrategy({ decider: () => 'escalate' });
      preStart(ctx: ActorContext<ParentMsg>): void {
        ctx.spawn(Props.of(Stateful), 'child');
      }
      async receive(message: ParentMsg, ctx: ActorContext<ParentMsg>): Promise<void> {
        const child = ctx.child('child');
        if (child === undefined) throw new Error('no child');
        if (message === 'child-boom') child.tell({ type: 'boom' });
        else ctx.reply({ parent: this.id, child: await ask(child, { type: 'get' }) });
      }
    }
    const parent = system.spawn(Props.create(() => new Parent()), 'parent');
    const parentRestarted = nextEvent(system, 'ActorRestarted', (e) => e.ref.equals(parent));
    parent.tell('child-boom');
    await parentRestarted;
    await expect(ask(parent, 'child-state')).resolves.toEqual({ parent: 2, child: { count: 0, instance: 2 } });
    expect(events).toEqual(['preStart#1', 'postStop#1', 'preStart#2']);
  });

  it('stops a child that exceeds its restart limit within the window, and counts only the window', async () => {
    const actor = system.spawn(supervised('restart', { maxRestarts: 2, withinMs: 1000 }), 'flaky');
    const failures: ActorFailed[] = [];
    system.eventStream.subscribe('ActorFailed', (e) => failures.push(e));
    const get = (): Promise<unknown> => ask(actor, { type: 'get' });

    actor.tell({ type: 'boom' });
    await expect(get()).resolves.toMatchObject({ instance: 2 });
    clock.advance(600);
    actor.tell({ type: 'boom' });
    await expect(get()).resolves.toMatchObject({ instance: 3 });
    clock.advance(600); // the first restart is now outside the 1000 ms window
    actor.tell({ type: 'boom' });
    await expect(get()).resolves.toMatchObject({ instance: 4 });

    const probe = TestProbe.create(system, { clock: systemClock });
    await probe.watch(actor);
    actor.tell({ type: 'boom' }); // third restart within 1000 ms: over the limit
    await probe.expectTerminated(actor);
    expect(failures.map((f) => [f.directive, f.restartLimitReached])).toEqual([
      ['restart', false],
      ['restart', false],
      ['restart', false],
      ['stop', true],
    ]);
    expect(log.text()).toContain('/user/flaky failed again after 2 restart(s) within 1000 ms, its restart limit; stopping it');
  });

  it('stops an actor whose start fails, by default, with an ActorInitializationError', async () => {
    class Broken extends Actor {
      preStart(): void {
        throw new Error('no config');
      }
      receive(): void {}
    }
    const failed = nextEvent(system, 'ActorFailed');
    const broken = system.spawn(Props.create(() => new Broken()), 'broken');
    const event = await failed;
    expect(event.directive).toBe('stop');
    expect(event.error).toBeInstanceOf(ActorInitializationError);
    expect((event.error as Error).message).toBe('The actor /user/broken failed to start: Error: no config.');
    const probe = TestProbe.create(system, { clock: systemClock });
    await expect(probe.expectTerminated(broken)).resolves.toBeDefined();
  });

  it('prefers the strategy in the child props over the parent strategy', async () => {
    class Parent extends Actor<'spawn'> {
      supervisorStrategy = oneForOneStrategy({ decider: () => 'stop' });
      receive(_m: 'spawn', ctx: ActorContext<'spawn'>): void {
        ctx.reply(ctx.spawn(supervised('resume'), 'kid'));
      }
    }
    const parent = system.spawn(Props.create(() => new Parent()), 'p');
    const kid = await ask<ReturnType<typeof system.spawn<Msg>>>(parent, 'spawn');
    kid.tell({ type: 'inc' });
    kid.tell({ type: 'boom' });
    await expect(ask(kid, { type: 'get' })).resolves.toEqual({ count: 1, instance: 1 });
  });

  it('escalates when the decider itself throws', async () => {
    const strategy = oneForOneStrategy({
      decider: () => {
        throw new Error('decider bug');
      },
    });
    const failed = nextEvent(system, 'ActorFailed');
    const actor = system.spawn(Props.of(Stateful).withSupervisorStrategy(strategy), 'x');
    actor.tell({ type: 'boom' });
    await expect(failed).resolves.toMatchObject({ directive: 'escalate' });
    expect(log.text()).toContain('the supervisor decider threw (Error: decider bug); escalating the failure of /user/x');
  });
});
