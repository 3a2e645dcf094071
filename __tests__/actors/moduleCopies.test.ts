import { describe, expect, it, jest } from '@jest/globals';
import * as first from '../../src/actors';

/**
 * Under the harness the runtime is loaded by the environment and the test file loads the package
 * again in Jest's sandbox: two copies of every module. Refs, Terminated notices and the default
 * decider must work across them.
 */
function loadSecondCopy(): typeof first {
  let copy: typeof first | undefined;
  jest.isolateModules(() => {
    copy = jest.requireActual<typeof first>('../../src/actors');
  });
  if (copy === undefined || copy.ActorRef === first.ActorRef) throw new Error('expected a second copy of the module');
  return copy;
}

describe('two copies of the actors module', () => {
  const second = loadSecondCopy();

  it('lets ask, instanceof and props from one copy work with a system from the other', async () => {
    const network = new first.InMemoryNetwork();
    const a = first.ActorSystem.create('a', { transport: network.transport('a'), log: first.silentLogger });
    const b = first.ActorSystem.create('b', { transport: network.transport('b'), log: first.silentLogger });
    try {
      // An actor class and props from the second copy, spawned by a system of the first.
      const echo = a.spawn(second.Props.fromReceive((message, ctx) => ctx.reply(message)), 'echo');
      expect(echo).toBeInstanceOf(second.ActorRef);
      await expect(second.ask(echo, 'hi')).resolves.toBe('hi');
      // A ref inside a message is recognised and serialized whichever copy checks it.
      const reply = await second.ask<{ ref: first.ActorRef }>(b.refFor('a', '/user/echo'), { ref: echo });
      expect(reply.ref).toBeInstanceOf(second.ActorRef);
      expect(reply.ref.equals(echo)).toBe(true);
      // Terminated notices made by the first copy are Terminated for the second.
      const probe = second.TestProbe.create(a);
      const terminated = probe.expectTerminated(echo);
      a.stop(echo);
      await expect(terminated).resolves.toBeInstanceOf(second.Terminated);
    } finally {
      await Promise.all([a.terminate(), b.terminate()]);
    }
  });

  it('stops a child whose start fails under a strategy built by the other copy', async () => {
    const system = first.ActorSystem.create('s', { log: first.silentLogger });
    try {
      class Broken extends second.Actor {
        preStart(): void {
          throw new Error('cannot start');
        }
        receive(): void {}
      }
      const failed = new Promise<first.ActorFailed>((resolve) => system.eventStream.subscribe('ActorFailed', resolve));
      system.spawn(second.Props.create(() => new Broken()).withSupervisorStrategy(second.oneForOneStrategy({ maxRestarts: 3 })));
      await expect(failed).resolves.toMatchObject({ directive: 'stop' });
    } finally {
      await system.terminate();
    }
  });
});
