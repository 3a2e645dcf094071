import { MultinodeError } from '../util';

/** A role name that is not one of the file's roles. */
export class UnknownRoleError extends MultinodeError {
  constructor(names: readonly string[], roles: readonly string[], where: string) {
    const quoted = names.map((n) => `'${n}'`).join(', ');
    super(
      'UNKNOWN_ROLE',
      `${where} was given ${names.length === 1 ? 'an unknown role' : 'unknown roles'} ${quoted}; the roles of this file are ${roles.map((r) => `'${r}'`).join(', ')}.`,
    );
  }
}

/** A fault call with an argument outside what is allowed. */
export class InvalidFaultError extends MultinodeError {
  constructor(message: string) {
    super('INVALID_FAULT', message);
  }
}

/** A barrier that did not complete within its timeout. */
export class BarrierTimeoutError extends MultinodeError {
  constructor(message: string) {
    super('BARRIER_TIMEOUT', message);
  }
}

/** A barrier that cannot complete, for a reason other than a timeout. */
export class BarrierFailedError extends MultinodeError {
  /** True when the failure only reports another role's failure. */
  readonly consequence: boolean;
  /** For a consequence: the role whose failure caused it. */
  readonly rootRole?: string;
  /** For a consequence: the first line of the root role's error. */
  readonly rootSummary?: string;

  constructor(message: string, consequence: boolean, root?: { role: string; summary: string }) {
    super(consequence ? 'BARRIER_CONSEQUENCE' : 'BARRIER_FAILED', message);
    this.consequence = consequence;
    if (root !== undefined) {
      this.rootRole = root.role;
      this.rootSummary = root.summary;
    }
  }
}

/** A role whose thread was ended by the harness, or whose test file failed outside a test. */
export class RoleTerminatedError extends MultinodeError {
  constructor(message: string) {
    super('ROLE_TERMINATED', message);
  }
}

/** Roles that define different tests inside `describe.multinode`. */
export class TestMismatchError extends MultinodeError {
  constructor(message: string) {
    super('TEST_MISMATCH', message);
  }
}

/** A role began a test after the lead had finished the file. */
export class LeadFinishedError extends MultinodeError {
  constructor(message: string) {
    super('LEAD_FINISHED', message);
  }
}

/** A node that could not be started, stopped or crashed. */
export class NodeError extends MultinodeError {
  constructor(message: string) {
    super('NODE_ERROR', message);
  }
}

/** A deadline of the harness itself (node start-up, members Up, shut-down). */
export class HarnessTimeoutError extends MultinodeError {
  constructor(message: string) {
    super('HARNESS_TIMEOUT', message);
  }
}

/** Gives a harness-made error a stack of its message alone: its frames would only point into the harness. */
export function withoutFrames<E extends Error>(error: E): E {
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

/** Set-up of a file failed: a node did not start, or the cluster did not form. */
export class SetupFailedError extends MultinodeError {
  /** True on a role that did not fail itself and only reports other roles' failures. */
  readonly consequence: boolean;
  /** For a consequence: the first role whose set-up failed. */
  readonly rootRole?: string;

  constructor(message: string, rootRole: string | null) {
    super('SETUP_FAILED', message);
    this.consequence = rootRole !== null;
    if (rootRole !== null) this.rootRole = rootRole;
  }
}
