import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Reporter, ReporterContext } from '@jest/reporters';
import type { Test, TestResult } from '@jest/test-result';
import type { Config } from '@jest/types';
import { PROGRESS_FILE_ENV, REPORT_DIR_ENV, relativeTestPath, traceFilePath, traceProjectFolder, type FileTrace } from '../src/harness';
import { createColors, shouldUseColors } from './ansi';
import { buildFileReport } from './buildFileReport';
import type { SourceReader } from './codeFrame';
import { ReporterOptionError, TraceReadError } from './errors';
import { buildTimelinePage, htmlFilePath, htmlFolderPath, renderTimelinePage, type TimelinePageOptions } from './html';
import type { FileReport } from './model';
import type { ReporterOptions, ResolvedReporterOptions } from './options';
import { resolveReporterOptions } from './options';
import { ProgressView, ProgressWatch } from './progress';
import { readTrace } from './readTrace';
import { renderFileReport } from './render';
import { rerunSelection, runScope, type RunScope } from './rerunScope';

/**
 * The Jest reporter of `jest-environment-multinode`: after each test file it prints one line per
 * multi-node test with every role's outcome and, for failures, the root-cause roles with their code
 * frames, the first anomalous event before them, the consequences, the merged timeline of all roles
 * in causal order and a command that reruns the test with the same seed. Add it next to
 * Jest's default reporter: `reporters: ['default', 'jest-environment-multinode/reporter']`.
 *
 * It also decides where traces go: the constructor sets `MULTINODE_REPORT_DIR` before Jest starts
 * its workers, so without this reporter the environment writes no trace files. It writes each failed
 * test's HTML timeline, and at an interactive terminal shows live progress of long multi-node tests
 * (see `onRunStart`). Output goes to stderr, as Jest's default reporter's does.
 */
export default class MultinodeReporter implements Reporter {
  /** The validated options; `outputDir` is absolute. */
  readonly options: ResolvedReporterOptions;
  private readonly failedFiles = new Set<string>();
  private readonly globalConfig: Config.GlobalConfig;
  private readonly scope: RunScope;
  private progress: ProgressWatch | null = null;

  constructor(globalConfig: Config.GlobalConfig, options?: ReporterOptions, _reporterContext?: ReporterContext) {
    this.options = resolveReporterOptions(options, globalConfig.rootDir);
    this.globalConfig = globalConfig;
    this.scope = runScope(globalConfig, process.argv.slice(2));
    try {
      fs.mkdirSync(this.options.outputDir, { recursive: true });
    } catch (error) {
      throw new ReporterOptionError(
        'outputDir',
        `The multinode reporter cannot create its outputDir ${this.options.outputDir}: ${(error as Error).message}.`,
      );
    }
    process.env[REPORT_DIR_ENV] = this.options.outputDir;
  }

  /**
   * Removes the file's trace and HTML timelines from an earlier run before the file runs, so that a
   * file that no longer writes one (it stopped using the environment, or failed before teardown) is
   * not reported from a stale trace, and no page of a test that since passed is left behind. Jest
   * awaits this before it hands the file to a worker.
   */
  onTestFileStart(test: Test): void {
    const project = test.context.config;
    fs.rmSync(this.tracePathOf(project, test.path), { force: true });
    removeHtmlPages(htmlFolderPath(this.options.outputDir, traceProjectFolder(this.globalConfig, project), relativeTestPath(project.rootDir, test.path)));
  }

  /**
   * Starts live progress when someone watches: stderr is an interactive terminal, and the run is
   * neither in CI nor writing `--json`. Otherwise a progress file inherited from an outer Jest run is
   * forgotten, so this run's files do not report into it.
   */
  onRunStart(): void {
    this.progress?.stop();
    this.progress = null;
    delete process.env[PROGRESS_FILE_ENV];
    if (process.stderr.isTTY !== true || this.globalConfig.ci || this.globalConfig.json) return;
    try {
      this.progress = new ProgressWatch(new ProgressView(displayPath), (line) => this.write(line));
    } catch (error) {
      this.write(`multinode: live progress is off: ${(error as Error).message}\n`);
    }
  }

