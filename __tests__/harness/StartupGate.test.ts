import { StartupGate, type StartupHost } from '../../src/harness/StartupGate';
import { deferred, type SerializedError } from '../../src/util';
import { FakeClock, flush, runUntilSettled } from './helpers';

function setup() {
  const clock = new FakeClock();
  const roles = ['a', 'b', 'c'];
  const nodes = new Map(roles.map((r) => [r, deferred<void>()]));
  const up = new Map(roles.map((r) => [r, deferred<void>()]));
  const started = new Set<string>();
  const told = new Map<string, SerializedError | null>();
  const terminated: string[] = [];
  const host: StartupHost = {
    roles,
    nodeReady: (role) => nodes.get(role)!.promise.then(() => void started.add(role)),
    nodeStarted: (role) => started.has(role),
    isTerminated: (role) => terminated.includes(role),
    terminate: (role, reason) => void terminated.push(`${role}: ${reason}`),
    awaitMembersUp: (role) => up.get(role)!.promise,
    tell: (role, error) => void told.set(role, error),
  };
  const gate = new StartupGate(host, clock, { setupTimeoutMs: 30_000, graceMs: 1_000, settleAfterFailureMs: 2_000 });
  return { clock, nodes, up, told, terminated, gate };
}

describe('StartupGate', () => {
  it('lets every role go once every node started and every node sees all members Up', async () => {
    const { clock, nodes, up, told, gate } = setup();
    const run = gate.run(true);
    for (const d of nodes.values()) d.resolve();
    await flush();
    for (const d of up.values()) d.resolve();
    await runUntilSettled(clock, run, 20);
    expect([...told]).toEqual([
      ['b', null],
      ['c', null],
    ]);
  });

  it("gives each role its own error, a consequence to the others, and fails without waiting for the deadline", async () => {
    const { clock, nodes, up, told, gate } = setup();
    const run = gate.run(true).catch((e: unknown) => e as Error);
    for (const d of nodes.values()) d.resolve();
    await flush();
    up.get('a')!.resolve();
    up.get('c')!.reject(new Error("Role 'c' can never see 3 members Up: c#0 is no longer a cluster member"));
    await flush();
    clock.advance(2_000);
    const error = (await run) as Error;
    expect(clock.now()).toBe(1_000_000 + 2_000);
    expect(error.message).toBe(
      "Set-up failed on roles 'c', 'b'; each role's own error:\n[c] Role 'c' can never see 3 members Up: c#0 is no longer a cluster member\n[b] Role 'b' was still waiting for 3 members Up when set-up failed on role 'c'.",
    );
    expect(told.get('c')!.message).toBe("Role 'c' can never see 3 members Up: c#0 is no longer a cluster member");
    expect(told.get('b')!.message).toBe("Role 'b' was still waiting for 3 members Up when set-up failed on role 'c'.");
  });

  it('tells roles whose set-up went well that it failed elsewhere, as a consequence', async () => {
    const { clock, nodes, told, gate } = setup();
    const run = gate.run(true).catch((e: unknown) => e as Error);
    nodes.get('a')!.resolve();
    nodes.get('b')!.resolve();
    nodes.get('c')!.reject(new Error("The node of role 'c' (incarnation 0) failed to start: downed"));
    await runUntilSettled(clock, run, 20);
    expect(told.get('b')).toMatchObject({ code: 'SETUP_FAILED', fields: { consequence: true, rootRole: 'c' } });
    expect(told.get('b')!.message).toMatch(/^Set-up failed on role 'c', so this role's tests cannot run\. This is a consequence/);
    expect(told.get('c')!.message).toBe("The node of role 'c' (incarnation 0) failed to start: downed");
  });

  it('ends a role whose node did not start by the deadline and goes on without it', async () => {
    const { clock, nodes, up, told, terminated, gate } = setup();
    const run = gate.run(true);
    nodes.get('a')!.resolve();
    nodes.get('b')!.resolve();
    await flush();
    up.get('a')!.resolve();
    up.get('b')!.resolve();
    clock.advance(30_000);
    await runUntilSettled(clock, run, 20);
    expect(terminated).toEqual(["c: its node was not started within 30000 ms (its factory had not resolved, or the role was stuck loading the test file); raise the setupTimeoutMs option if it needs longer"]);
    expect(told.get('b')).toBeNull();
  });

  it('tells every role once, also when the file ends first', () => {
    const { told, gate } = setup();
    gate.abort({ name: 'LeadFinishedError', message: 'the lead finished' });
    gate.abort({ name: 'Error', message: 'again' });
    expect(told.get('c')!.message).toBe('the lead finished');
  });
});
