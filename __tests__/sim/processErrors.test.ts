import { EventEmitter } from 'node:events';
import { createContext, runInContext } from 'node:vm';
import { RunningRole } from './helpers/manualTime';
import { ownProcessErrors, realProcess, roleOfPromiseByRealm, watchWakeUps, type ProcessErrorOwnership, type ProcessErrorKind } from '../../src/sim';

// Jest gives test code a copy of `process`; jest-circus installs its listeners on the real one.
const process = realProcess();
const EVENTS = ['uncaughtException', 'unhandledRejection', 'rejectionHandled'] as const;
const realRaw = (event: string) => EventEmitter.prototype.rawListeners.call(process, event);

/**
 * What jest-circus does at its `setup` and `teardown` events (injectGlobalErrorHandlers and
 * restoreGlobalErrorHandlers in jest-circus/build), with listeners that record what they receive.
 */
function circus(name: string, received: string[]) {
  const uncaught = (error: Error) => received.push(`${name} uncaught ${error.message}`);
  const unhandled = (error: Error) => received.push(`${name} unhandled ${error.message}`);
  const handled = () => received.push(`${name} handled`);
  let original: Record<string, Function[]> = {};
  return {
    setup() {
      original = Object.fromEntries(EVENTS.map((event) => [event, [...process.rawListeners(event)]]));
      for (const event of EVENTS) process.removeAllListeners(event);
      process.on('uncaughtException', uncaught);
      process.on('unhandledRejection', unhandled);
      process.on('rejectionHandled', handled);
    },
    teardown() {
      process.removeListener('uncaughtException', uncaught);
      process.removeListener('unhandledRejection', unhandled);
      process.removeListener('rejectionHandled', handled);
      for (const event of EVENTS) for (const listener of original[event]!) process.on(event, listener as never);
    },
  };
}

const runner = new RunningRole();
const { as } = runner;
let received: string[] = [];
let reported: Array<[string | null, ProcessErrorKind, string]> = [];
let ownership: ProcessErrorOwnership | undefined;
let before: Record<string, Function[]>;
const own = (roleOfPromise?: (promise: Promise<unknown>) => string | undefined) =>
  (ownership = ownProcessErrors({
    currentRole: () => runner.current,
    report: (role, kind, error) => reported.push([role, kind, (error as Error).message]),
    roleOfPromise,
  }));
const macrotask = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  runner.current = null;
  received = [];
  reported = [];
  before = Object.fromEntries(EVENTS.map((event) => [event, realRaw(event)]));
});
afterEach(() => {
  ownership?.release();
  ownership = undefined;
  for (const event of EVENTS) expect(realRaw(event)).toEqual(before[event]);
});

