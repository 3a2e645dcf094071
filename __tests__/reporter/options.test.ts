import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ReporterOptionError } from '../../reporter/errors';
import { resolveReporterOptions } from '../../reporter/options';

const ROOT = path.resolve('/project');

function optionError(options: unknown): ReporterOptionError {
  try {
    resolveReporterOptions(options, ROOT);
  } catch (error) {
    if (error instanceof ReporterOptionError) return error;
    throw error;
  }
  throw new Error('resolveReporterOptions did not throw.');
}

describe('resolveReporterOptions', () => {
  it("defaults to logs 'failed', html 'failed' and outputDir 'multinode-report' under rootDir", () => {
    expect(resolveReporterOptions(undefined, ROOT)).toEqual({ logs: 'failed', html: 'failed', outputDir: path.join(ROOT, 'multinode-report') });
    expect(resolveReporterOptions({}, ROOT)).toEqual({ logs: 'failed', html: 'failed', outputDir: path.join(ROOT, 'multinode-report') });
  });

  it('accepts every html value', () => {
    for (const html of ['failed', 'all', 'none']) expect(resolveReporterOptions({ html }, ROOT).html).toBe(html);
  });

  it('rejects an unknown html value, naming the option, the value and the allowed values', () => {
    const error = optionError({ html: 'always' });
    expect(error.option).toBe('html');
    expect(error.message).toBe(`The multinode reporter's option 'html' is "always", but it must be one of 'failed', 'all', 'none'.`);
    expect(optionError({ html: false }).message).toMatch(/option 'html' is false, but it must be one of/);
  });

  it('accepts every logs value and resolves outputDir against rootDir', () => {
    for (const logs of ['failed', 'all', 'none']) {
      expect(resolveReporterOptions({ logs, outputDir: 'out/traces' }, ROOT)).toEqual({
        logs,
        html: 'failed',
        outputDir: path.join(ROOT, 'out/traces'),
      });
    }
  });

  it('keeps an absolute outputDir', () => {
    const absolute = path.resolve('/tmp/traces');
    expect(resolveReporterOptions({ outputDir: absolute }, ROOT).outputDir).toBe(absolute);
  });

  it('rejects an unknown logs value, naming the option, the value and the allowed values', () => {
    const error = optionError({ logs: 'failures' });
    expect(error.code).toBe('REPORTER_OPTION_INVALID');
    expect(error.option).toBe('logs');
    expect(error.message).toBe(
      `The multinode reporter's option 'logs' is "failures", but it must be one of 'failed', 'all', 'none'.`,
    );
  });

  it('rejects a logs value of the wrong type', () => {
    expect(optionError({ logs: true }).message).toMatch(/option 'logs' is true, but it must be one of/);
  });

  it('rejects an empty or non-string outputDir', () => {
    expect(optionError({ outputDir: '' }).message).toMatch(/option 'outputDir' is "", but it must be a non-empty directory path/);
    expect(optionError({ outputDir: 3 }).option).toBe('outputDir');
  });

  it('rejects unknown options so that typos do not go unnoticed', () => {
    const error = optionError({ log: 'all' });
    expect(error.option).toBe('log');
    expect(error.message).toBe(`The multinode reporter has no option "log"; the options are 'logs', 'html', 'outputDir'.`);
  });

  it('rejects options that are not an object', () => {
    expect(optionError('all').message).toMatch(/options must be an object/);
  });
});
