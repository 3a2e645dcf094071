import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Test, TestResult } from '@jest/test-result';
import type { Config } from '@jest/types';
import { requireOrImportModule } from 'jest-util';
import MultinodeReporter from '../../reporter/MultinodeReporter';
import { ReporterOptionError } from '../../reporter/errors';
import { stripAnsi } from '../../reporter/format';
import { PROGRESS_FILE_ENV } from '../../src/harness/progress';
import { relativeTestPath, REPORT_DIR_ENV, traceFilePath } from '../../src/harness/traceFile';
import type { FileTrace } from '../../src/harness/traceTypes';
import { FAILING_TRACE, LEAD_ONLY, makeTest, makeTrace, passed } from './fixtures/traces';

let rootDir: string;
let stderr: string[];
const savedReportDir = process.env[REPORT_DIR_ENV];

beforeEach(() => {
  rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-reporter-'));
  stderr = [];
  // The reporter reads Jest's command line for --config; this test's own must not leak into it.
  jest.replaceProperty(process, 'argv', ['node', 'jest']);
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(rootDir, { recursive: true, force: true });
  if (savedReportDir === undefined) delete process.env[REPORT_DIR_ENV];
  else process.env[REPORT_DIR_ENV] = savedReportDir;
});

const globalConfig = (): Config.GlobalConfig => ({ rootDir }) as Config.GlobalConfig;
const testFile = (): string => path.join(rootDir, '__tests__', 'cluster.test.ts');
const jestTest = (): Test => ({ path: testFile(), context: { config: { rootDir, id: 'project-id' } } }) as unknown as Test;
const jestResult = (): TestResult => ({ testFilePath: testFile(), testResults: [] }) as unknown as TestResult;
const output = (): string => stripAnsi(stderr.join(''));

/** Writes `trace` where the environment would, for this test's file. */
function writeTrace(reporter: MultinodeReporter, trace: FileTrace): string {
  const file = traceFilePath(reporter.options.outputDir, globalConfig(), jestTest().context.config, testFile());
  fs.writeFileSync(file, JSON.stringify({ ...trace, testPath: relativeTestPath(rootDir, testFile()) }));
  return file;
}

