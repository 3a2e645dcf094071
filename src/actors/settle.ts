/** How a piece of actor code ended: returned (or resolved), or threw (or rejected) `error`. */
export type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/** Whether `value` is a thenable, i.e. actor code that went asynchronous. */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * Runs actor code that may be sync or async and hands its outcome to `then`: synchronously when
 * `fn` returned a plain value or threw, after it settled when it returned a promise. Actor hooks and
 * `receive` are allowed to be either, and the cell's state machine must not care which.
 */
export function runSettled(fn: () => unknown, then: (outcome: Outcome) => void): void {
  let result: unknown;
  try {
    result = fn();
  } catch (error) {
    then({ ok: false, error });
    return;
  }
  if (isPromiseLike(result)) {
    result.then(
      () => then({ ok: true }),
      (error: unknown) => then({ ok: false, error }),
    );
  } else {
    then({ ok: true });
  }
}
