import type { Circus } from '@jest/types';
import type { RoleResult } from '../src/harness';
import { deserializeError, serializeError, type SerializedError, describeValue } from '../src/util';

/*
 * How errors are shaped for Jest's verdict on the lead: every message starts with its role, root
 * causes come before consequences, a consequence names its root, and an error outside any test says
 * when it happened.
 */

/**
 * The thrown value of a circus error entry (`[thrown, asyncError]` for hooks and timeouts), as an
 * Error where it was not one, worded as Jest words it: `thrown: "Exceeded timeout of 500 ms for a
 * test.` with the string's own line breaks, and the frames of where the test or hook was defined.
 */
export function primaryError(error: Circus.TestError): unknown {
  if (!Array.isArray(error)) return error;
  const [thrown, asyncError] = error;
  if (thrown instanceof Error || (typeof thrown === 'object' && thrown !== null && 'message' in thrown)) return thrown;
  // pretty-format's string form, which Jest uses here: quoted, only quotes and backslashes escaped.
  const shown = typeof thrown === 'string' ? `"${thrown.replace(/["\\]/g, '\\$&')}"` : describeValue(thrown);
  const wrapped = new Error(`thrown: ${shown}`);
  // The async error's own message may span lines (circus puts the timeout text there): keep only its frames.
  const frames = String(asyncError?.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  if (frames.length > 0) wrapped.stack = `Error: ${wrapped.message}\n${frames.join('\n')}`;
  return wrapped;
}

/**
 * The lead's merged errors: root causes first (the lead's own, then other roles' in role order),
 * consequences after; every message starts with its role, e.g. `[c] expect(received).toBe(expected)`.
 */
export function mergeErrors(lead: string, ownErrors: readonly Circus.TestError[], results: Map<string, RoleResult>): Error[] {
  const tagged: Array<{ error: Error; consequence: boolean }> = [];
  const leadResult = results.get(lead)?.errors ?? [];
  ownErrors.forEach((raw, i) => {
    const error = primaryError(raw) as Error;
    const marked = leadResult[i];
    const consequence = marked !== undefined && isConsequence(marked) ? marked : serializeError(error);
    tagged.push({ error: noteRoot(tag(error, lead), consequence), consequence: isConsequence(consequence) });
  });
  // Errors of the lead beyond its Jest test's own: its node's, which the conductor added (processes mode).
  for (const data of leadResult.slice(ownErrors.length)) tagged.push({ error: noteRoot(tag(deserializeError(data), lead), data), consequence: isConsequence(data) });
  for (const [role, result] of results) {
    if (role === lead) continue;
    for (const data of result.errors) tagged.push({ error: noteRoot(tag(deserializeError(data), role), data), consequence: isConsequence(data) });
  }
  return [...tagged.filter((t) => !t.consequence), ...tagged.filter((t) => t.consequence)].map((t) => t.error);
}

/** A role's error outside any test, as Jest shows it: `[b] <message> (at 14:02:11.123 UTC, outside any test)`. */
export function stampOutsideTest(error: Error, time: number): Error {
  if (typeof error !== 'object' || error === null || / UTC, outside any test\)/.test(String(error.message))) return error;
  const [first = '', ...rest] = String(error.message).split('\n');
  return rewriteMessage(error, [`${first} (at ${new Date(time).toISOString().slice(11, 23)} UTC, outside any test)`, ...rest].join('\n'));
}

function isConsequence(error: SerializedError): boolean {
  return error.fields?.consequence === true;
}

/**
 * A consequence that does not say so itself (a test timeout while the role waited for a role that
 * stopped answering) gets a line naming its root cause, as barrier consequences have.
 */
function noteRoot(error: Error, data: SerializedError): Error {
  const root = data.fields?.rootRole;
  if (!isConsequence(data) || typeof root !== 'string' || /consequence/.test(error.message)) return error;
  const note = `This is a consequence of role ${root}'s failure (${String(data.fields?.rootSummary ?? 'see its error')}), not a second root cause.`;
  return rewriteMessage(error, `${error.message}\n${note}`);
}

/** `error` with its message prefixed by `[role] ` (once) and an enumerable `role` that survives into Jest's failureDetails. */
export function tag(error: Error, role: string): Error {
  if (typeof error !== 'object' || error === null) return error;
  const prefix = `[${role}] `;
  const original = String(error.message ?? '');
  if (original.startsWith(prefix)) return error;
  const tagged = prefix + original;
  try {
    // Read the stack first: V8 may format it lazily, and would then print the new message already.
    const stack = error.stack;
    error.message = tagged;
    if (typeof stack === 'string') error.stack = stack.includes(original) && original !== '' ? stack.replace(original, tagged) : `${prefix}${stack}`;
    Object.defineProperty(error, 'role', { value: role, enumerable: true, configurable: true, writable: true });
  } catch {
    // A frozen error keeps its message; the verdict is still right.
  }
  return error;
}

/** Sets `error`'s message, and the same text in its stack where the stack shows the old message. */
function rewriteMessage(error: Error, message: string): Error {
  const original = String(error.message ?? '');
  try {
    if (typeof error.stack === 'string') {
      if (original !== '' && error.stack.includes(original)) error.stack = error.stack.replace(original, message);
    }
    error.message = message;
  } catch {
    // A frozen error keeps its message; the verdict is still right.
  }
  return error;
}
