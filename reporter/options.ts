import * as path from 'node:path';
import { describeValue } from '../src/util';
import { ReporterOptionError } from './errors';

/** Which tests get a merged timeline in the output. */
export type LogsOption = 'failed' | 'all' | 'none';

/** The values `logs` accepts, in the order they are listed in error messages. */
export const LOGS_OPTIONS: readonly LogsOption[] = ['failed', 'all', 'none'];

/** Which tests get an HTML timeline file. */
export type HtmlOption = 'failed' | 'all' | 'none';

/** The values `html` accepts, in the order they are listed in error messages. */
export const HTML_OPTIONS: readonly HtmlOption[] = ['failed', 'all', 'none'];

/**
 * Options of `jest-environment-multinode/reporter`, as written in the Jest config:
 * `reporters: ['default', ['jest-environment-multinode/reporter', { logs: 'all' }]]`.
 */
export interface ReporterOptions {
  /**
   * `'failed'` (default): the merged timeline of every failed multi-node test, node messages as counts.
   * `'all'`: the timeline of every multi-node test, passed ones too, with every node message.
   * `'none'`: no timelines; failed tests still show their roles, root causes and rerun command.
   */
  readonly logs?: LogsOption;
  /**
   * `'failed'` (default): one self-contained HTML timeline per failed multi-node test, at
   * `<outputDir>/<test file path relative to rootDir>/<test name>.html`. `'all'`: one per multi-node
   * test. `'none'`: no HTML files.
   */
  readonly html?: HtmlOption;
  /** Where trace files go, relative to `rootDir` (default `'multinode-report'`). */
  readonly outputDir?: string;
}

/** Reporter options after defaults and validation; `outputDir` is absolute. */
export interface ResolvedReporterOptions {
  readonly logs: LogsOption;
  readonly html: HtmlOption;
  readonly outputDir: string;
}

/** The default of `outputDir`, relative to `rootDir`. */
export const DEFAULT_OUTPUT_DIR = 'multinode-report';

const KNOWN_OPTIONS = ['logs', 'html', 'outputDir'] as const;

/**
 * Validates the reporter's options and applies defaults; `outputDir` is resolved against `rootDir`.
 * Throws `ReporterOptionError` naming the option, the value given and what is allowed.
 */
export function resolveReporterOptions(options: unknown, rootDir: string): ResolvedReporterOptions {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ReporterOptionError(
      '(options)',
      `The multinode reporter's options must be an object such as { logs: 'failed' }, but got ${describeValue(options)}.`,
    );
  }
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(KNOWN_OPTIONS as readonly string[]).includes(key)) {
      throw new ReporterOptionError(
        key,
        `The multinode reporter has no option ${describeValue(key)}; the options are ${KNOWN_OPTIONS.map((k) => `'${k}'`).join(', ')}.`,
      );
    }
  }

  const logs = oneOf(given, 'logs', LOGS_OPTIONS);
  const html = oneOf(given, 'html', HTML_OPTIONS);

  const outputDir = given.outputDir ?? DEFAULT_OUTPUT_DIR;
  if (typeof outputDir !== 'string' || outputDir.trim() === '') {
    throw new ReporterOptionError(
      'outputDir',
      `The multinode reporter's option 'outputDir' is ${describeValue(outputDir)}, but it must be a non-empty directory path (relative to rootDir, or absolute).`,
    );
  }

  return { logs, html, outputDir: path.resolve(rootDir, outputDir) };
}

/** The option `key` of `given`, `'failed'` when absent; throws when it is not one of `allowed`. */
function oneOf<T extends string>(given: Record<string, unknown>, key: string, allowed: readonly T[]): T {
  const value = given[key] ?? 'failed';
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ReporterOptionError(
      key,
      `The multinode reporter's option '${key}' is ${describeValue(value)}, but it must be one of ${allowed.map((v) => `'${v}'`).join(', ')}.`,
    );
  }
  return value as T;
}
