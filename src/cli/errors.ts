import { MultinodeError } from '../util/errors';

/**
 * A command line that `jest-multinode` cannot run: an unknown command or option, a missing value, a
 * malformed seed list. The message names the value given and what is allowed; the command exits
 * with code 2 after printing it.
 */
export class CliUsageError extends MultinodeError {
  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}
