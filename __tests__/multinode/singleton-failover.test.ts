/**
 * @jest-environment-options {"multinode": {"roles": ["a", "b", "c"]}}
 */
import { Actor, Cluster, ClusterSingleton, Props, ask, formatMember, type ActorContext, type ActorRef } from '../../dist/src';
import { state } from './helpers/cluster';

/** What the singleton reports to the recorder: its life (node time) and the numbered messages it got. */
type Report = { event: 'start' | 'stop'; node: string; at: number } | { event: 'msg'; node: string; seq: number };

/** Keeps every report, on a node that outlives the moves (`last`); answers `'get'` with them all. */
class Recorder extends Actor<Report | 'get'> {
  private readonly reports: Report[] = [];

  receive(message: Report | 'get', ctx: ActorContext<Report | 'get'>): void {
    if (message === 'get') ctx.reply(this.reports);
    else this.reports.push(message);
  }
}

type LedgerMessage = 'where' | { seq: number };

/** The singleton: reports its start and stop with its node's clock, answers `'where'`, reports numbered messages. */
class Ledger extends Actor<LedgerMessage> {
  constructor(private readonly recorder: ActorRef<Report>) {
    super();
  }

  override preStart(ctx: ActorContext<LedgerMessage>): void {
    this.recorder.tell({ event: 'start', node: ctx.system.address, at: ctx.system.clock.now() });
  }

  override postStop(ctx: ActorContext<LedgerMessage>): void {
    this.recorder.tell({ event: 'stop', node: ctx.system.address, at: ctx.system.clock.now() });
  }

  receive(message: LedgerMessage, ctx: ActorContext<LedgerMessage>): void {
    if (message === 'where') ctx.reply(ctx.system.address);
    else this.recorder.tell({ event: 'msg', node: ctx.system.address, seq: message.seq });
  }
}

/**
 * b and c join in either order on a busy machine: `next` is the older of them (the lower up-number),
 * where the singleton goes after a; `last`, the younger, keeps the recorder through both moves.
 */
let next = 'b';
let last = 'c';
const recorder = (): ActorRef<Report | 'get'> => multinode.system.refFor(last, '/user/recorder');
const reports = (): Promise<Report[]> => ask<Report[]>(recorder(), 'get');
const lives = (all: Report[]): string[] => all.filter((r) => r.event !== 'msg').map((r) => `${r.event}@${r.node}`);
const seqsOf = (all: Report[], from: number): number[] => all.flatMap((r) => (r.event === 'msg' && r.seq >= from ? [r.seq] : []));
const location = (): string | undefined => ClusterSingleton.get(multinode.system).location('ledger');

/** Whether this node no longer counts `address` as a live host: unreachable, downed or gone from its view. */
const lost = (address: string): boolean => {
  const member = state().members.find((m) => m.address === address);
  return member === undefined || !member.reachable || member.status === 'down';
};

let proxy: ActorRef<LedgerMessage>;

describe.multinode('cluster singleton', () => {
  it('runs on the oldest member and, after its host crashes, on the next oldest within the downing time plus 5 s', async () => {
    await multinode.awaitMembersUp(3, { timeoutMs: 10000 });
    const upNumber = (address: string): number => state().members.find((m) => m.address === address)?.upNumber ?? Infinity;
    [next, last] = ['b', 'c'].sort((x, y) => upNumber(x) - upNumber(y)) as [string, string];
    await runOn(last, () => multinode.system.spawn(Props.of(Recorder), 'recorder'));
    await barrier('recorder started');
    proxy = ClusterSingleton.get(multinode.system).init({ name: 'ledger', props: Props.create(() => new Ledger(recorder())) });
    await eventually(() => expect(location()).toBe('a'), { timeoutMs: 5000 });
    expect(await ask(proxy, 'where')).toBe('a');
    await barrier('located on a');

    // next measures on its own clock: the crash, the downing of a in its view, the start of its instance.
    let downedAt: number | undefined;
    const unsubscribe = Cluster.get(multinode.system).onEvent((event) => {
      if (event.type === 'MemberDowned' && event.member.address === 'a') downedAt ??= multinode.system.clock.now();
    });
    let crashedAt = 0;
    await runOn(next, async () => {
      crashedAt = multinode.system.clock.now();
      await fault.crash('a');
    });
    await barrier('crashed');

    await runOn(['b', 'c'], async () => {
      // A message sent to a host that has just crashed is lost; once a is unreachable here, the proxy buffers.
      await eventually(() => expect(lost('a')).toBe(true), { timeoutMs: 10000 });
      await runOn(last, () => {
        for (let seq = 0; seq < 20; seq++) proxy.tell({ seq });
      });
      expect(await ask(proxy, 'where', { timeoutMs: 20000 })).toBe(next);
      expect(location()).toBe(next);
    });
    await runOn(next, async () => {
      const all = await reports();
      expect(lives(all)).toEqual(['start@a', `start@${next}`]);
      const started = all.find((r) => r.event === 'start' && r.node === next) as { at: number };
      if (downedAt === undefined) throw new Error(`${next} never saw a downed; its view:\n${Cluster.get(multinode.system).describe()}`);
      const downingMs = downedAt - crashedAt;
      // The bound: the downing time (from the crash until a is downed in b's view) plus 5 s.
      expect(started.at - crashedAt).toBeLessThanOrEqual(downingMs + 5000);
      // And never before a was downed: an unreachable host keeps the singleton.
      expect(started.at).toBeGreaterThanOrEqual(downedAt);
    });
    await runOn(last, async () => {
      await eventually(async () => expect(seqsOf(await reports(), 0)).toEqual([...Array(20).keys()]), { timeoutMs: 5000 });
      expect((await reports()).filter((r) => r.event === 'msg').every((r) => r.node === next)).toBe(true);
    });
    unsubscribe();
  });

  it('hands over without overlap when the oldest leaves, and delivers what was sent through the proxy meanwhile', async () => {
    await runOn(last, async () => {
      expect(location()).toBe(next);
      const leaving = fault.leave(next);
      let left = false;
      void leaving.then(() => (left = true));
      // Keep sending through the proxy on `last` while `next` leaves and hands over, until `last` runs the instance.
      let seq = 100;
      while (!(left && location() === last)) {
        proxy.tell({ seq: seq++ });
        await new Promise((resolve) => setTimeout(resolve, 10));
        if (seq > 100 + 1500) throw new Error(`the singleton did not move to ${last} within ~15 s; ${last}'s view:\n${Cluster.get(multinode.system).describe()}`);
      }
      await leaving;
      for (let i = 0; i < 5; i++) proxy.tell({ seq: seq++ });
      const expected = Array.from({ length: seq - 100 }, (_, i) => 100 + i);
      await eventually(async () => expect(seqsOf(await reports(), 100)).toEqual(expected), { timeoutMs: 5000 });

      const all = await reports();
      expect(lives(all)).toEqual(['start@a', `start@${next}`, `stop@${next}`, `start@${last}`]);
      const stopOld = all.find((r) => r.event === 'stop' && r.node === next) as { at: number };
      const startNew = all.find((r) => r.event === 'start' && r.node === last) as { at: number };
      // No overlap: the old instance had stopped (on its node's clock) before the new one started (on its own).
      expect(stopOld.at).toBeLessThanOrEqual(startNew.at);
      expect(all.some((r) => r.event === 'msg' && r.seq >= 100 && r.node === last)).toBe(true);
      expect(state().members.map(formatMember)).toEqual([`${last}#0`]);
    });
  });
});
