import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Actor, ActorSystem, InvalidArgumentError, Props, TestProbe, ask, systemClock } from '../../src/actors';
import type { ActorContext, ActorRef } from '../../src/actors';
import { FakeClock, captureLogger, until } from './helpers';

type TimerMsg =
  | { type: 'once'; key: string; delayMs: number }
  | { type: 'every'; key: string; delayMs: number }
  | { type: 'cancel'; key: string }
  | { type: 'active'; key: string }
  | { type: 'tick'; key: string }
  | { type: 'ticks' }
  | { type: 'fail' };

/** Starts timers on command and reports each tick to `report`. */
class Ticker extends Actor<TimerMsg> {
  private readonly ticks: string[] = [];

  constructor(private readonly report: ActorRef) {
    super();
  }

  receive(message: TimerMsg, ctx: ActorContext<TimerMsg>): void {
    switch (message.type) {
      case 'once':
        ctx.timers.startSingleTimer(message.key, { type: 'tick', key: message.key }, message.delayMs);
        ctx.reply('ok');
        return;
      case 'every':
        ctx.timers.startTimerWithFixedDelay(message.key, { type: 'tick', key: message.key }, message.delayMs);
        ctx.reply('ok');
        return;
      case 'cancel':
        ctx.timers.cancel(message.key);
        ctx.reply('ok');
        return;
      case 'active':
        ctx.reply(ctx.timers.isTimerActive(message.key));
        return;
      case 'tick':
        this.ticks.push(message.key);
        this.report.tell(message.key);
        return;
      case 'ticks':
        ctx.reply([...this.ticks]);
        return;
      case 'fail':
        throw new Error('fail on purpose');
    }
  }
}

describe('scheduler and timers', () => {
  let clock: FakeClock;
  let system: ActorSystem;
  let probe: TestProbe;
  let ticker: ActorRef<TimerMsg>;

  beforeEach(() => {
    clock = new FakeClock();
    system = ActorSystem.create('t', { clock, log: captureLogger() });
    probe = TestProbe.create(system, { clock: systemClock });
    ticker = system.spawn(Props.of(Ticker, probe.ref), 'ticker');
  });

  afterEach(async () => {
    await system.terminate();
  });

  it('fires a single timer once, at its delay on the injected clock', async () => {
    await ask(ticker, { type: 'once', key: 'a', delayMs: 100 });
    clock.advance(99);
    await expect(ask(ticker, { type: 'active', key: 'a' })).resolves.toBe(true);
    await expect(ask(ticker, { type: 'ticks' })).resolves.toEqual([]);
    clock.advance(1);
    await expect(probe.expectMessage()).resolves.toBe('a');
    await expect(ask(ticker, { type: 'active', key: 'a' })).resolves.toBe(false);
    clock.advance(1000);
    await expect(ask(ticker, { type: 'ticks' })).resolves.toEqual(['a']);
  });

  it('repeats a fixed-delay timer until cancelled', async () => {
    await ask(ticker, { type: 'every', key: 'r', delayMs: 50 });
    for (let i = 0; i < 3; i++) {
      clock.advance(50);
      await expect(probe.expectMessage()).resolves.toBe('r');
    }
    await ask(ticker, { type: 'cancel', key: 'r' });
    expect(clock.pendingTimers).toBe(0);
    clock.advance(500);
    await expect(ask(ticker, { type: 'ticks' })).resolves.toEqual(['r', 'r', 'r']);
  });

  it('drops a message of a cancelled timer even when it was already queued', async () => {
    type RacerMsg = 'start' | 'tick' | 'count';
    class Racer extends Actor<RacerMsg> {
      private ticks = 0;
      receive(message: RacerMsg, ctx: ActorContext<RacerMsg>): void {
        if (message === 'tick') this.ticks++;
        else if (message === 'count') ctx.reply(this.ticks);
        else {
          ctx.timers.startSingleTimer('k', 'tick', 10);
          clock.advance(10); // the tick is now queued behind this message
          ctx.timers.cancel('k');
          ctx.reply('cancelled');
        }
      }
    }
    const racer = system.spawn(Props.create(() => new Racer()), 'racer');
    await expect(ask(racer, 'start')).resolves.toBe('cancelled');
    await expect(ask(racer, 'count')).resolves.toBe(0);
  });

  it('replaces a timer started again with the same key', async () => {
    await ask(ticker, { type: 'once', key: 'k', delayMs: 100 });
    await ask(ticker, { type: 'once', key: 'k', delayMs: 300 });
    clock.advance(200);
    await expect(ask(ticker, { type: 'ticks' })).resolves.toEqual([]);
    clock.advance(100);
    await expect(probe.expectMessage()).resolves.toBe('k');
    await expect(ask(ticker, { type: 'ticks' })).resolves.toEqual(['k']);
  });

  it('cancels all timers of an actor when it stops and when it restarts', async () => {
    await ask(ticker, { type: 'every', key: 'r', delayMs: 10 });
    const pendingBefore = clock.pendingTimers;
    ticker.tell({ type: 'fail' }); // default strategy: restart, which cancels timers
    await until(() => clock.pendingTimers === pendingBefore - 1, 'the restart cancelled the timer');
    await expect(ask(ticker, { type: 'active', key: 'r' })).resolves.toBe(false);

    await ask(ticker, { type: 'every', key: 'r2', delayMs: 10 });
    await probe.watch(ticker);
    system.stop(ticker);
    await probe.expectTerminated(ticker);
    expect(system.scheduler.activeCount).toBe(0);
  });

  it('sends scheduled messages from the system scheduler and cancels them on terminate', async () => {
    const once = system.scheduler.scheduleOnce(100, probe.ref, 'once');
    system.scheduler.scheduleWithFixedDelay(10, 20, probe.ref, 'repeat');
    let runs = 0;
    system.scheduler.runWithFixedDelay(0, 5, () => runs++);
    clock.advance(10);
    await expect(probe.expectMessage()).resolves.toBe('repeat');
    once.cancel();
    clock.advance(100);
    expect(runs).toBe(23);
    await system.terminate();
    expect(system.scheduler.activeCount).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    const after = system.scheduler.runOnce(1, () => runs++);
    after.cancel();
    expect(clock.pendingTimers).toBe(0);
  });

  it('abort cancels every timer at once', async () => {
    await ask(ticker, { type: 'every', key: 'r', delayMs: 10 });
    system.scheduler.runWithFixedDelay(10, 10, () => undefined);
    expect(clock.pendingTimers).toBeGreaterThanOrEqual(2);
    system.abort();
    expect(system.isTerminated).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects negative or non-finite delays', () => {
    expect(() => system.scheduler.runOnce(-1, () => undefined)).toThrow(InvalidArgumentError);
    expect(() => system.scheduler.runWithFixedDelay(0, 0, () => undefined)).toThrow('delayMs must be a finite number of ms > 0; it was given 0.');
  });
});