describe('MultinodeReporter', () => {
  describe('live progress', () => {
    const stderrIsTTY = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    const atTerminal = (isTTY: boolean): void => {
      Object.defineProperty(process.stderr, 'isTTY', { value: isTTY, configurable: true, writable: true });
    };
    afterEach(() => {
      delete process.env[PROGRESS_FILE_ENV];
      if (stderrIsTTY === undefined) delete (process.stderr as { isTTY?: boolean }).isTTY;
      else Object.defineProperty(process.stderr, 'isTTY', stderrIsTTY);
    });

    it('names a progress file to the environments at an interactive terminal, and removes both when the run completes', () => {
      atTerminal(true);
      const reporter = new MultinodeReporter(globalConfig());
      reporter.onRunStart();
      const file = process.env[PROGRESS_FILE_ENV]!;
      expect(fs.existsSync(file)).toBe(true);
      reporter.onRunComplete();
      expect(process.env[PROGRESS_FILE_ENV]).toBeUndefined();
      expect(fs.existsSync(file)).toBe(false);
    });

    it.each([
      ['not a terminal', false, {}],
      ['in CI', true, { ci: true }],
      ['with --json', true, { json: true }],
    ])('names none %s, and forgets one inherited from an outer run', (_, isTTY, config) => {
      atTerminal(isTTY);
      process.env[PROGRESS_FILE_ENV] = '/outer/progress.jsonl';
      new MultinodeReporter({ ...globalConfig(), ...config } as Config.GlobalConfig).onRunStart();
      expect(process.env[PROGRESS_FILE_ENV]).toBeUndefined();
    });
  });

  it('creates outputDir under rootDir and tells the environments about it through MULTINODE_REPORT_DIR', () => {
    const reporter = new MultinodeReporter(globalConfig(), { outputDir: 'out/traces' });
    const expected = path.join(rootDir, 'out', 'traces');
    expect(reporter.options.outputDir).toBe(expected);
    expect(process.env[REPORT_DIR_ENV]).toBe(expected);
    expect(fs.statSync(expected).isDirectory()).toBe(true);
  });

  it("uses 'multinode-report' by default", () => {
    new MultinodeReporter(globalConfig());
    expect(process.env[REPORT_DIR_ENV]).toBe(path.join(rootDir, 'multinode-report'));
  });

  it('rejects invalid options before setting anything up', () => {
    delete process.env[REPORT_DIR_ENV];
    expect(() => new MultinodeReporter(globalConfig(), { logs: 'everything' as 'all' })).toThrow(ReporterOptionError);
    expect(process.env[REPORT_DIR_ENV]).toBeUndefined();
  });

  it('removes a stale trace of a file before the file runs, and only that one', () => {
    const reporter = new MultinodeReporter(globalConfig());
    const stale = writeTrace(reporter, FAILING_TRACE);
    const other = path.join(reporter.options.outputDir, 'other.test.ts.mntrace');
    fs.writeFileSync(other, '{}');
    reporter.onTestFileStart(jestTest());
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(other)).toBe(true);
    expect(() => reporter.onTestFileStart(jestTest())).not.toThrow();
  });

  it('prints the report of a file with a trace to stderr', () => {
    const reporter = new MultinodeReporter(globalConfig());
    writeTrace(reporter, FAILING_TRACE);
    reporter.onTestFileResult(jestTest(), jestResult());
    const text = output();
    expect(text).toMatch(/^multinode __tests__\/cluster\.test\.ts \(roles a, b, c · seed 42\)\n/);
    expect(text).toContain('  ✕ cluster › forms a cluster   a ✕ 120 ms · b ✕ 131 ms · c ✕ 80 ms\n');
    expect(text).toContain('      root cause   c  expect(received).toBe(expected)\n');
    expect(text).toContain("rerun: MULTINODE_SEED=42 npx jest './__tests__/cluster.test.ts$' -t '^cluster forms a cluster$'\n");
    expect(text.endsWith('\n\n')).toBe(true);
  });

  it('follows the logs option', () => {
    const reporter = new MultinodeReporter(globalConfig(), { logs: 'none' });
    writeTrace(reporter, FAILING_TRACE);
    reporter.onTestFileResult(jestTest(), jestResult());
    expect(output()).not.toContain('timeline (ms since');
    expect(output()).toContain('rerun:');
  });

  describe('html timelines', () => {
    const pageOf = (reporter: MultinodeReporter, name: string): string =>
      path.join(reporter.options.outputDir, '__tests__', 'cluster.test.ts', `${name}.html`);

    it('writes a page per failed test under outputDir by test file and name, and lists it under the failure', () => {
      const reporter = new MultinodeReporter(globalConfig());
      writeTrace(reporter, FAILING_TRACE);
      reporter.onTestFileResult(jestTest(), jestResult());
      const page = pageOf(reporter, 'cluster forms a cluster');
      expect(fs.readFileSync(page, 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*"test":"cluster forms a cluster"/);
      expect(fs.existsSync(pageOf(reporter, 'cluster starts'))).toBe(false);
      expect(output()).toContain(`      html timeline: ${page}\n`);
    });

    it("writes every multi-node test's page with html 'all', and none with 'none'", () => {
      const all = new MultinodeReporter(globalConfig(), { html: 'all' });
      writeTrace(all, FAILING_TRACE);
      all.onTestFileResult(jestTest(), jestResult());
      expect(fs.existsSync(pageOf(all, 'cluster starts'))).toBe(true);
      expect(fs.existsSync(pageOf(all, 'cluster forms a cluster'))).toBe(true);
      expect(fs.readdirSync(path.dirname(pageOf(all, 'x')))).toHaveLength(2); // not the lead-only test

      fs.rmSync(all.options.outputDir, { recursive: true });
      stderr.length = 0;
      const none = new MultinodeReporter(globalConfig(), { html: 'none' });
      writeTrace(none, FAILING_TRACE);
      none.onTestFileResult(jestTest(), jestResult());
      expect(fs.existsSync(path.dirname(pageOf(none, 'x')))).toBe(false);
      expect(output()).not.toContain('html timeline:');
    });

    it('removes the pages of an earlier run when the file starts, and nothing that is not a page', () => {
      const reporter = new MultinodeReporter(globalConfig());
      writeTrace(reporter, FAILING_TRACE);
      reporter.onTestFileResult(jestTest(), jestResult());
      const page = pageOf(reporter, 'cluster forms a cluster');
      reporter.onTestFileStart(jestTest());
      expect(fs.existsSync(page)).toBe(false);
      expect(fs.existsSync(path.dirname(page))).toBe(false);

      // With outputDir at rootDir, the page folder's path is the test file itself: it stays.
      const atRoot = new MultinodeReporter(globalConfig(), { outputDir: '.' });
      fs.mkdirSync(path.dirname(testFile()), { recursive: true });
      fs.writeFileSync(testFile(), 'test source');
      atRoot.onTestFileStart(jestTest());
      expect(fs.readFileSync(testFile(), 'utf8')).toBe('test source');
    });
  });

  it('prints nothing for a file without a trace', () => {
    const reporter = new MultinodeReporter(globalConfig());
    reporter.onTestFileResult(jestTest(), jestResult());
    expect(stderr).toEqual([]);
  });

  it('prints nothing for a trace without multi-node tests or role errors', () => {
    const reporter = new MultinodeReporter(globalConfig());
    writeTrace(reporter, makeTrace({ tests: [LEAD_ONLY] }));
    reporter.onTestFileResult(jestTest(), jestResult());
    expect(stderr).toEqual([]);
  });

  it('warns about an unreadable trace instead of failing the run', () => {
    const reporter = new MultinodeReporter(globalConfig());
    const file = traceFilePath(reporter.options.outputDir, globalConfig(), jestTest().context.config, testFile());
    fs.writeFileSync(file, 'not json');
    expect(() => reporter.onTestFileResult(jestTest(), jestResult())).not.toThrow();
    expect(output()).toMatch(/^multinode: The trace file .* is not valid JSON/);
    expect(reporter.getLastError()).toBeUndefined();
  });

  it('counts a file that Jest failed outside its tests as failed, though every multi-node test passed', () => {
    const reporter = new MultinodeReporter(globalConfig());
    writeTrace(reporter, makeTrace({ tests: [makeTest(['one', 'passes'], { a: passed(), b: passed() })] }));
    reporter.onTestFileResult(jestTest(), { ...jestResult(), testExecError: { message: '', stack: 'Error: [b] afterAll broke' } } as TestResult);
    stderr.length = 0;
    reporter.onRunComplete();
    expect(output()).toBe(`multinode: multi-node tests failed in 1 file; full traces are in ${reporter.options.outputDir}\n`);
  });

  it('points at the traces at the end of a run in which a multi-node test failed', () => {
    const reporter = new MultinodeReporter(globalConfig());
    writeTrace(reporter, FAILING_TRACE);
    reporter.onTestFileResult(jestTest(), jestResult());
    stderr.length = 0;
    reporter.onRunComplete();
    expect(output()).toBe(`multinode: multi-node tests failed in 1 file; full traces are in ${reporter.options.outputDir}\n`);
    stderr.length = 0;
    reporter.onRunComplete();
    expect(stderr).toEqual([]);
  });
});

describe('the reporter module', () => {
  const modulePath = path.resolve(__dirname, '../../reporter/index.ts');

  it('is the class itself for require(), with default and named exports', () => {
    const required = require(modulePath) as typeof MultinodeReporter & Record<string, unknown>;
    expect(required).toBe(MultinodeReporter);
    expect(required.default).toBe(MultinodeReporter);
    expect(typeof required.buildFileReport).toBe('function');
  });

  it('has no __esModule marker, so that Jest loads a subclass exported with module.exports as the subclass', () => {
    class Subclass extends MultinodeReporter {}
    expect('__esModule' in Subclass).toBe(false);
  });

  it('is loaded as the reporter class the way Jest loads reporters', async () => {
    expect(await requireOrImportModule(modulePath)).toBe(MultinodeReporter);
  });
});
