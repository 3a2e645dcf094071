import { MultinodeError } from '../util';

/**
 * An error of a node running in its own process: it could not be spawned, started, stopped or
 * asked, its control channel broke, or a frame was malformed. `code` tells which.
 */
export class ProcessNodeError extends MultinodeError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** The answer of `NodeHandle.inspect` could not be copied to the harness. */
export class UncloneableAnswerError extends MultinodeError {
  /** The path of the first field that cannot be cloned, e.g. `answer.socket`. */
  readonly path: string;

  constructor(role: string, path: string, reason: string) {
    super(
      'UNCLONEABLE_ANSWER',
      `The inspect() answer of role '${role}' cannot be sent to the test: ${path} is ${reason}, which structured clone cannot copy. ` +
        'Answer with plain data (objects, arrays, strings, numbers, Map, Set, Date, typed arrays).',
    );
    this.path = path;
  }
}
