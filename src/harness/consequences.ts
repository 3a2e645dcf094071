import type { SerializedError } from '../util';
import type { RoleFailure } from './BarrierCoordinator';

/*
 * How a role's failure is told apart from its consequences on other roles: barrier errors that only
 * report another role's failure, and test timeouts of roles that waited for a role that stopped
 * answering, carry `consequence`, `rootRole` and `rootSummary` fields; the lead sorts and labels by them.
 */

/** The failure that other roles' barriers report: the root error, or the root role of a consequence. */
export function failureOf(role: string, errors: readonly SerializedError[]): RoleFailure {
  const root = errors.find((e) => e.fields?.consequence !== true);
  if (root !== undefined) return { summary: firstLine(root.message), rootRole: role };
  const consequence = errors[0];
  const fields = consequence?.fields ?? {};
  const rootRole = typeof fields.rootRole === 'string' ? fields.rootRole : role;
  const summary = typeof fields.rootSummary === 'string' ? fields.rootSummary : consequence ? firstLine(consequence.message) : 'no error recorded';
  return { summary, rootRole };
}

/** What other roles' barriers say when the role they waited for stopped answering. */
export function hungFailure(role: string): RoleFailure {
  return { rootRole: role, summary: `role '${role}' stopped answering while the others waited for it` };
}

/** `error`, marked as a consequence of `failure`'s root role (as barrier consequences are). */
export function asConsequence(error: SerializedError, failure: RoleFailure): SerializedError {
  if (error.fields?.consequence === true) return error;
  return { ...error, fields: { ...error.fields, consequence: true, rootRole: failure.rootRole, rootSummary: failure.summary } };
}

/** The first line of `text`, cut to 160 characters. */
export function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
