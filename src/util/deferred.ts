/** A promise with its settle functions, plus whether it has settled. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly settled: boolean;
  resolve(value: T): void;
  reject(error: Error): void;
}

/**
 * Creates a `Deferred`. The promise is marked as handled, so a rejection that nobody awaits (for
 * example `whenUp()` after a join timeout that no caller asked about) never becomes an
 * unhandled-rejection crash; callers that await it still see the rejection.
 */
export function deferred<T>(): Deferred<T> {
  let resolveFn!: (value: T) => void;
  let rejectFn!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    resolveFn = resolve;
    rejectFn = reject;
  });
  promise.catch(() => undefined);
  const state = {
    promise,
    settled: false,
    resolve(value: T) {
      if (state.settled) return;
      state.settled = true;
      resolveFn(value);
    },
    reject(error: Error) {
      if (state.settled) return;
      state.settled = true;
      rejectFn(error);
    },
  };
  return state;
}