describe('ownProcessErrors', () => {
  it('keeps each role\'s circus handlers apart: an error reaches only the handler of the role that raised it', () => {
    own();
    const a = circus('a', received);
    const b = circus('b', received);
    as('a', () => a.setup());
    as('b', () => b.setup());
    as('a', () => process.emit('uncaughtException', new Error('from a')));
    as('b', () => process.emit('uncaughtException', new Error('from b')));
    as('a', () => process.emit('unhandledRejection', new Error('rejected in a'), Promise.resolve()));
    expect(received).toEqual(['a uncaught from a', 'b uncaught from b', 'a unhandled rejected in a']);
    as('b', () => b.teardown());
    as('b', () => process.emit('uncaughtException', new Error('after b left')));
    expect(reported).toEqual([['b', 'uncaughtException', 'after b left']]);
    as('a', () => a.teardown());
  });

  it('takes an error thrown by a real callback during a role\'s turn', async () => {
    own();
    const a = circus('a', received);
    as('a', () => a.setup());
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        runner.current = 'a';
        setImmediate(() => {
          runner.current = null;
          resolve();
        });
        throw new Error('thrown for real');
      }, 1),
    );
    expect(received).toEqual(['a uncaught thrown for real']);
    as('a', () => a.teardown());
  });

  it('gives an error thrown by a real callback, outside any turn, to the role that created it', async () => {
    const watch = watchWakeUps({ currentRole: () => runner.current, isSimulating: () => true, onWakeUp: () => undefined });
    try {
      ownership = ownProcessErrors({
        currentRole: () => runner.current ?? watch.roleOfCallback(),
        report: (role, kind, error) => reported.push([role, kind, (error as Error).message]),
      });
      const a = circus('a', received);
      const b = circus('b', received);
      as('a', () => a.setup());
      as('b', () => b.setup());
      as('a', () =>
        setTimeout(() => {
          throw new Error('late in a');
        }, 1),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(received).toEqual(['a uncaught late in a']);
      as('b', () => b.teardown());
      as('a', () => a.teardown());
    } finally {
      watch.stop();
    }
  });

  it('attributes a real unhandled rejection to the role whose context created the promise, and its rejectionHandled too', async () => {
    const contexts = new Map([['a', createContext({})], ['b', createContext({})]]);
    own(roleOfPromiseByRealm(contexts));
    runner.current = 'b';
    const a = circus('a', received);
    const b = circus('b', received);
    as('a', () => a.setup());
    as('b', () => b.setup());
    const code = '(async () => { throw new Error("a rejects") })()';
    const promise = as('b', () => runInContext(code, contexts.get('a')!) as Promise<unknown>);
    await macrotask();
    await macrotask();
    expect(received).toEqual(['a unhandled a rejects']);
    promise.catch(() => undefined);
    await macrotask();
    expect(received).toEqual(['a unhandled a rejects', 'a handled']);
    runner.current = null;
    as('a', () => a.teardown());
    as('b', () => b.teardown());
  });

  it('attributes a rejection of a main-realm promise to the role running when it is reported', () => {
    own(() => undefined);
    const b = circus('b', received);
    as('b', () => b.setup());
    as('b', () => process.emit('unhandledRejection', new Error('node promise'), Promise.resolve()));
    expect(received).toEqual(['b unhandled node promise']);
    as('b', () => b.teardown());
  });

  it('reports errors no handler takes, with their role (null outside any role), never losing one', () => {
    own();
    as('a', () => process.emit('uncaughtException', new Error('no handler in a')));
    process.emit('unhandledRejection', new Error('outside'), Promise.resolve());
    expect(reported).toEqual([
      ['a', 'uncaughtException', 'no handler in a'],
      [null, 'unhandledRejection', 'outside'],
    ]);
  });

  it('supports off, once and listenerCount on a role\'s table, and leaves other events to the process', () => {
    own();
    const listener = (error: Error) => received.push(`once ${error.message}`);
    as('a', () => {
      process.once('uncaughtException', listener);
      expect(process.listenerCount('uncaughtException')).toBe(1);
      process.emit('uncaughtException', new Error('first'));
      process.emit('uncaughtException', new Error('second'));
      const other = () => undefined;
      process.on('uncaughtException', other);
      process.off('uncaughtException', other);
      expect(process.listeners('uncaughtException')).toEqual([]);
    });
    expect(as('b', () => process.listenerCount('uncaughtException'))).toBe(0);
    expect(received).toEqual(['once first']);
    expect(reported).toEqual([['a', 'uncaughtException', 'second']]);
    const onWarning = () => undefined;
    as('a', () => process.on('warning', onWarning));
    expect(realRaw('warning')).toContain(onWarning);
    process.off('warning', onWarning);
  });

  it('restores the process methods and its own listeners on release', () => {
    const hadOwn = ['on', 'once', 'removeListener', 'rawListeners'].map((m) => Object.prototype.hasOwnProperty.call(process, m));
    own();
    // Node's domain module keeps its own first listener (domainUncaughtExceptionClear) when loaded.
    const during = realRaw('uncaughtException').filter((l) => l.name !== 'domainUncaughtExceptionClear');
    expect(during).toHaveLength(1);
    expect(before.uncaughtException).not.toContain(during[0]);
    ownership!.release();
    ownership!.release();
    ownership = undefined;
    expect(['on', 'once', 'removeListener', 'rawListeners'].map((m) => Object.prototype.hasOwnProperty.call(process, m))).toEqual(hadOwn);
    expect(process.on).toBe(EventEmitter.prototype.on);
  });

  it('nests: an inner ownership released first gives the process back to the outer one', () => {
    own();
    const inner = ownProcessErrors({
      currentRole: () => runner.current,
      report: (role, kind, error) => reported.push([role, `${kind} inner` as never, (error as Error).message]),
    });
    as('a', () => process.emit('uncaughtException', new Error('during inner')));
    inner.release();
    as('a', () => process.emit('uncaughtException', new Error('after inner')));
    expect(reported).toEqual([
      ['a', 'uncaughtException inner', 'during inner'],
      ['a', 'uncaughtException', 'after inner'],
    ]);
  });
});
