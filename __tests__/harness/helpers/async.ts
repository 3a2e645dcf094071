import type { FakeClock } from './FakeClock';

/** Lets every queued promise callback run (one macrotask turn drains the microtask queue). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Whether a promise has settled yet, without awaiting it. */
export function track<T>(promise: Promise<T>): { readonly settled: boolean; readonly promise: Promise<T> } {
  const state = { settled: false, promise };
  promise.then(
    () => {
      state.settled = true;
    },
    () => {
      state.settled = true;
    },
  );
  return state;
}

/**
 * Drives a fake clock in steps of `stepMs` until `promise` settles, flushing promise callbacks
 * between steps. Fails (rather than hanging) if it has not settled within `maxMs` of virtual time.
 */
export async function runUntilSettled<T>(clock: FakeClock, promise: Promise<T>, stepMs: number, maxMs = 60_000): Promise<T> {
  const state = track(promise);
  let elapsed = 0;
  await flush();
  while (!state.settled) {
    if (elapsed > maxMs) throw new Error(`The promise did not settle within ${maxMs} ms of virtual time.`);
    clock.advance(stepMs);
    elapsed += stepMs;
    await flush();
  }
  return promise;
}

/**
 * Waits, in real time, until `condition()` holds, checking after each turn of the event loop;
 * rejects with `what` after `timeoutMs`. For events that arrive through real MessagePorts.
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await flush();
  }
}
