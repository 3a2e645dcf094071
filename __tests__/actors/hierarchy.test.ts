import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  Actor,
  ActorNameTakenError,
  ActorSystem,
  InvalidActorNameError,
  InvalidActorPathError,
  NotAChildError,
  Props,
  SystemTerminatedError,
  TestProbe,
  ask,
} from '../../src/actors';
import type { ActorContext, ActorRef } from '../../src/actors';
import { captureLogger, until } from './helpers';

type ParentMessage =
  | { type: 'spawn'; name?: string }
  | { type: 'children' }
  | { type: 'stop-child'; name: string }
  | { type: 'stop-other'; ref: ActorRef }
  | { type: 'whoami' };

class Parent extends Actor<ParentMessage> {
  receive(message: ParentMessage, ctx: ActorContext<ParentMessage>): void {
    switch (message.type) {
      case 'spawn':
        ctx.reply(ctx.spawn(Props.create(() => new Parent()), message.name).path);
        return;
      case 'children':
        ctx.reply(ctx.children.map((child) => child.path).sort());
        return;
      case 'stop-child': {
        const child = ctx.child(message.name);
        if (child !== undefined) ctx.stop(child);
        ctx.reply(child !== undefined);
        return;
      }
      case 'stop-other':
        try {
          ctx.stop(message.ref);
          ctx.reply('stopped');
        } catch (error) {
          ctx.reply(error);
        }
        return;
      case 'whoami':
        ctx.reply({ path: ctx.path, self: ctx.self.toString(), parent: ctx.parent?.path });
        return;
    }
  }
}

describe('children and paths', () => {
  let system: ActorSystem;

  beforeEach(() => {
    system = ActorSystem.create('node-1', { log: captureLogger() });
  });

  afterEach(async () => {
    await system.terminate();
  });

  it('places top-level actors under /user and children under their parent', async () => {
    const a = system.spawn(Props.of(Parent), 'a');
    expect(a.path).toBe('/user/a');
    expect(a.toString()).toBe('actor://node-1/user/a');
    await expect(ask(a, { type: 'spawn', name: 'b' })).resolves.toBe('/user/a/b');
    const b = system.lookup('/user/a/b') as ActorRef<ParentMessage>;
    expect(b).toBeDefined();
    await expect(ask(b, { type: 'whoami' })).resolves.toEqual({ path: '/user/a/b', self: 'actor://node-1/user/a/b', parent: '/user/a' });
    await expect(ask(b, { type: 'spawn', name: 'c' })).resolves.toBe('/user/a/b/c');
    await expect(ask(system.refFor('node-1', '/user/a/b/c'), { type: 'whoami' })).resolves.toMatchObject({ parent: '/user/a/b' });
  });

  it('generates unique $-names when no name is given', async () => {
    const a = system.spawn(Props.of(Parent), 'a');
    const first = await ask<string>(a, { type: 'spawn' });
    const second = await ask<string>(a, { type: 'spawn' });
    expect(first).toMatch(/^\/user\/a\/\$[a-z0-9]+$/);
    expect(second).not.toBe(first);
    await expect(ask(a, { type: 'children' })).resolves.toEqual([first, second].sort());
  });

  it('rejects a taken name until the old actor has stopped, then frees it', async () => {
    const first = system.spawn(Props.of(Parent), 'dup');
    expect(() => system.spawn(Props.of(Parent), 'dup')).toThrow(ActorNameTakenError);
    expect(() => system.spawn(Props.of(Parent), 'dup')).toThrow(
      "Cannot spawn 'dup' under /user: an actor with that name exists there. Pick another name, or wait for the old one to stop (watch it and wait for Terminated).",
    );
    const probe = TestProbe.create(system);
    system.stop(first);
    await probe.expectTerminated(first);
    expect(system.spawn(Props.of(Parent), 'dup').path).toBe('/user/dup');
  });

  it('rejects invalid names and paths with errors that say why', () => {
    expect(() => system.spawn(Props.of(Parent), 'a/b')).toThrow(InvalidActorNameError);
    expect(() => system.spawn(Props.of(Parent), '$x')).toThrow("names starting with '$' are reserved for generated names");
    expect(() => system.spawn(Props.of(Parent), '')).toThrow('names must be non-empty strings');
    expect(() => system.refFor('node-1', 'user/a')).toThrow(InvalidActorPathError);
    expect(() => system.refFor('node-1', '/user//a')).toThrow('The actor path "/user//a" is not valid: it has an empty segment.');
  });

  it('stops children with their parent, deepest first, running postStop on each', async () => {
    const stopped: string[] = [];
    class Node extends Actor<string> {
      preStart(ctx: ActorContext<string>): void {
        const depth = ctx.path.split('/').length;
        if (depth < 5) ctx.spawn(Props.create(() => new Node()), `n${depth}`);
      }
      postStop(ctx: ActorContext<string>): void {
        stopped.push(ctx.path);
      }
      receive(): void {}
    }
    const root = system.spawn(Props.create(() => new Node()), 'root');
    await until(() => system.lookup('/user/root/n3/n4') !== undefined, 'the grandchild exists');
    const probe = TestProbe.create(system);
    await probe.watch(root);
    const terminated = probe.expectTerminated(root);
    system.stop(root);
    await expect(terminated).resolves.toMatchObject({ existenceConfirmed: true });
    expect(stopped).toEqual(['/user/root/n3/n4', '/user/root/n3', '/user/root']);
    expect(system.lookup('/user/root/n3')).toBeUndefined();
  });

  it('lets an actor stop only itself and its own children', async () => {
    const a = system.spawn(Props.of(Parent), 'a');
    const other = system.spawn(Props.of(Parent), 'other');
    await ask(a, { type: 'spawn', name: 'kid' });
    await expect(ask(a, { type: 'stop-child', name: 'kid' })).resolves.toBe(true);
    const error = await ask(a, { type: 'stop-other', ref: other });
    expect(error).toBeInstanceOf(NotAChildError);
    expect((error as Error).message).toBe(
      '/user/a cannot stop actor://node-1/user/other: an actor can stop only itself and its own children. Send that actor a message asking it to stop instead.',
    );
  });

  it('refuses to spawn once the system has terminated', async () => {
    await system.terminate();
    expect(() => system.spawn(Props.of(Parent), 'late')).toThrow(SystemTerminatedError);
    expect(() => system.spawn(Props.of(Parent), 'late')).toThrow("The actor system at 'node-1' has terminated, so it cannot spawn 'late'.");
  });
});
