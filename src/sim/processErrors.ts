import { EventEmitter } from 'node:events';
import { runInContext, type Context } from 'node:vm';
import { PropertyPatches } from './PropertyPatches';

/** A process-level error event routed by `ownProcessErrors`. */
export type ProcessErrorKind = 'uncaughtException' | 'unhandledRejection';

/** How `ownProcessErrors` attributes errors and reports the ones no handler takes. */
export interface ProcessErrorRoute {
  /**
   * The role whose event runs right now, or null. With `watchWakeUps`, `() => running ??
   * watch.roleOfCallback()` also gives an error thrown by a real callback to the role that made it.
   */
  currentRole(): string | null;
  /** An error whose role installed no handler for it (role null: no role was running). */
  report(role: string | null, kind: ProcessErrorKind, error: unknown): void;
  /**
   * The role whose context created a rejected promise, when known (see `roleOfPromiseByRealm`);
   * without it, or when it answers undefined, an unhandled rejection goes to the current role.
   */
  roleOfPromise?(promise: Promise<unknown>): string | undefined;
  /** The process whose listeners are owned; by default the real one (see `realProcess`). */
  process?: NodeJS.Process;
}

/** A running ownership of the process error events. */
export interface ProcessErrorOwnership {
  /** Restores the process's methods and the listeners it had before; a second call does nothing. */
  release(): void;
}

/** The events owned: the two error events and `rejectionHandled`, which jest-circus swaps with them. */
const OWNED = ['uncaughtException', 'unhandledRejection', 'rejectionHandled'] as const;
type OwnedEvent = (typeof OWNED)[number];
const isOwned = (event: unknown): event is OwnedEvent => OWNED.includes(event as OwnedEvent);

/** The methods through which listeners are added, removed and read. */
const LISTENER_METHODS = [
  'on',
  'addListener',
  'prependListener',
  'once',
  'prependOnceListener',
  'removeListener',
  'off',
  'removeAllListeners',
  'listeners',
  'rawListeners',
  'listenerCount',
] as const;

/** The real `EventEmitter` methods, which reach the process's own listeners past any patch. */
const real = EventEmitter.prototype;

/**
 * Set on the process while an ownership adds or removes real listeners: `removeAllListeners` calls
 * `this.removeListener`, and Node's domain module answers `newListener`/`removeListener` events with
 * `process.listeners`, `removeListener` and `prependListener`; with another ownership's patch in
 * place, those calls must reach the real listeners too. Kept on the process so that every copy of
 * this module sees it.
 */
const REAL_CALLS = Symbol.for('jest-environment-multinode.sim.processErrors.realCalls');
type RealCallsHolder = { [REAL_CALLS]?: number };

/** Runs `fn` with every owned listener method of `target` acting on its real listeners. */
function onRealListeners(process: NodeJS.Process, fn: () => void): void {
  const target = process as unknown as RealCallsHolder;
  target[REAL_CALLS] = (target[REAL_CALLS] ?? 0) + 1;
  try {
    fn();
  } finally {
    target[REAL_CALLS] -= 1;
    if (target[REAL_CALLS] === 0) delete target[REAL_CALLS];
  }
}

/**
 * Node's real `process`, also from code loaded in a vm context (where Jest gives `process` a copy
 * whose listeners Node never calls): a function made by the main realm's `Function` (that of the
 * built-in `EventEmitter`) reads the main realm's global.
 */
export function realProcess(): NodeJS.Process {
  return (EventEmitter.constructor as FunctionConstructor)('return process')() as NodeJS.Process;
}

/**
 * Owns the process's `uncaughtException`, `unhandledRejection` (and `rejectionHandled`) listeners
 * while a simulated file runs, so that several roles' jest-circus in one thread each keep their own.
 *
 * jest-circus, at its `setup` event, takes `process.rawListeners(event)` for the three events, calls
 * `process.removeAllListeners(event)` and `process.on(event, its listener)`; at `teardown` it calls
 * `process.removeListener(event, its listener)` and `process.on` again for the saved ones. While
 * owned, those calls (and `addListener`, `prependListener`, `once`, `prependOnceListener`, `off`,
 * `listeners`, `listenerCount`) act, for the three events, on a table of the role running at the call
 * (`currentRole()`, null for calls outside any role: run each role's circus setup and teardown as
 * that role). Other events go to the process as usual.
 *
 * An uncaught exception goes to the current role's listeners; an unhandled rejection to those of the
 * role that created the promise (`route.roleOfPromise`), else of the current role; `rejectionHandled`
 * follows its rejection. When that role has no listener, `route.report` gets the error: never another
 * role, never lost. The process's own listeners for the three events are set aside until `release`.
 * Ownerships nest if released in reverse order.
 */
