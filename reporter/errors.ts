import { MultinodeError } from '../src/util';

/**
 * A reporter option in `reporters: [['jest-environment-multinode/reporter', options]]` is unknown or
 * has a value the reporter cannot use. Thrown from the constructor, so Jest stops before running tests.
 */
export class ReporterOptionError extends MultinodeError {
  /** The option's name as the user wrote it. */
  readonly option: string;

  constructor(option: string, message: string) {
    super('REPORTER_OPTION_INVALID', message);
    this.option = option;
  }
}

/**
 * A trace file exists but cannot be used: it is not JSON, it has the wrong shape, or a different
 * version of the package wrote it. The reporter prints this as a warning and carries on; it never
 * fails the run because of a trace.
 */
export class TraceReadError extends MultinodeError {
  /** The trace file's absolute path. */
  readonly tracePath: string;

  constructor(tracePath: string, message: string) {
    super('TRACE_UNREADABLE', message);
    this.tracePath = tracePath;
  }
}
