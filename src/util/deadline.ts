import type { Clock } from './Clock';

/**
 * Races `promise` against a deadline on `clock`: rejects with `onTimeout()` after `timeoutMs`.
 * The timer is always cancelled, so nothing is left scheduled once the race is decided.
 */
export function withDeadline<T>(clock: Clock, promise: PromiseLike<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = clock.schedule(timeoutMs, () => reject(onTimeout()));
    Promise.resolve(promise).then(
      (value) => {
        timer.cancel();
        resolve(value);
      },
      (error: unknown) => {
        timer.cancel();
        reject(error);
      },
    );
  });
}
