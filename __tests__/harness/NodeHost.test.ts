import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { HarnessTimeoutError, NodeError } from '../../src/harness/errors';
import type { LinkEndpoint } from '../../src/harness/LinkEndpoint';
import { NodeHost } from '../../src/harness/NodeHost';
import { harnessRealm } from '../../src/harness/NodeRealm';
import { TraceBuffer, type RawTraceEvent } from '../../src/harness/TraceBuffer';
import type { NodeContext, NodeFactory, NodeHandle } from '../../src/node/NodeFactory';
import type { Transport } from '../../src/transport/Transport';
import { FakeClock, flush, runUntilSettled, track } from './helpers';

const OPTIONS = { role: 'b', roles: ['a', 'b', 'c'], seed: 9, nodeOptions: { shards: 2 }, nodeTimeoutMs: 100, setupTimeoutMs: 1_000 };

describe('NodeHost', () => {
  let clock: FakeClock;
  let events: RawTraceEvent[];
  let trace: TraceBuffer;
  let order: string[];
  let links: { connect: jest.Mock<() => void>; open: jest.Mock<() => Transport>; cut: jest.Mock<() => void> };
  let factory: jest.Mock<NodeFactory>;
  let host: NodeHost;

  const handle = (system: unknown, more: Partial<NodeHandle> = {}): NodeHandle => ({
    system,
    stop: jest.fn(async () => {
      order.push('stop');
    }),
    crash: jest.fn(() => {
      order.push('crash');
    }),
    ...more,
  });

  beforeEach(() => {
    clock = new FakeClock();
    events = [];
    order = [];
    trace = new TraceBuffer('b', clock, (e) => events.push(e));
    const transport: Transport = { self: 'b', send: () => undefined, onMessage: () => () => undefined };
    links = {
      connect: jest.fn(),
      open: jest.fn(() => transport),
      cut: jest.fn(() => {
        order.push('cut');
      }),
    };
    factory = jest.fn<NodeFactory>(async (ctx: NodeContext) => handle({ incarnation: ctx.incarnation }));
    host = new NodeHost(OPTIONS, () => harnessRealm(async () => factory), links as unknown as LinkEndpoint, trace, clock);
  });

  const nodeEvents = (): unknown[] => events.filter((e) => e.type === 'node').map((e) => (e as { event: string; incarnation: number }).event + ' ' + (e as { incarnation: number }).incarnation);

  describe('start', () => {
    it('calls the factory with the role, roles, seed, incarnation, options, a fresh transport and a logger', async () => {
      expect(host.system).toBeUndefined();
      expect(host.incarnation).toBe(-1);
      await host.start(0);
      const ctx = factory.mock.calls[0]![0];
      expect(ctx).toMatchObject({ role: 'b', roles: ['a', 'b', 'c'], seed: 9, incarnation: 0, options: { shards: 2 } });
      expect(ctx.transport).toBe(links.open.mock.results[0]!.value);
      ctx.log('warn', 'from the node', { k: 1 });
      expect(events.at(-1)).toMatchObject({ type: 'log', level: 'warn', message: 'from the node', fields: { k: 1 }, role: 'b' });
      expect(host.system).toEqual({ incarnation: 0 });
      expect(host.isRunning).toBe(true);
      expect(host.incarnation).toBe(0);
      expect(nodeEvents()).toEqual(['started 0']);
    });

    it('gives each incarnation its own ctx.random stream, the same for the same seed, role and incarnation', async () => {
      const draw = (ctx: NodeContext): number[] => Array.from({ length: 5 }, () => ctx.random());
      await host.start(0);
      await host.crash();
      await host.start(1);
      const [first, second] = factory.mock.calls.map(([ctx]) => draw(ctx));
      for (const n of first!) expect(n >= 0 && n < 1).toBe(true);
      expect(new Set(first).size).toBe(5);
      expect(second).not.toEqual(first);

      const again = new NodeHost(OPTIONS, () => harnessRealm(async () => factory), links as unknown as LinkEndpoint, trace, clock);
      await again.start(0);
      expect(draw(factory.mock.calls[2]![0])).toEqual(first);
      const otherRole = new NodeHost({ ...OPTIONS, role: 'c' }, () => harnessRealm(async () => factory), links as unknown as LinkEndpoint, trace, clock);
      await otherRole.start(0);
      expect(draw(factory.mock.calls[3]![0])).not.toEqual(first);
    });

    it('refuses to start a second node while one is running', async () => {
      await host.start(0);
      await expect(host.start(1)).rejects.toThrow(
        new NodeError("Role 'b' already has a running node (incarnation 0); stop or crash it first."),
      );
      expect(factory).toHaveBeenCalledTimes(1);
    });

    it('wraps a factory failure, naming the role and incarnation, and cuts the links', async () => {
      factory.mockRejectedValueOnce(new Error('port in use'));
      await expect(host.start(3)).rejects.toThrow(new NodeError("The node of role 'b' (incarnation 3) failed to start: port in use"));
      expect(links.cut).toHaveBeenCalledTimes(1);
      expect(host.isRunning).toBe(false);
    });

    it('rejects a factory result that is not a node handle', async () => {
      for (const [result, shown] of [
        [null, 'null'],
        [42, 'number'],
        [{ system: 1 }, 'object'],
        [{ stop: () => undefined }, 'object'],
      ] as const) {
        factory.mockResolvedValueOnce(result as unknown as NodeHandle);
        await expect(host.start(0)).rejects.toThrow(
          `The node factory for role 'b' returned ${shown}; it must return { system, stop(), crash?() }.`,
        );
      }
      expect(links.cut).toHaveBeenCalledTimes(4);
      expect(host.isRunning).toBe(false);
    });

    it('gives up on a first start that does not resolve within the set-up deadline', async () => {
      factory.mockImplementationOnce(() => new Promise<NodeHandle>(() => undefined));
      const started = host.start(0).catch((e: unknown) => e);
      const error = (await runUntilSettled(clock, started, 10)) as Error;
      expect(error).toBeInstanceOf(NodeError);
      expect(error.message).toBe("The node of role 'b' (incarnation 0) failed to start: The node factory for role 'b' (incarnation 0) did not finish within 1000 ms; raise the setupTimeoutMs option if it needs longer.");
      expect(clock.now() - 1_000_000).toBe(1_000);
      expect(links.cut).toHaveBeenCalledTimes(1);
    });

    it('gives up on a restart that does not resolve within nodeTimeoutMs', async () => {
      factory.mockImplementationOnce(() => new Promise<NodeHandle>(() => undefined));
      const started = host.start(1).catch((e: unknown) => e);
      const error = (await runUntilSettled(clock, started, 10)) as Error;
      expect(error.message).toBe("The node of role 'b' (incarnation 1) failed to start: The node factory for role 'b' (incarnation 1) did not finish within 100 ms; raise the nodeTimeoutMs option if it needs longer.");
      expect(clock.now() - 1_000_000).toBe(100);
    });
  });

  describe('crash and stop', () => {
    it('crash cuts the links before calling crash(), keeps the last system, and is a no-op when not running', async () => {
      await host.start(0);
      await host.crash();
      expect(order).toEqual(['cut', 'crash']);
      expect(host.isRunning).toBe(false);
      expect(host.system).toEqual({ incarnation: 0 });
      await host.crash();
      await host.stop();
      expect(order).toEqual(['cut', 'crash']);
      expect(nodeEvents()).toEqual(['started 0', 'crashed 0']);
    });

    it('logs a crash() that fails instead of throwing', async () => {
      factory.mockResolvedValueOnce(
        handle('s', {
          crash: () => {
            throw new Error('already dead');
          },
        }),
      );
      await host.start(0);
      await expect(host.crash()).resolves.toBeUndefined();
      expect(events.at(-1)).toMatchObject({ type: 'log', level: 'warn', message: 'crash() of the node failed: already dead' });
    });

    it('stop stops the node gracefully, then cuts the links', async () => {
      await host.start(0);
      await host.stop();
      expect(order).toEqual(['stop', 'cut']);
      expect(host.isRunning).toBe(false);
      expect(nodeEvents()).toEqual(['started 0', 'stopped 0']);
    });

    it('cuts the links even when stop() fails, and passes the failure on', async () => {
      factory.mockResolvedValueOnce(
        handle('s', {
          stop: async () => {
            throw new Error('stuck');
          },
        }),
      );
      await host.start(0);
      await expect(host.stop()).rejects.toThrow('stuck');
      expect(links.cut).toHaveBeenCalledTimes(1);
      expect(host.isRunning).toBe(false);
    });

    it('starts the next incarnation after a crash', async () => {
      await host.start(0);
      await host.crash();
      await host.start(1);
      expect(host.system).toEqual({ incarnation: 1 });
      expect(host.incarnation).toBe(1);
      expect(links.open).toHaveBeenCalledTimes(2);
    });
  });

  describe('awaitMembersUp', () => {
    it('rejects when the node has no membersUp()', async () => {
      await host.start(0);
      await expect(host.awaitMembersUp(3, 1_000)).rejects.toThrow(
        "multinode.awaitMembersUp needs a node whose handle has membersUp(): number; the node of role 'b' has none. Add membersUp() to the NodeHandle your factory returns.",
      );
    });

    it('resolves once the node sees exactly the count, checking again as time passes', async () => {
      let up = 1;
      factory.mockResolvedValueOnce(handle('s', { membersUp: () => up }));
      await host.start(0);
      const waiting = track(host.awaitMembersUp(3, 1_000));
      clock.advance(100);
      await flush();
      expect(waiting.settled).toBe(false);
      up = 4;
      clock.advance(100);
      await flush();
      expect(waiting.settled).toBe(false);
      up = 3;
      await runUntilSettled(clock, waiting.promise, 20);
    });

    it("times out showing the node's membership view", async () => {
      factory.mockResolvedValueOnce(handle('s', { membersUp: () => 2, describeMembership: () => 'a Up\nb Up\nc Unreachable' }));
      await host.start(0);
      const result = host.awaitMembersUp(3, 200).catch((e: unknown) => e);
      const error = (await runUntilSettled(clock, result, 20)) as Error;
      expect(error).toBeInstanceOf(HarnessTimeoutError);
      expect(error.message).toBe("Role 'b' saw 2 members Up within 200 ms, not the 3 expected. Its membership view:\na Up\nb Up\nc Unreachable");
    });

    it('fails at once, with the reason and the view, when the node says the count can never be reached', async () => {
      let never: string | null = null;
      factory.mockResolvedValueOnce(handle('s', { membersUp: () => 2, describeMembership: () => 'a Up\nb Up\nc Down', whyNotMembersUp: () => never }));
      await host.start(0);
      const result = track(host.awaitMembersUp(3, 10_000).catch((e: unknown) => e));
      clock.advance(100);
      await flush();
      expect(result.settled).toBe(false);
      never = 'c#0 is down';
      const error = (await runUntilSettled(clock, result.promise, 20)) as Error;
      expect(error).toBeInstanceOf(NodeError);
      expect(error.message).toBe("Role 'b' can never see 3 members Up: c#0 is down. Its membership view:\na Up\nb Up\nc Down");
      expect(clock.now()).toBeLessThan(1_000_000 + 1_000);
    });
  });

  describe('inspect', () => {
    it("passes a copy of the query to the node's inspect and resolves with a copy of its answer", async () => {
      const answer = { keys: ['k'], nested: { n: 1 } };
      const inspect = jest.fn((query: unknown) => ({ ...answer, query }));
      factory.mockImplementation(async () => handle({}, { inspect }));
      await host.start(0);
      const query = { what: 'store' };
      const got = (await host.inspect(query)) as Record<string, unknown>;
      expect(got).toEqual({ ...answer, query });
      expect(inspect.mock.calls[0]![0]).not.toBe(query);
      expect(got.nested).not.toBe(answer.nested);
    });

    it('rejects, saying why, before a start, on a crashed node and on a handle without inspect', async () => {
      await expect(host.inspect(null)).rejects.toThrow("multinode.inspect: role 'b' has no node yet; it can be asked once its node has started.");
      await host.start(0);
      await expect(host.inspect(null)).rejects.toThrow("the node of role 'b' has none. Add inspect(query) to the NodeHandle your factory returns.");
      await host.crash();
      await expect(host.inspect(null)).rejects.toThrow(
        "multinode.inspect: the node of role 'b' (incarnation 0) is not running (it crashed or left), so it cannot answer; fault.restart('b') starts a new one.",
      );
    });

    it('names the field of a query or answer that cannot be cloned', async () => {
      factory.mockImplementation(async () => handle({}, { inspect: () => ({ ok: true, fn: () => 1 }) }));
      await host.start(0);
      await expect(host.inspect({ at: Symbol('x') })).rejects.toThrow(/the query cannot be structured-cloned: query\.at is/);
      await expect(host.inspect(null)).rejects.toThrow(/the answer cannot be structured-cloned: answer\.fn is/);
    });

    it('fails after nodeTimeoutMs when the node does not answer', async () => {
      factory.mockImplementation(async () => handle({}, { inspect: () => new Promise(() => undefined) }));
      await host.start(0);
      const error = await runUntilSettled(clock, host.inspect(null).then(() => null, (e: unknown) => e), 20);
      expect(error).toBeInstanceOf(HarnessTimeoutError);
      expect((error as Error).message).toBe("inspect() of role 'b' did not finish within 100 ms; raise the nodeTimeoutMs option if it needs longer.");
    });
  });
});
