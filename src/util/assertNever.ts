import { describeValue } from './errors';

/**
 * Closes an exhaustive `switch` over a discriminated union: the call only type-checks when every
 * variant has a case. At run time it throws, which happens only when a value from outside the union
 * got through, such as a malformed message from another thread or an older version of a peer.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new TypeError(`Unexpected ${what} ${describeValue(value)}: no case handles it.`);
}