export function ownProcessErrors(route: ProcessErrorRoute): ProcessErrorOwnership {
  const process = route.process ?? realProcess();
  const tables = new Map<string | null, EventEmitter>();
  const tableOf = (role: string | null): EventEmitter => {
    let table = tables.get(role);
    if (table === undefined) {
      table = new EventEmitter();
      tables.set(role, table);
    }
    return table;
  };
  const rejectedBy = new WeakMap<Promise<unknown>, string | null>();

  const deliver = (role: string | null, event: OwnedEvent, args: unknown[]): void => {
    const table = tables.get(role);
    if (table !== undefined && table.listenerCount(event) > 0) {
      try {
        table.emit(event, ...args);
      } catch (thrown) {
        route.report(role, 'uncaughtException', thrown);
      }
    } else if (event !== 'rejectionHandled') {
      route.report(role, event, args[0]);
    }
  };
  const listeners: Record<OwnedEvent, (...args: any[]) => void> = {
    uncaughtException: (error: unknown, origin: unknown) => deliver(route.currentRole(), 'uncaughtException', [error, origin]),
    unhandledRejection: (reason: unknown, promise: Promise<unknown>) => {
      const role = route.roleOfPromise?.(promise) ?? route.currentRole();
      rejectedBy.set(promise, role);
      deliver(role, 'unhandledRejection', [reason, promise]);
    },
    rejectionHandled: (promise: Promise<unknown>) => {
      const role = rejectedBy.has(promise) ? rejectedBy.get(promise)! : route.currentRole();
      rejectedBy.delete(promise);
      deliver(role, 'rejectionHandled', [promise]);
    },
  };

  const saved = new Map<OwnedEvent, Function[]>();
  const install = (): void =>
    onRealListeners(process, () => {
      for (const event of OWNED) real.on.call(process, event, listeners[event]);
    });
  onRealListeners(process, () => {
    for (const event of OWNED) {
      saved.set(event, real.rawListeners.call(process, event));
      real.removeAllListeners.call(process, event);
    }
  });
  install();

  const patches = new PropertyPatches();
  for (const method of LISTENER_METHODS) {
    patches.replace(process, method, (original) =>
      function (this: unknown, event?: unknown, ...rest: unknown[]) {
        if (event === undefined && method === 'removeAllListeners') {
          tableOf(route.currentRole()).removeAllListeners();
          onRealListeners(process, () => (original as Function).call(process));
          install();
          return process;
        }
        if (!isOwned(event) || (process as unknown as RealCallsHolder)[REAL_CALLS] !== undefined) {
          return (original as Function).call(this, event, ...rest);
        }
        const result = (real[method] as Function).call(tableOf(route.currentRole()), event, ...rest);
        return result instanceof EventEmitter ? process : result;
      } as never,
    );
  }

  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      patches.restore();
      onRealListeners(process, () => {
        for (const event of OWNED) {
          real.removeListener.call(process, event, listeners[event]);
          for (const listener of saved.get(event)!) real.on.call(process, event, listener as (...args: any[]) => void);
        }
      });
    },
  };
}

/**
 * A `roleOfPromise` for `ownProcessErrors` that knows a promise's role by its realm: each role runs in
 * its own vm context, whose promises (every `async` function's, every `new Promise` of its code) have
 * that context's `Promise.prototype`. Promises made by Node's own modules (`fs.promises`,
 * `timers/promises`) come from the main realm and are not attributed.
 */
export function roleOfPromiseByRealm(contexts: ReadonlyMap<string, Context>): (promise: Promise<unknown>) => string | undefined {
  const byPrototype = new Map<object, string>();
  for (const [role, context] of contexts) {
    byPrototype.set(runInContext('Object.getPrototypeOf((async () => {})())', context) as object, role);
  }
  return (promise) => byPrototype.get(Object.getPrototypeOf(promise) as object);
}
