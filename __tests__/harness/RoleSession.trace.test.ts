import { FaultTable, RoleSession, type ControlEnd, type LeadToRole, type RoleStart, type RoleToLead } from '../../src/harness';
import { FakeClock } from './helpers';

/** A role's session (node held by the lead, so no node of its own) on a control end the test reads. */
function session(deferTrace: ((flush: () => void) => void) | null): { session: RoleSession; posts: Array<RoleToLead | readonly RoleToLead[]>; answer(message: LeadToRole): void } {
  const posts: Array<RoleToLead | readonly RoleToLead[]> = [];
  let handler: (message: LeadToRole) => void = () => undefined;
  const control: ControlEnd<RoleToLead, LeadToRole> = { post: (message) => void posts.push(message), onMessage: (h) => void (handler = h), close: () => undefined };
  const data = {
    role: 'b',
    roles: ['a', 'b'],
    seed: 1,
    testPath: '/t.test.ts',
    globalConfig: {},
    projectConfig: {},
    moduleMap: {},
    nodeModule: null,
    nodeOptions: {},
    nodesHeldByLead: true,
    endpoints: null,
    faultBuffer: new FaultTable(2).buffer,
    settings: { barrierTimeoutMs: 1000, testTimeoutMs: 1000, nodeTimeoutMs: 1000, setupTimeoutMs: 1000 },
  } as unknown as RoleStart;
  return { session: new RoleSession(data, control, new Map(), new FakeClock(), deferTrace), posts, answer: (message) => handler(message) };
}

const types = (post: RoleToLead | readonly RoleToLead[]): string[] => (Array.isArray(post) ? post : [post]).map((m: RoleToLead) => m.type);

it("sends a barrier's enter event in one transfer with its request, and the leave event with the role's next message", async () => {
  const flushes: Array<() => void> = [];
  const { session: role, posts, answer } = session((flush) => flushes.push(flush));
  role.trace.record({ type: 'barrier-enter', name: 'x' });
  const passed = role.barrier(null, 'x', null, 1000);
  expect(posts.map(types)).toEqual([['trace', 'barrier-enter']]);
  answer({ type: 'reply', requestId: 1, error: null });
  await passed;
  role.trace.record({ type: 'barrier-leave', name: 'x', outcome: 'passed' });
  role.trace.record({ type: 'barrier-enter', name: 'y' });
  void role.barrier(null, 'y', null, 1000).catch(() => undefined);
  expect(posts.map(types)).toEqual([['trace', 'barrier-enter'], ['trace', 'barrier-enter']]);
  const second = posts[1] as readonly RoleToLead[];
  expect((second[0] as Extract<RoleToLead, { type: 'trace' }>).events.map((e) => e.type)).toEqual(['barrier-leave', 'barrier-enter']);
  // An event with no message after it goes out at the deferred flush.
  role.trace.record({ type: 'log', level: 'info', message: 'alone' });
  expect(posts).toHaveLength(2);
  flushes.forEach((flush) => flush());
  expect(posts.map(types).slice(2)).toEqual([['trace']]);
});

it('sends each trace event at once without deferTrace (simulation: every send is an event)', () => {
  const { session: role, posts } = session(null);
  role.trace.record({ type: 'barrier-enter', name: 'x' });
  void role.barrier(null, 'x', null, 1000).catch(() => undefined);
  expect(posts.map(types)).toEqual([['trace'], ['barrier-enter']]);
});
