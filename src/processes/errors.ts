import { MultinodeError } from '../util';

/** A process spec (`multinode.node` as an object) that cannot be used; the message names the field, the value and what is allowed. */
export class InvalidProcessSpecError extends MultinodeError {
  /** The field at fault, e.g. `'ready'`, or `'(all)'`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super('INVALID_PROCESS_SPEC', message);
    this.option = option;
  }
}

/**
 * A role's node process did not become ready: it exited first, could not be started, or was not
 * ready within its deadline (it is then killed). The message quotes its last output lines.
 */
export class NodeStartError extends MultinodeError {
  readonly role: string;
  readonly incarnation: number;

  constructor(code: 'NODE_EXITED_BEFORE_READY' | 'NODE_NOT_READY', role: string, incarnation: number, message: string) {
    super(code, message);
    this.role = role;
    this.incarnation = incarnation;
  }
}

/** The process spec's `setup` command failed (non-zero exit, signal, no such program, or its deadline); the message quotes its output. */
export class SetupFailedError extends MultinodeError {
  constructor(message: string) {
    super('PROCESS_SETUP_FAILED', message);
  }
}

/** A process group that was sent SIGKILL still had living members at the deadline (a process stuck in the kernel). */
export class ProcessGroupStuckError extends MultinodeError {
  readonly role: string;

  constructor(role: string, message: string) {
    super('PROCESS_GROUP_STUCK', message);
    this.role = role;
  }
}
