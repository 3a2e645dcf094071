import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Conductor } from '../../src/harness/Conductor';
import { BarrierFailedError, BarrierTimeoutError, RoleTerminatedError } from '../../src/harness/errors';
import { FaultTable, LINK_BLACKHOLED, LINK_PARTITIONED } from '../../src/harness/FaultTable';
import type { RoleNodeHost } from '../../src/harness/RoleNodeHost';
import type { NodeOp } from '../../src/harness/protocol';
import { TraceCollector } from '../../src/harness/TraceCollector';
import { serializeError } from '../../src/util/errors';
import { CONDUCTOR_SETTINGS, FakeClock } from './helpers';

const ROLES = ['a', 'b', 'c'] as const;
const [A, B, C] = [0, 1, 2];

/**
 * The conductor without role threads: control messages to other roles go nowhere (no port is
 * attached), so these tests drive it through its direct API, as the lead's own role does.
 */
describe('Conductor', () => {
  let clock: FakeClock;
  let table: FaultTable;
  let collector: TraceCollector;
  let leadHost: { crash: jest.Mock<() => Promise<void>>; stop: jest.Mock<() => Promise<void>>; start: jest.Mock<(incarnation: number) => Promise<void>> };
  let conductor: Conductor;

  beforeEach(() => {
    clock = new FakeClock(10_000);
    table = new FaultTable(3);
    collector = new TraceCollector({ testPath: 'x.test.ts', roles: ROLES, seed: 1, mode: 'threads' as const, modeFromEnv: false, startedAt: 10_000 });
    leadHost = {
      crash: jest.fn(async () => undefined),
      stop: jest.fn(async () => undefined),
      start: jest.fn(async (_incarnation: number) => undefined),
    };
    // The real NodeHost.run dispatches to these three.
    const run = (op: NodeOp, incarnation: number): Promise<void> => (op === 'start' ? leadHost.start(incarnation) : op === 'crash' ? leadHost.crash() : leadHost.stop());
    const host = { ...leadHost, run } as unknown as RoleNodeHost;
    conductor = new Conductor(ROLES, table, { holdsEveryNode: false, hostOf: (role) => (role === 'a' ? host : null), linksChanged: async () => undefined }, collector, clock, CONDUCTOR_SETTINGS);
  });

  const settle = <T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> =>
    promise.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );

  describe('barriers', () => {
    it('names the original root role and summary in a consequence of a consequence', async () => {
      // b waits at a barrier of all roles; c fails the test.
      const atB = settle(conductor.barrier({ role: 'b', testId: 't1', name: 'sync', roles: null, timeoutMs: 5_000 }));
      conductor.failedEarly('c', 't1', serializeError(new Error('expect(received).toBe(expected)\n\nExpected: 1')));
      const consequence = (await atB).error as BarrierFailedError;
      expect(consequence).toBeInstanceOf(BarrierFailedError);
      expect(consequence.consequence).toBe(true);
      expect(consequence.rootRole).toBe('c');
      expect(consequence.rootSummary).toBe('expect(received).toBe(expected)');
      // b's test then fails with only that consequence; a's barrier with b fails, still blaming c.
      conductor.done('b', 't1', { status: 'failed', durationMs: 1, errors: [serializeError(consequence)] });
      const atA = (await settle(conductor.barrier({ role: 'a', testId: 't1', name: 'pair', roles: ['a', 'b'], timeoutMs: 5_000 }))).error as BarrierFailedError;
      expect(atA.consequence).toBe(true);
      expect(atA.rootRole).toBe('c');
      expect(atA.rootSummary).toBe('expect(received).toBe(expected)');
      expect(atA.message).toBe(
        "Barrier 'pair' was abandoned because role 'c' failed this test (expect(received).toBe(expected)). This is a consequence of role c's failure, not a second root cause.",
      );
    });

    it('blames a role that failed with a root cause of its own, even if it also has consequences', async () => {
      const own = serializeError(new Error('timeout talking to the store'));
      const consequence = serializeError(new BarrierFailedError('abandoned', true, { role: 'c', summary: 'c broke' }));
      conductor.done('b', 't1', { status: 'failed', durationMs: 1, errors: [consequence, own] });
      const error = (await settle(conductor.barrier({ role: 'a', testId: 't1', name: 'x', roles: null, timeoutMs: 5_000 }))).error as BarrierFailedError;
      expect(error.rootRole).toBe('b');
      expect(error.rootSummary).toBe('timeout talking to the store');
    });

    it('says in a timeout what each missing role was doing: its test and its last log line', async () => {
      conductor.begin('c', 'pubsub delivers', 30_000);
      collector.add([{ type: 'log', level: 'info', message: 'subscribed to orders\nmore detail', time: 10_000, role: 'c', lamport: 1, test: 'pubsub delivers' }]);
      const atA = settle(conductor.barrier({ role: 'a', testId: 'pubsub delivers', name: 'joined', roles: ['a', 'c'], timeoutMs: 8_200 }));
      clock.advance(8_200);
      const error = (await atA).error as BarrierTimeoutError;
      expect(error).toBeInstanceOf(BarrierTimeoutError);
      expect(error.message).toBe(
        "Role 'a' waited 8200 ms (timeout 8200 ms) at barrier 'joined', but 'c' did not arrive:\n  role 'c' was running \"pubsub delivers\", last logged \"subscribed to orders\" 8.2 s ago.",
      );
    });

    it('says where a missing role is blocked: the barrier with the line that called it, since when, and its last log lines', async () => {
      conductor.begin('b', 'kv deletes', 30_000);
      collector.add([
        { type: 'log', level: 'info', message: 'put k', time: 11_000, role: 'b', lamport: 1, test: 'kv deletes' },
        { type: 'log', level: 'warn', message: 'no ack from c', time: 12_000, role: 'b', lamport: 2, test: 'kv deletes' },
        { type: 'barrier-enter', name: 'other', site: 'kv.test.ts:14:11', time: 14_000, role: 'b', lamport: 3, test: 'kv deletes' },
      ]);
      clock.advance(4_000);
      void settle(conductor.barrier({ role: 'b', testId: 'kv deletes', name: 'other', roles: ['b', 'c'], timeoutMs: 60_000 }));
      const atA = settle(conductor.barrier({ role: 'a', testId: 'kv deletes', name: 'x', roles: ['a', 'b'], timeoutMs: 1_500 }));
      clock.advance(1_500);
      expect(((await atA).error as Error).message).toBe(
        "Role 'a' waited 1500 ms (timeout 1500 ms) at barrier 'x', but 'b' did not arrive:\n  role 'b' was running \"kv deletes\", " +
          "was waiting at barrier 'other' (kv.test.ts:14:11) for 1.5 s, last did something 1.5 s ago (entered barrier 'other'), " +
          'last logged "no ack from c" 3.5 s ago (before that "put k" 4.5 s ago).',
      );
    });

    it('says when a missing role was between tests, waiting elsewhere and has logged nothing', async () => {
      void settle(conductor.barrier({ role: 'b', testId: null, name: 'other', roles: ['b', 'c'], timeoutMs: 60_000 }));
      const atA = settle(conductor.barrier({ role: 'a', testId: null, name: 'x', roles: ['a', 'b'], timeoutMs: 100 }));
      clock.advance(100);
      expect(((await atA).error as Error).message).toContain("role 'b' was between tests, was waiting at barrier 'other', has logged nothing.");
    });
  });

  describe('link faults', () => {
    it('partitions both directions between every pair of the two sides', async () => {
      await conductor.fault({ kind: 'partition', sideA: ['a'], sideB: ['b', 'c'] });
      expect([table.linkFaults(A, B).flags, table.linkFaults(B, A).flags, table.linkFaults(A, C).flags, table.linkFaults(C, A).flags]).toEqual(
        Array(4).fill(LINK_PARTITIONED),
      );
      expect(table.linkFaults(B, C).flags).toBe(0);
    });

    it('blackholes one direction only', async () => {
      await conductor.fault({ kind: 'blackhole', from: 'b', to: 'c' });
      expect(table.linkFaults(B, C).flags).toBe(LINK_BLACKHOLED);
      expect(table.linkFaults(C, B).flags).toBe(0);
    });

    it('sets delays and drop probabilities on one direction', async () => {
      await conductor.fault({ kind: 'delay', from: 'a', to: 'c', minMs: 5, maxMs: 50 });
      await conductor.fault({ kind: 'drop', from: 'c', to: 'a', probability: 0.25 });
      expect(table.linkFaults(A, C)).toEqual({ flags: 0, delayMinMs: 5, delayMaxMs: 50, dropProbability: 0 });
      expect(table.linkFaults(C, A)).toEqual({ flags: 0, delayMinMs: 0, delayMaxMs: 0, dropProbability: 0.25 });
    });

    it('heals the links between two sides, or everything', async () => {
      await conductor.fault({ kind: 'partition', sideA: ['a'], sideB: ['b', 'c'] });
      await conductor.fault({ kind: 'delay', from: 'b', to: 'c', minMs: 9, maxMs: 9 });
      await conductor.fault({ kind: 'heal', sideA: ['a'], sideB: ['b'] });
      expect(table.linkFaults(A, B).flags).toBe(0);
      expect(table.linkFaults(B, A).flags).toBe(0);
      expect(table.linkFaults(A, C).flags).toBe(LINK_PARTITIONED);
      await conductor.fault({ kind: 'heal' });
      for (const [from, to] of [[A, C], [C, A], [B, C]]) {
        expect(table.linkFaults(from!, to!)).toEqual({ flags: 0, delayMinMs: 0, delayMaxMs: 0, dropProbability: 0 });
      }
    });
  });

  describe('node faults on the lead', () => {
    it('crashes a running node once; crashing it again is a no-op', async () => {
      await conductor.fault({ kind: 'crash', role: 'a' });
      await conductor.fault({ kind: 'crash', role: 'a' });
      expect(table.nodeState(A)).toBe('crashed');
      expect(leadHost.crash).toHaveBeenCalledTimes(1);
      expect(table.runningCount()).toBe(2);
    });

    it('restarts a crashed node as the next incarnation, and bounces a running one', async () => {
      await conductor.fault({ kind: 'crash', role: 'a' });
      await conductor.fault({ kind: 'restart', role: 'a' });
      expect(leadHost.start).toHaveBeenLastCalledWith(1);
      expect(table.nodeState(A)).toBe('running');
      expect(table.incarnation(A)).toBe(1);
      await conductor.fault({ kind: 'restart', role: 'a' });
      expect(leadHost.crash).toHaveBeenCalledTimes(2);
      expect(leadHost.start).toHaveBeenLastCalledWith(2);
      expect(table.incarnation(A)).toBe(2);
    });

    it('lets a running node leave gracefully, once', async () => {
      await conductor.fault({ kind: 'leave', role: 'a' });
      await conductor.fault({ kind: 'leave', role: 'a' });
      expect(leadHost.stop).toHaveBeenCalledTimes(1);
      expect(table.nodeState(A)).toBe('departed');
    });

    it('marks the node crashed and names the incarnation when a restart fails to start', async () => {
      leadHost.start.mockRejectedValueOnce(new Error('port in use'));
      const { error } = await settle(conductor.fault({ kind: 'restart', role: 'a' }));
      expect((error as Error).message).toBe("fault.restart('a') could not start incarnation 1: port in use");
      expect(table.nodeState(A)).toBe('crashed');
      // The queue of faults goes on after a failure.
      await conductor.fault({ kind: 'restart', role: 'a' });
      expect(table.nodeState(A)).toBe('running');
    });
  });

  describe('terminated roles', () => {
    it('rejects node faults aimed at a terminated role, and stops barriers waiting for it', async () => {
      const atA = settle(conductor.barrier({ role: 'a', testId: 't1', name: 'x', roles: ['a', 'b'], timeoutMs: 5_000 }));
      conductor.terminate('b', 'it hung');
      expect(await atA).toEqual({ value: undefined });
      expect(table.nodeState(B)).toBe('terminated');
      const { error } = await settle(conductor.fault({ kind: 'crash', role: 'b' }));
      expect(error).toBeInstanceOf(RoleTerminatedError);
      expect((error as Error).message).toBe("fault.crash('b') cannot act: role 'b' was terminated, so it has no node any more.");
      expect(collector.build(0).roleErrors).toMatchObject([{ role: 'b', error: { message: "Role 'b' was terminated: it hung." } }]);
    });

    it('never terminates the lead', () => {
      conductor.terminate('a', 'whatever');
      expect(table.nodeState(A)).toBe('running');
      expect(collector.build(0).roleErrors).toEqual([]);
    });
  });
});
