import fs = require('node:fs');
import path = require('node:path');
import { MessageChannel } from 'node:worker_threads';
import { patchSharedModules, watchWakeUps, type WakeWatch } from '../../src/sim';
import { ManualTime, RunningRole, flush } from './helpers/manualTime';

// A binding taken before any patch. (A TypeScript named import would not do: compiled to CommonJS,
// it reads the module's property at each call, so the patch reaches it.)
const { setTimeout: capturedBeforePatch } = require('node:timers/promises') as typeof import('node:timers/promises');

/** `file:line` of the caller, to compare with a report's creation line. */
function here(): string {
  const frame = new Error().stack!.split('\n')[2]!;
  return /\(?([^()\s]+):\d+\)?$/.exec(frame)![1]!;
}

const runner = new RunningRole();
let simulating = true;
let reports: Array<[string, string]> = [];
let watch: WakeWatch;
const { as } = runner;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(() => {
  runner.current = null;
  simulating = true;
  reports = [];
  watch = watchWakeUps({
    currentRole: () => runner.current,
    isSimulating: () => simulating,
    onWakeUp: (role, what) => reports.push([role, what]),
  });
});
afterEach(() => watch.stop());

describe('watchWakeUps', () => {
  it('reports a real setTimeout a role created, once, naming it and the line that created it', async () => {
    let line = '';
    as('a', () => {
      line = here(); setTimeout(() => undefined, 1);
    });
    await settle(20);
    expect(reports).toHaveLength(1);
    expect(reports[0]![0]).toBe('a');
    expect(reports[0]![1]).toMatch(/^a real timer \(setTimeout\) created at .*wakeWatch\.test\.ts:\d+:\d+$/);
    expect(reports[0]![1]).toContain(`created at ${line}:`);
  });

  it('shows the creation line relative to rootDir when given', async () => {
    watch.stop();
    watch = watchWakeUps({
      currentRole: () => runner.current,
      isSimulating: () => true,
      onWakeUp: (role, what) => reports.push([role, what]),
      rootDir: path.resolve(__dirname, '../..'),
    });
    as('a', () => setTimeout(() => undefined, 1));
    await settle(20);
    expect(reports[0]![1]).toMatch(/^a real timer \(setTimeout\) created at __tests__\/sim\/wakeWatch\.test\.ts:\d+:\d+$/);
  });

  it('reports a real interval once, however often it fires', async () => {
    let fired = 0;
    const interval = as('b', () =>
      setInterval(() => {
        fired += 1;
        if (fired === 3) clearInterval(interval);
      }, 1),
    );
    await settle(30);
    expect(fired).toBe(3);
    expect(reports).toHaveLength(1);
    expect(reports[0]![0]).toBe('b');
    expect(reports[0]![1]).toMatch(/^a real timer \(setInterval\) created at /);
  });

  it('reports real file I/O with the fs function and the creating line', async () => {
    let line = '';
    await new Promise((resolve) => as('a', () => {
      line = here(); fs.readFile(__filename, resolve);
    }));
    expect(reports).toHaveLength(1);
    expect(reports[0]![0]).toBe('a');
    expect(reports[0]![1]).toContain(`real file I/O (fs.readFile) created at ${line}:`);
    reports = [];
    await as('a', () => fs.promises.readFile(__filename));
    expect(reports[0]![1]).toMatch(/^real file I\/O \(fs\.promises\.readFile\) created at .*wakeWatch\.test\.ts:/);
  });

  it('reports a timers/promises setTimeout bound before the module patch, which the patch cannot reach', async () => {
    const time = new ManualTime();
    const undo = patchSharedModules({ currentRole: () => runner.current, timeOf: () => time, randomOf: () => undefined });
    try {
      let line = '';
      const done = as('c', () => {
        line = here(); return capturedBeforePatch(1, 'real');
      });
      expect(await done).toBe('real');
      expect(time.pending).toBe(0);
      expect(reports).toHaveLength(1);
      expect(reports[0]![0]).toBe('c');
      expect(reports[0]![1]).toContain(`a real timer (timers/promises setTimeout) created at ${line}:`);
    } finally {
      undo();
    }
  });

  it('reports a worker thread message on a port the role created', async () => {
    const { port1, port2 } = as('a', () => new MessageChannel());
    const received = new Promise((resolve) => port1.once('message', resolve));
    port2.postMessage('hello');
    await received;
    port1.close();
    expect(reports.map(([role, what]) => [role, what.split(' created at ')[0]])).toEqual([['a', 'a worker thread message (MessagePort)']]);
  });

  it('reports nothing for harness work, work outside a role, outside a simulation, or promises only', async () => {
    as('a', () => watch.harness(() => setTimeout(() => undefined, 1)));
    setTimeout(() => undefined, 1);
    simulating = false;
    as('a', () => setTimeout(() => undefined, 1));
    simulating = true;
    await as('a', async () => {
      for (let i = 0; i < 100; i++) await Promise.resolve(i);
      queueMicrotask(() => undefined);
      process.nextTick(() => undefined);
    });
    await settle(20);
    await flush();
    expect(reports).toEqual([]);
  });

  it('stops reporting after stop()', async () => {
    as('a', () => setTimeout(() => undefined, 5));
    watch.stop();
    await settle(20);
    expect(reports).toEqual([]);
  });

  it('tells which role created the real resource whose callback runs now', async () => {
    const seen: Array<string | null> = [];
    await new Promise<void>((resolve) =>
      as('b', () =>
        setTimeout(() => {
          seen.push(watch.roleOfCallback());
          resolve();
        }, 1),
      ),
    );
    seen.push(watch.roleOfCallback());
    expect(seen).toEqual(['b', null]);
  });
});
