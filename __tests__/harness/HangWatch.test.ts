import { HangWatch, type HangWatchHost } from '../../src/harness/HangWatch';
import { FakeClock } from './helpers';

/** Three roles, lead 'a'; the test decides who is waiting and who answers pings. */
function setup() {
  const clock = new FakeClock();
  const waiting = new Set<string>();
  const answering = new Set(['b', 'c']);
  const hung: string[] = [];
  const ended = new Set<string>();
  let watch!: HangWatch;
  const host: HangWatchHost = {
    candidates: () => ['b', 'c'].filter((r) => !ended.has(r)),
    activeRoles: () => ['a', 'b', 'c'].filter((r) => !ended.has(r)),
    isWaiting: (role) => waiting.has(role),
    awaitedBy: () => [],
    ping: (role) => {
      if (answering.has(role)) watch.pong(role);
    },
    hung: (role, silentMs) => {
      ended.add(role);
      hung.push(`${role} after ${silentMs} ms`);
    },
  };
  watch = new HangWatch(host, clock, { pingIntervalMs: 250, unresponsiveAfterMs: 3_000 });
  watch.start();
  /** Advances time in ping-sized steps, as a live event loop would run the ticks. */
  const run = (ms: number): void => {
    for (let t = 0; t < ms; t += 250) clock.advance(250);
  };
  return { clock, waiting, answering, hung, watch, run };
}

describe('HangWatch', () => {
  it('ends a silent role once every other role waits for it', () => {
    const { waiting, answering, hung, run } = setup();
    answering.delete('c');
    waiting.add('a').add('b');
    run(2_750);
    expect(hung).toEqual([]);
    run(250);
    expect(hung).toEqual(['c after 3000 ms']);
  });

  it('leaves a silent role alone while another role is still busy', () => {
    const { waiting, answering, hung, run } = setup();
    answering.delete('c');
    waiting.add('b');
    run(10_000);
    expect(hung).toEqual([]);
    waiting.add('a');
    run(250);
    expect(hung).toEqual(['c after 10250 ms']);
  });

  it('never ends a role that answers, however long the others wait', () => {
    const { waiting, hung, run } = setup();
    waiting.add('a').add('b');
    run(30_000);
    expect(hung).toEqual([]);
  });

  it('judges nobody on a tick after its own thread stalled, and forgives the stall', () => {
    const { clock, waiting, answering, hung, watch, run } = setup();
    answering.delete('c');
    waiting.add('a').add('b');
    clock.stall(5_000);
    clock.advance(0);
    expect(hung).toEqual([]);
    expect(watch.silenceMs('c')).toBe(250);
    run(2_500);
    expect(hung).toEqual([]);
    run(500);
    expect(hung).toEqual(['c after 3000 ms']);
  });

  it('stops pinging when stopped', () => {
    const { clock, watch } = setup();
    watch.stop();
    expect(clock.pending()).toBe(0);
  });
});