  /** Prints the multi-node report of a finished test file, if its environment wrote a trace. */
  onTestFileResult(test: Test, testResult: TestResult): void {
    this.progress?.fileDone(testResult.testFilePath);
    const tracePath = this.tracePathOf(test.context.config, testResult.testFilePath);
    let trace;
    try {
      trace = readTrace(tracePath);
    } catch (error) {
      if (!(error instanceof TraceReadError)) throw error;
      this.write(`multinode: ${error.message}\n`);
      return;
    }
    if (trace === null) return;

    const project = test.context.config;
    const rerun = rerunSelection(this.scope, project, testResult.testFilePath);
    const projectFolder = traceProjectFolder(this.globalConfig, project);
    const readSource = sourceReader(project.rootDir);
    const report = buildFileReport(trace, {
      logs: this.options.logs,
      jestResult: testResult,
      tracePath: displayPath(tracePath),
      rerun,
      html: this.options.html,
      htmlPath: (testTrace) => displayPath(htmlFilePath(this.options.outputDir, projectFolder, trace.testPath, testTrace.id)),
      readSource,
    });
    if (report.tests.length === 0 && report.roleErrors.length === 0) return;
    this.writeHtmlPages(trace, report, { rerun, readSource });
    // A file Jest failed outside its tests (an error of some role outside any test) failed here too.
    if (report.roleErrors.length > 0 || report.tests.some((t) => t.verdict === 'failed') || testResult.testExecError != null) {
      this.failedFiles.add(testResult.testFilePath);
    }
    this.write(`${renderFileReport(report, createColors(shouldUseColors(process.stderr)))}\n\n`);
  }

  /** Points at the trace directory when a multi-node test failed. */
  onRunComplete(): void {
    this.progress?.stop();
    this.progress = null;
    if (this.failedFiles.size === 0) return;
    const files = this.failedFiles.size === 1 ? '1 file' : `${this.failedFiles.size} files`;
    this.write(`multinode: multi-node tests failed in ${files}; full traces are in ${displayPath(this.options.outputDir)}\n`);
    this.failedFiles.clear();
  }

  /** Never fails the run: test failures are Jest's to report, and trace problems are only warnings. */
  getLastError(): Error | undefined {
    return undefined;
  }

  /** Writes the HTML timeline of every test the report gives a path; a file that cannot be written is a warning. */
  private writeHtmlPages(trace: FileTrace, report: FileReport, options: Pick<TimelinePageOptions, 'rerun' | 'readSource'>): void {
    for (const testReport of report.tests) {
      if (testReport.htmlPath === null) continue;
      const testTrace = trace.tests.find((candidate) => candidate.multinode && candidate.id === testReport.fullName);
      if (testTrace === undefined) continue;
      const file = path.resolve(testReport.htmlPath);
      try {
        const page = buildTimelinePage(trace, testTrace, { ...options, failedInJest: testReport.failedOnlyInJest });
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, renderTimelinePage(page));
      } catch (error) {
        this.write(`multinode: the HTML timeline ${testReport.htmlPath} could not be written: ${(error as Error).message}\n`);
      }
    }
  }

  private tracePathOf(project: Config.ProjectConfig, testPath: string): string {
    return traceFilePath(this.options.outputDir, this.globalConfig, project, testPath);
  }

  // Looks up process.stderr.write on every call: Jest's default reporter wraps it to keep its status
  // line below other output.
  private write(text: string): void {
    process.stderr.write(text);
  }
}

/**
 * Removes the `.html` files of `folder`, and the folder when that leaves it empty. Nothing else is
 * touched: with an unusual `outputDir` (`rootDir` itself, say) the path could name a real folder.
 */
function removeHtmlPages(folder: string): void {
  let names: string[];
  try {
    if (!fs.statSync(folder).isDirectory()) return;
    names = fs.readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) if (name.endsWith('.html')) fs.rmSync(path.join(folder, name), { force: true });
  try {
    fs.rmdirSync(folder); // only when empty
  } catch {
    // Something else is in it: leave it.
  }
}

/** Reads the files that trace stacks name (relative to the project's `rootDir`), for code frames. */
function sourceReader(rootDir: string): SourceReader {
  return (relativePath) => {
    try {
      return fs.readFileSync(path.resolve(rootDir, relativePath), 'utf8');
    } catch {
      return null;
    }
  };
}

/** `absolutePath` relative to the working directory when it is inside it, else unchanged. */
function displayPath(absolutePath: string): string {
  const relative = path.relative(process.cwd(), absolutePath);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolutePath;
}
