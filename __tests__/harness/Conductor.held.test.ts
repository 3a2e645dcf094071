import { describe, expect, it } from '@jest/globals';
import { Conductor } from '../../src/harness/Conductor';
import { FaultTable } from '../../src/harness/FaultTable';
import type { LeadToRole, RoleToLead } from '../../src/harness/protocol';
import type { RoleChannel } from '../../src/harness/RoleRunner';
import type { RoleNodeHost } from '../../src/harness/RoleNodeHost';
import { TraceCollector } from '../../src/harness/TraceCollector';
import { CONDUCTOR_SETTINGS, FakeClock } from './helpers';

const ROLES = ['a', 'b'] as const;

/** A role's control channel the test speaks for: what the conductor posts, and a way to answer. */
function fakeChannel(): { channel: RoleChannel; posted: LeadToRole[]; send(message: RoleToLead): void } {
  const posted: LeadToRole[] = [];
  let handler: (message: RoleToLead) => void = () => undefined;
  const channel: RoleChannel = {
    post: (message) => void posted.push(...(Array.isArray(message) ? message : [message as LeadToRole])),
    onMessage: (h) => void (handler = h),
    onEnded: () => undefined,
    closed: Promise.resolve(),
    terminate: async () => undefined,
    release: async () => undefined,
  };
  return { channel, posted, send: (message) => handler(message) };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A conductor of roles a and b whose nodes the lead holds, with b's control channel. */
function setup(): { conductor: Conductor; b: ReturnType<typeof fakeChannel> } {
  const clock = new FakeClock(10_000);
  const collector = new TraceCollector({ testPath: 'x.test.ts', roles: ROLES, seed: 1, mode: 'processes' as const, modeFromEnv: false, startedAt: 10_000 });
  const host = { stop: async () => undefined } as unknown as RoleNodeHost;
  const conductor = new Conductor(ROLES, new FaultTable(2), { holdsEveryNode: true, hostOf: () => host, linksChanged: async () => undefined }, collector, clock, CONDUCTOR_SETTINGS);
  const b = fakeChannel();
  conductor.attach('b', b.channel);
  return { conductor, b };
}

describe('Conductor with every node held by the lead (processes mode)', () => {
  it("starts the file only once every node is ready and every role's thread has loaded the file", async () => {
    const { conductor, b } = setup();
    let ready = false;
    void conductor.awaitReady(false).then(() => (ready = true));
    conductor.leadNodeReady(null);
    conductor.heldStarts.settle('a', null);
    conductor.heldStarts.settle('b', null);
    await flush();
    // b's node process is ready, but b's thread is still loading its copy of the file.
    expect(ready).toBe(false);
    expect(b.posted.filter((m) => m.type === 'all-ready')).toEqual([]);
    b.send({ type: 'node-ready', incarnation: 0 });
    await flush();
    expect(ready).toBe(true);
    expect(b.posted.filter((m) => m.type === 'all-ready')).toEqual([{ type: 'all-ready', error: null }]);
  });

  it("fails set-up on the role whose node process did not start, without waiting for its thread", async () => {
    const { conductor, b } = setup();
    const outcome = conductor.awaitReady(false).then(
      () => null,
      (error: Error) => error.message,
    );
    conductor.leadNodeReady(null);
    conductor.heldStarts.settle('a', null);
    conductor.heldStarts.settle('b', new Error("The node process of role 'b' exited with code 3 before it was ready"));
    expect(await outcome).toBe("Set-up failed on role 'b'; each role's own error:\n[b] The node process of role 'b' exited with code 3 before it was ready");
    expect(b.posted.find((m) => m.type === 'all-ready')).toMatchObject({ error: { message: "The node process of role 'b' exited with code 3 before it was ready" } });
  });
});

describe('Conductor: a node the lead holds fails during a test', () => {
  it("fails that role's result of the test, after its own errors, and the others' barriers as its consequence", async () => {
    const { conductor } = setup();
    conductor.begin('a', 't1', 30_000);
    conductor.begin('b', 't1', 30_000);
    const atA = conductor.barrier({ role: 'a', testId: 't1', name: 'b is gone', roles: null, timeoutMs: 5_000 }).then(
      () => null,
      (error: Error) => error.message,
    );
    const exited = { name: 'NodeError', message: "The node process of role 'b' (incarnation 0, pid 7) exited with code 7 without being asked to." };
    conductor.nodeFailedTest('b', 't1', exited);
    expect(await atA).toBe(
      "Barrier 'b is gone' was abandoned because role 'b' failed this test (The node process of role 'b' (incarnation 0, pid 7) exited with code 7 without being asked to.). This is a consequence of role b's failure, not a second root cause.",
    );
    const own = { name: 'Error', message: 'fetch failed' };
    conductor.done('b', 't1', { status: 'failed', durationMs: 5, errors: [own] });
    conductor.done('a', 't1', { status: 'passed', durationMs: 5, errors: [] });
    const results = await conductor.lockstep.collect('t1');
    expect(results.get('b')).toMatchObject({ status: 'failed', errors: [own, exited] });
  });
});
