import { ModernFakeTimers } from '@jest/fake-timers';
import { afterEach, describe, expect, it } from '@jest/globals';
import { SIM_EPOCH_MS, SimScheduler, fakeTimersStartAt, installVirtualGlobals } from '../../src/sim';
import { createRng } from '../../src/util';
import { createJestContext, type JestContext } from './helpers/jestContext';

const contexts: JestContext[] = [];
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.teardown();
});

/** A Jest context on virtual time at SIM_EPOCH_MS + 5000, with fake timers built as the integration must. */
function simulatedContext(configuredNow?: number) {
  const context = createJestContext();
  contexts.push(context);
  const scheduler = new SimScheduler(1);
  installVirtualGlobals(context.global, { scheduler, owner: 'a', rng: createRng(1) });
  scheduler.schedule('a', 5000, () => undefined);
  while (scheduler.step());
  const projectConfig = configuredNow === undefined ? context.projectConfig : { ...context.projectConfig, fakeTimers: { now: configuredNow } };
  // As jest-environment-node does in its constructor, but after the install.
  const fakeTimers = fakeTimersStartAt(new ModernFakeTimers({ config: projectConfig, global: context.global }), () => scheduler.now(), projectConfig.fakeTimers);
  return { context, scheduler, fakeTimers };
}

describe("Jest's modern fake timers on virtual time", () => {
  it('start at virtual now, advance on top of it, and give the virtual globals back', () => {
    const { context, scheduler, fakeTimers } = simulatedContext();
    const virtualNow = SIM_EPOCH_MS + 5000;
    const virtualSetTimeout = context.global.setTimeout;
    const fired: number[] = [];
    context.expose('record', (ms: number) => fired.push(ms));

    fakeTimers.useFakeTimers();
    expect(context.run('[Date.now(), new Date().getTime()]')).toEqual([virtualNow, virtualNow]);
    context.run('setTimeout(() => record(Date.now()), 1000)');
    expect(scheduler.pending()).toBe(0);
    fakeTimers.advanceTimersByTime(1000);
    expect(fired).toEqual([virtualNow + 1000]);
    expect(fakeTimers.now()).toBe(virtualNow + 1000);
    expect(context.run('new Date() instanceof Date')).toBe(true);

    fakeTimers.useRealTimers();
    expect(context.global.setTimeout).toBe(virtualSetTimeout);
    expect(context.run('Date.now()')).toBe(virtualNow);
    expect(fakeTimers.now()).toBe(virtualNow);
    expect(fakeTimers.getRealSystemTime()).toBe(virtualNow);
  });

  it("let a configured or explicit start time win over virtual now", () => {
    const configured = simulatedContext(Date.UTC(2000, 0, 1));
    configured.fakeTimers.useFakeTimers();
    expect(configured.context.run('Date.now()')).toBe(Date.UTC(2000, 0, 1));

    const explicit = simulatedContext(Date.UTC(2000, 0, 1));
    explicit.fakeTimers.useFakeTimers({ now: 42 });
    expect(explicit.context.run('Date.now()')).toBe(42);
  });

  it('yield to virtual immediates in their async APIs when constructed after the install', async () => {
    const { context, scheduler, fakeTimers } = simulatedContext();
    fakeTimers.useFakeTimers();
    const fired: number[] = [];
    context.expose('record', (ms: number) => fired.push(ms));
    context.run('setTimeout(() => record(Date.now()), 100)');
    const advanced = fakeTimers.advanceTimersByTimeAsync(100);
    expect(scheduler.pending()).toBeGreaterThan(0);
    const loop = scheduler.run();
    await advanced;
    scheduler.stop();
    await loop;
    expect(fired).toEqual([SIM_EPOCH_MS + 5100]);
  });

  it("yield to real immediates when constructed before the install, as jest-environment-node's own instance is", async () => {
    const context = createJestContext();
    contexts.push(context);
    const scheduler = new SimScheduler(1);
    installVirtualGlobals(context.global, { scheduler, owner: 'a', rng: createRng(1) });
    const early = context.env.fakeTimersModern!;
    early.useFakeTimers();
    await early.advanceTimersByTimeAsync(100);
    expect(scheduler.pending()).toBe(0);
    early.useRealTimers();
  });
});
