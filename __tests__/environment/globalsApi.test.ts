import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { HarnessUsageError, createGlobals, type MultinodeGlobals } from '../../environment/globalsApi';
import type { HarnessClient } from '../../src/harness/HarnessClient';
import { BarrierTimeoutError, InvalidFaultError, UnknownRoleError } from '../../src/harness/errors';
import type { FaultCommand } from '../../src/harness/traceTypes';
import { flush, runUntilSettled } from '../harness/helpers';
import { FakeHarness, NO_HARNESS, ROLES } from './helpers/fakeHarness';

describe('createGlobals', () => {
  let harness: FakeHarness;
  let leadOnly: string | null;
  let globals: MultinodeGlobals;

  const make = (role: string, client: HarnessClient | null = null): MultinodeGlobals =>
    createGlobals({ role, roles: ROLES, seed: 42 }, () => client, harness.clock, () => leadOnly);

  beforeEach(() => {
    harness = new FakeHarness('b');
    leadOnly = null;
    globals = make('b', harness.client);
  });

  describe('multinode', () => {
    it("describes this role and the file's roles", () => {
      expect(globals.multinode).toMatchObject({ role: 'b', roles: ROLES, index: 1, isLead: false, seed: 42 });
      expect(make('a', harness.client).multinode).toMatchObject({ index: 0, isLead: true });
    });

    it("shows the node's system, and undefined without a harness", () => {
      expect(globals.multinode.system).toEqual({ name: 'the node' });
      harness.host.system = { name: 'restarted' };
      expect(globals.multinode.system).toEqual({ name: 'restarted' });
      expect(make('b', null).multinode.system).toBeUndefined();
    });

    it('awaits as many members Up as the fault table has running nodes by default', async () => {
      await globals.multinode.awaitMembersUp();
      expect(harness.host.awaitMembersUp).toHaveBeenLastCalledWith(3, 15_000);
      harness.table.setNodeState(2, 'crashed');
      harness.table.setNodeState(0, 'departed');
      await globals.multinode.awaitMembersUp();
      expect(harness.host.awaitMembersUp).toHaveBeenLastCalledWith(1, 15_000);
    });

    it('awaits the count and timeout it is given', async () => {
      await globals.multinode.awaitMembersUp(0, { timeoutMs: 500 });
      expect(harness.host.awaitMembersUp).toHaveBeenLastCalledWith(0, 500);
    });

    it('rejects a count that is not a whole number >= 0, and a bad timeout', async () => {
      for (const [count, shown] of [
        [-1, '-1'],
        [1.5, '1.5'],
        ['2', '"2"'],
      ] as const) {
        await expect(globals.multinode.awaitMembersUp(count as number)).rejects.toThrow(
          new HarnessUsageError(`multinode.awaitMembersUp needs a member count that is a whole number >= 0; it was given ${shown}.`),
        );
      }
      await expect(globals.multinode.awaitMembersUp(3, { timeoutMs: 0 })).rejects.toThrow('awaitMembersUp timeoutMs must be a positive number of milliseconds; it was 0.');
      expect(harness.host.awaitMembersUp).not.toHaveBeenCalled();
    });

    it("passes on the node host's rejection", async () => {
      harness.host.awaitMembersUp.mockRejectedValueOnce(new Error('saw 2 members Up'));
      await expect(globals.multinode.awaitMembersUp()).rejects.toThrow('saw 2 members Up');
    });
  });

  describe('runOn', () => {
    it('runs the function on a listed role and resolves with its result', async () => {
      await expect(globals.runOn('b', () => 7)).resolves.toBe(7);
      await expect(globals.runOn(['a', 'b'], async () => 'async')).resolves.toBe('async');
    });

    it('does not run the function on other roles and resolves undefined', async () => {
      const fn = jest.fn(() => 1);
      await expect(globals.runOn('a', fn)).resolves.toBeUndefined();
      await expect(globals.runOn(['a', 'c'], fn)).resolves.toBeUndefined();
      await expect(globals.runOn([], fn)).resolves.toBeUndefined();
      expect(fn).not.toHaveBeenCalled();
    });

    it('rejects unknown roles, naming them, on every role', async () => {
      const fn = jest.fn(() => 1);
      await expect(globals.runOn(['b', 'x', 'y'], fn)).rejects.toThrow(
        new UnknownRoleError(['x', 'y'], ROLES, 'runOn'),
      );
      await expect(globals.runOn('x', fn)).rejects.toThrow("runOn was given an unknown role 'x'; the roles of this file are 'a', 'b', 'c'.");
      expect(fn).not.toHaveBeenCalled();
    });

    it('rejects roles that are not names, and a missing function', async () => {
      await expect(globals.runOn(3 as unknown as string, () => 1)).rejects.toThrow(
        new HarnessUsageError('runOn needs a role name or an array of role names; it was given 3.'),
      );
      await expect(globals.runOn('b', undefined as unknown as () => 1)).rejects.toThrow('runOn needs a function to run; it was given undefined.');
    });

    it("passes on the function's error", async () => {
      await expect(
        globals.runOn('b', () => {
          throw new Error('inside');
        }),
      ).rejects.toThrow('inside');
    });

    it('works without a harness', async () => {
      await expect(make('b', null).runOn('b', () => 'still')).resolves.toBe('still');
    });
  });

  describe('barrier', () => {
    it('enters the barrier of the running test with every role and the default timeout, and traces enter and leave', async () => {
      harness.trace.currentTest = 'suite works';
      await globals.barrier('ready');
      expect(harness.barrier).toHaveBeenCalledWith('suite works', 'ready', null, 10_000);
      expect(harness.recorded()).toEqual([
        { type: 'barrier-enter', name: 'ready', site: expect.stringMatching(/globalsApi\.test\.ts:\d+:\d+$/) },
        { type: 'barrier-leave', name: 'ready', outcome: 'passed' },
      ]);
      expect(harness.events.map((e) => (e as { test?: unknown }).test)).toEqual(['suite works', 'suite works']);
    });

    it('passes its roles and timeout', async () => {
      await globals.barrier('pair', { roles: ['a', 'b'], timeoutMs: 250 });
      expect(harness.barrier).toHaveBeenCalledWith(null, 'pair', ['a', 'b'], 250);
    });

    it('records the leave when the barrier fails, and rejects with its error', async () => {
      const failure = new BarrierTimeoutError("Role 'b' waited 10000 ms at barrier 'x'");
      harness.barrier.mockRejectedValueOnce(failure);
      await expect(globals.barrier('x')).rejects.toBe(failure);
      expect(harness.recorded()).toEqual([
        { type: 'barrier-enter', name: 'x', site: expect.stringMatching(/globalsApi\.test\.ts:\d+:\d+$/) },
        { type: 'barrier-leave', name: 'x', outcome: 'failed' },
      ]);
    });

    it("gives a failure a stack that points at the test code that called barrier(), not at the harness", async () => {
      const failure = new BarrierTimeoutError('timed out');
      failure.stack = 'BarrierTimeoutError: timed out\n    at conductorInternals (/somewhere/Conductor.js:1:1)';
      harness.barrier.mockRejectedValueOnce(failure);
      async function waitAtTheBarrier(): Promise<unknown> {
        return globals.barrier('x').catch((e: unknown) => e);
      }
      const error = (await waitAtTheBarrier()) as Error;
      const lines = error.stack!.split('\n');
      expect(lines[0]).toBe('BarrierTimeoutError: timed out');
      expect(lines[1]).toMatch(/^\s+at waitAtTheBarrier \(.*globalsApi\.test\.ts:\d+:\d+\)$/);
      expect(error.stack).not.toContain('conductorInternals');
      expect(error.stack).not.toMatch(/environment[\\/]globalsApi\.ts/);
    });

    it('validates its name, timeout and roles before contacting the harness', async () => {
      const cases: Array<[() => Promise<void>, Error]> = [
        [() => globals.barrier(''), new HarnessUsageError('barrier needs a non-empty name; it was given "".')],
        [() => globals.barrier(5 as unknown as string), new HarnessUsageError('barrier needs a non-empty name; it was given 5.')],
        [() => globals.barrier('x', { timeoutMs: 0 }), new HarnessUsageError("barrier('x') timeoutMs must be a positive number of milliseconds; it was 0.")],
        [() => globals.barrier('x', { timeoutMs: -10 }), new HarnessUsageError("barrier('x') timeoutMs must be a positive number of milliseconds; it was -10.")],
        [() => globals.barrier('x', { timeoutMs: '5' as unknown as number }), new HarnessUsageError(`barrier('x') timeoutMs must be a positive number of milliseconds; it was "5".`)],
        [() => globals.barrier('x', { roles: ['b', 'zz'] }), new UnknownRoleError(['zz'], ROLES, "barrier('x') roles")],
        [() => globals.barrier('x', { roles: [] }), new HarnessUsageError("barrier('x') was given an empty roles list; name at least one role.")],
        [() => globals.barrier('x', { roles: [3] as unknown as string[] }), new HarnessUsageError("barrier('x') roles needs a role name or an array of role names; it was given [3].")],
      ];
      for (const [call, expected] of cases) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(expected.constructor);
        expect((error as Error).message).toBe(expected.message);
      }
      expect(harness.barrier).not.toHaveBeenCalled();
      expect(harness.events).toEqual([]);
    });

    it('rejects a call from a role outside its roles without contacting the harness', async () => {
      await expect(globals.barrier('pair', { roles: ['a', 'c'] })).rejects.toThrow(
        new HarnessUsageError("Role 'b' called barrier('pair'), but its roles are 'a', 'c'; call it only from those roles (for example inside runOn)."),
      );
      expect(harness.barrier).not.toHaveBeenCalled();
      expect(harness.events).toEqual([]);
    });

    it('rejects a barrier with other roles in a test that runs on the lead only', async () => {
      const lead = new FakeHarness('a');
      const globalsA = make('a', lead.client);
      leadOnly = 'top-level test';
      await expect(globalsA.barrier('x')).rejects.toThrow(
        new HarnessUsageError(
          `barrier('x') was called in "top-level test", a test outside describe.multinode that runs on the lead only, so 'b', 'c' can never reach it. Move the test into describe.multinode, or pass roles: ['a'].`,
        ),
      );
      expect(lead.barrier).not.toHaveBeenCalled();
      await globalsA.barrier('x', { roles: ['a'] });
      expect(lead.barrier).toHaveBeenCalledWith(null, 'x', ['a'], 10_000);
    });

    it('rejects with a clear message without a harness', async () => {
      await expect(make('b', null).barrier('x')).rejects.toThrow(new HarnessUsageError(`barrier('x') ${NO_HARNESS}`));
    });
  });

  describe('gather', () => {
    it('sends a copy of the value, resolves with the values, and traces sizes but not the values', async () => {
      harness.trace.currentTest = 'suite works';
      const value = { shards: [1, 2, 3] };
      harness.gather.mockResolvedValueOnce({ a: { shards: [] }, b: { shards: [1, 2, 3] } });
      const all = await globals.gather('homes', value, { roles: ['a', 'b'], timeoutMs: 500 });
      expect(all).toEqual({ a: { shards: [] }, b: { shards: [1, 2, 3] } });
      expect(harness.gather).toHaveBeenCalledWith('suite works', 'homes', ['a', 'b'], 500, { shards: [1, 2, 3] });
      expect(harness.gather.mock.calls[0]![4]).not.toBe(value);
      const [enter, leave] = harness.recorded() as Array<{ gather: { values: number; bytes: number } }>;
      expect(enter).toEqual({ type: 'barrier-enter', name: 'homes', gather: { values: 1, bytes: expect.any(Number) }, site: expect.stringMatching(/globalsApi\.test\.ts:\d+:\d+$/) });
      expect(leave).toEqual({ type: 'barrier-leave', name: 'homes', outcome: 'passed', gather: { values: 2, bytes: expect.any(Number) } });
      expect(enter!.gather.bytes).toBeGreaterThan(0);
      expect(leave!.gather.bytes).toBeGreaterThan(enter!.gather.bytes);
      expect(JSON.stringify(harness.recorded())).not.toContain('shards');
    });

    it('rejects a value that cannot be cloned at once, naming the field, without entering the gather', async () => {
      const value = { nested: new Map([['k', { handle: new WeakMap() }]]) };
      await expect(globals.gather('g', value)).rejects.toThrow(
        'gather(\'g\') cannot send its value: value.nested.get("k").handle is a WeakMap object, which structured clone cannot copy.',
      );
      expect(harness.gather).not.toHaveBeenCalled();
      expect(harness.recorded()).toEqual([]);
    });

    it('checks its name and roles as barrier does', async () => {
      await expect(globals.gather('', 1)).rejects.toThrow('gather needs a non-empty name; it was given "".');
      await expect(globals.gather('pair', 1, { roles: ['a', 'c'] })).rejects.toThrow(
        "Role 'b' called gather('pair'), but its roles are 'a', 'c'; call it only from those roles (for example inside runOn).",
      );
    });
  });

  describe('eventually', () => {
    it('resolves with the first value that does not throw, at once', async () => {
      const fn = jest.fn(() => 'ok');
      await expect(globals.eventually(fn)).resolves.toBe('ok');
      expect(fn).toHaveBeenCalledTimes(1);
      expect(harness.clock.pending()).toBe(0);
    });

    it('retries every intervalMs until the function stops throwing', async () => {
      let calls = 0;
      const attemptsAt: number[] = [];
      const started = harness.clock.now();
      const result = globals.eventually(async () => {
        attemptsAt.push(harness.clock.now() - started);
        if (++calls < 4) throw new Error(`not yet ${calls}`);
        return calls;
      });
      await expect(runUntilSettled(harness.clock, result, 5)).resolves.toBe(4);
      expect(attemptsAt).toEqual([0, 25, 50, 75]);
    });

    it('uses the intervalMs it is given', async () => {
      const attemptsAt: number[] = [];
      const started = harness.clock.now();
      const result = globals.eventually(
        () => {
          attemptsAt.push(harness.clock.now() - started);
          if (attemptsAt.length < 3) throw new Error('no');
        },
        { intervalMs: 200 },
      );
      await runUntilSettled(harness.clock, result, 50);
      expect(attemptsAt).toEqual([0, 200, 400]);
    });

    it('on timeout rethrows the last error, saying how long and how often it tried', async () => {
      let calls = 0;
      let last: Error | null = null;
      const result = globals
        .eventually(
          () => {
            last = new Error(`expected 3 members, saw ${++calls}`);
            throw last;
          },
          { timeoutMs: 100, intervalMs: 30 },
        )
        .catch((e: unknown) => e);
      const error = (await runUntilSettled(harness.clock, result, 10)) as Error;
      // Attempts at 0, 30, 60, 90 and a last one at the deadline.
      expect(calls).toBe(5);
      expect(error).toBe(last);
      expect(error.message).toBe(
        'expected 3 members, saw 5\n\neventually gave up after 100 ms (timeout 100 ms) and 5 attempts; this was the last error.',
      );
      expect(error.stack!.startsWith(`Error: ${error.message}\n`)).toBe(true);
    });

    it('gives up at the deadline when an attempt never settles, with the last error seen', async () => {
      let calls = 0;
      const result = globals
        .eventually(
          () => {
            if (++calls === 1) throw new Error('first attempt failed');
            return new Promise<never>(() => undefined);
          },
          { timeoutMs: 100, intervalMs: 30 },
        )
        .catch((e: unknown) => e);
      const error = (await runUntilSettled(harness.clock, result, 10)) as Error;
      expect(calls).toBe(2);
      expect(error.message).toMatch(/^first attempt failed\n\neventually gave up after 100 ms \(timeout 100 ms\) and 2 attempts/);
      expect(harness.clock.pending()).toBe(0);
    });

    it('uses the 5000 ms default timeout and counts a single attempt in the singular', async () => {
      const result = globals
        .eventually(() => {
          harness.clock.advance(6_000); // the one attempt itself takes longer than the timeout
          throw new Error('slow');
        })
        .catch((e: unknown) => e);
      const error = (await result) as Error;
      expect(error.message).toBe('slow\n\neventually gave up after 6000 ms (timeout 5000 ms) and 1 attempt; this was the last error.');
    });

    it('wraps a thrown non-error in an Error that says what was thrown', async () => {
      const result = globals
        .eventually(
          () => {
            throw 'a string';
          },
          { timeoutMs: 50 },
        )
        .catch((e: unknown) => e);
      const error = (await runUntilSettled(harness.clock, result, 25)) as Error;
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toBe('eventually gave up after 50 ms (timeout 50 ms) and 3 attempts; this was the last error. It threw "a string".');
    });

    it('rejects a bad timeout or interval before calling the function', async () => {
      const fn = jest.fn(() => 1);
      await expect(globals.eventually(fn, { timeoutMs: 0 })).rejects.toThrow(new HarnessUsageError('eventually timeoutMs must be a positive number of milliseconds; it was 0.'));
      await expect(globals.eventually(fn, { intervalMs: -1 })).rejects.toThrow(new HarnessUsageError('eventually intervalMs must be a positive number of milliseconds; it was -1.'));
      expect(fn).not.toHaveBeenCalled();
    });

    it('works without a harness', async () => {
      await expect(make('b', null).eventually(() => 'fine')).resolves.toBe('fine');
    });
  });

  describe('fault', () => {
    const valid: Array<[string, (g: MultinodeGlobals) => Promise<void>, FaultCommand]> = [
      ['partition', (g) => g.fault.partition('a', ['b', 'c']), { kind: 'partition', sideA: ['a'], sideB: ['b', 'c'] }],
      ['isolate', (g) => g.fault.isolate('c'), { kind: 'partition', sideA: ['c'], sideB: ['a', 'b'] }],
      ['blackhole', (g) => g.fault.blackhole('a', 'b'), { kind: 'blackhole', from: 'a', to: 'b' }],
      ['heal', (g) => g.fault.heal(), { kind: 'heal' }],
      ['heal of two sides', (g) => g.fault.heal('a', 'b'), { kind: 'heal', sideA: ['a'], sideB: ['b'] }],
      ['delay', (g) => g.fault.delay('a', 'b', { minMs: 1, maxMs: 9 }), { kind: 'delay', from: 'a', to: 'b', minMs: 1, maxMs: 9 }],
      ['drop', (g) => g.fault.drop('c', 'a', 0.3), { kind: 'drop', from: 'c', to: 'a', probability: 0.3 }],
      ['crash', (g) => g.fault.crash('c'), { kind: 'crash', role: 'c' }],
      ['restart', (g) => g.fault.restart('c'), { kind: 'restart', role: 'c' }],
      ['leave', (g) => g.fault.leave('b'), { kind: 'leave', role: 'b' }],
    ];

    it.each(valid)('%s sends its command to the harness and records it in the trace', async (_name, call, command) => {
      await call(globals);
      expect(harness.fault).toHaveBeenCalledTimes(1);
      expect(harness.fault).toHaveBeenCalledWith(command);
      expect(harness.recorded()).toEqual([{ type: 'fault', fault: command }]);
    });

    it('resolves only once the harness has applied the fault', async () => {
      let applied!: () => void;
      harness.fault.mockImplementationOnce(() => new Promise<void>((resolve) => (applied = resolve)));
      let done = false;
      const call = globals.fault.crash('c').then(() => (done = true));
      await flush();
      expect(done).toBe(false);
      applied();
      await call;
      expect(done).toBe(true);
    });

    it("rejects with the harness's error", async () => {
      harness.fault.mockRejectedValueOnce(new Error("fault.crash('c') cannot act"));
      await expect(globals.fault.crash('c')).rejects.toThrow("fault.crash('c') cannot act");
    });

    it('validates before contacting the harness and records nothing for a bad call', async () => {
      const cases: Array<[() => Promise<void>, new (...args: never[]) => Error, string]> = [
        [() => globals.fault.partition('a', 'zz'), UnknownRoleError, "fault.partition (second side) was given an unknown role 'zz'"],
        [() => globals.fault.partition(['a', 'b'], 'b'), InvalidFaultError, "fault.partition was given role 'b' on both sides"],
        [() => globals.fault.partition([], 'b'), InvalidFaultError, 'fault.partition (first side) needs a role name or a non-empty array of role names; it was given [].'],
        [() => globals.fault.isolate('zz'), UnknownRoleError, "fault.isolate was given an unknown role 'zz'"],
        [() => globals.fault.blackhole('a', 'zz'), UnknownRoleError, "fault.blackhole (to) was given an unknown role 'zz'"],
        [() => globals.fault.heal('zz'), UnknownRoleError, "fault.heal (first side) was given an unknown role 'zz'"],
        [() => globals.fault.delay('a', 'b', -1), InvalidFaultError, 'it was given -1.'],
        [() => globals.fault.delay('a', 'b', { minMs: 5, maxMs: 1 }), InvalidFaultError, 'it was given {"minMs":5,"maxMs":1}.'],
        [() => globals.fault.drop('a', 'b', 1.5), InvalidFaultError, 'fault.drop needs a probability between 0 and 1 (inclusive); it was given 1.5.'],
        [() => globals.fault.drop('a', 'b', NaN), InvalidFaultError, 'fault.drop needs a probability between 0 and 1 (inclusive)'],
        [() => globals.fault.crash('zz'), UnknownRoleError, "fault.crash was given an unknown role 'zz'"],
        [() => globals.fault.restart('zz'), UnknownRoleError, "fault.restart was given an unknown role 'zz'"],
        [() => globals.fault.leave('zz'), UnknownRoleError, "fault.leave was given an unknown role 'zz'"],
      ];
      for (const [call, type, text] of cases) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(type);
        expect((error as Error).message).toContain(text);
      }
      expect(harness.fault).not.toHaveBeenCalled();
      expect(harness.events).toEqual([]);
    });

    it('rejects with a clear message without a harness', async () => {
      const none = make('b', null);
      await expect(none.fault.crash('c')).rejects.toThrow(new HarnessUsageError(`fault ${NO_HARNESS}`));
      await expect(none.fault.heal()).rejects.toThrow(HarnessUsageError);
    });
  });

  it('makes awaitMembersUp reject with a clear message without a harness', async () => {
    await expect(make('b', null).multinode.awaitMembersUp()).rejects.toThrow(new HarnessUsageError(`multinode.awaitMembersUp ${NO_HARNESS}`));
  });
});
