import * as path from 'node:path';

/** The parts of Jest's `--json` result that explore reads. */
export interface JestJsonResult {
  readonly success: boolean;
  readonly numTotalTestSuites: number;
  readonly testResults: ReadonlyArray<{
    readonly name: string;
    readonly status: string;
    readonly message: string;
    readonly assertionResults: ReadonlyArray<{ readonly fullName: string; readonly status: string }>;
  }>;
}

/** How one Jest run ended, as far as explore cares. */
export interface RunOutcome {
  /** Jest's full names of the tests that failed, in the order of the result. */
  readonly failedTests: readonly string[];
  /** Why the run failed beyond its failed tests (a file that failed to run, no result at all); one line each. */
  readonly problems: readonly string[];
}

/** How a child Jest process ended. */
export interface RunExit {
  /** Its parsed `--json` result, or null when it wrote none (or none that parses). */
  readonly json: JestJsonResult | null;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The end of what it printed, for runs that end without a result. */
  readonly outputTail: string;
  /** The folder test file names are shown relative to. */
  readonly cwd: string;
}

/** Text on one line, at most `maxChars` long. */
export function oneLine(text: string, maxChars = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > maxChars ? `${line.slice(0, maxChars - 3)}...` : line;
}

/**
 * Reads how a child Jest run ended: its failed tests by full name, and as problems what else failed
 * it (a test file that failed outside its tests, no test file found, a non-zero exit with no failure
 * in the result, no result at all). A run passed when both lists are empty.
 */
export function runOutcome(exit: RunExit): RunOutcome {
  const ended = exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
  if (exit.json === null) {
    return { failedTests: [], problems: [`Jest ${ended} without writing a result; it printed: ${oneLine(exit.outputTail) || '(nothing)'}`] };
  }
  const failedTests: string[] = [];
  const problems: string[] = [];
  for (const file of exit.json.testResults) {
    const failedHere = file.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName);
    failedTests.push(...failedHere);
    if (file.status === 'failed' && failedHere.length === 0) {
      const firstLine = file.message.split('\n').find((line) => line.trim() !== '' && !line.includes('●')) ?? '';
      problems.push(`${path.relative(exit.cwd, file.name)} failed outside its tests: ${oneLine(firstLine) || '(no message)'}`);
    }
  }
  if (exit.json.numTotalTestSuites === 0) problems.push('Jest found no test file to run; check the Jest arguments after --.');
  if (failedTests.length === 0 && problems.length === 0 && (exit.exitCode !== 0 || !exit.json.success)) {
    problems.push(`Jest ${ended} although every test passed; it printed: ${oneLine(exit.outputTail) || '(nothing)'}`);
  }
  return { failedTests, problems };
}
