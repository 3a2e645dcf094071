import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileTrace } from './traceTypes';

/**
 * Where traces go. The reporter sets this environment variable (to an absolute directory) in its
 * constructor, before Jest starts its workers, so every environment instance finds it; without the
 * reporter no trace files are written.
 */
export const REPORT_DIR_ENV = 'MULTINODE_REPORT_DIR';

/**
 * The extension of trace files. The output directory usually sits inside `rootDir`, which Jest
 * watches in `--watch`/`--watchAll`: its haste map drops changes to files whose extension is not in
 * `moduleFileExtensions`, so with this extension rewriting a trace never starts another run (with
 * `.json` it did, forever). The content is JSON.
 */
export const TRACE_FILE_EXTENSION = '.mntrace';

/** The parts of Jest's global config that decide how trace files of a project are named. */
export interface TraceRunConfig {
  /** Jest's `projects` of the run (more than one: a multi-project run). */
  readonly projects?: readonly unknown[];
}

/** The parts of a Jest project config that decide how its trace files are named. */
export interface TraceProjectConfig {
  readonly rootDir: string;
  readonly displayName?: { readonly name: string } | null;
  /** Jest's id of the project (a hash of its rootDir, config path and index). */
  readonly id: string;
}

/**
 * The folder, inside the output directory, that holds the traces of `project`: none (null) when the
 * run has one project; else the project's `displayName`, or `project-` and the start of Jest's id of
 * the project when it has none. Two projects may hold the same relative test path (or the very same
 * file), so a multi-project run keeps each project's traces apart.
 */
export function traceProjectFolder(run: TraceRunConfig, project: TraceProjectConfig): string | null {
  if ((run.projects?.length ?? 0) <= 1) return null;
  const name = project.displayName?.name || `project-${project.id.slice(0, 8)}`;
  return safeFileName(name);
}

/**
 * The trace file of `testPath` inside `reportDir`: the path relative to the project's `rootDir`,
 * flattened, in the project's folder when the run has several projects (see `traceProjectFolder`).
 */
export function traceFilePath(reportDir: string, run: TraceRunConfig, project: TraceProjectConfig, testPath: string): string {
  const relative = path.relative(project.rootDir, testPath) || path.basename(testPath);
  const flat = safeFileName(relative.split(path.sep).join('__'));
  const folder = traceProjectFolder(run, project);
  return path.join(reportDir, ...(folder === null ? [] : [folder]), `${flat}${TRACE_FILE_EXTENSION}`);
}

/** `testPath` relative to `rootDir`, with `/` separators (its base name when it is `rootDir` itself). */
export function relativeTestPath(rootDir: string, testPath: string): string {
  return (path.relative(rootDir, testPath) || path.basename(testPath)).split(path.sep).join('/');
}

/** The folder this package is installed in: the nearest one above this module with a package.json. */
const PACKAGE_ROOT = packageRootOf(__dirname);

/**
 * The text of a trace file. Paths of this machine in it (in error stacks and messages) are made
 * machine-neutral: those inside `rootDir` relative to it, those inside this package's own folder
 * prefixed `<jest-environment-multinode>/`. So the trace of a simulated run is byte-identical on every
 * machine that runs the same code (Node's own frames, `node:internal/...`, are already neutral).
 */
export function serializeTrace(trace: FileTrace, rootDir: string): string {
  let text = JSON.stringify(trace);
  for (const [folder, replacement] of [
    [rootDir, ''],
    [PACKAGE_ROOT, '<jest-environment-multinode>/'],
  ] as const) {
    // Paths as they appear inside JSON strings, file URLs first (they hold the plain path).
    for (const prefix of [`file://${folder}${path.sep}`, folder + path.sep]) {
      text = text.split(JSON.stringify(prefix).slice(1, -1)).join(JSON.stringify(replacement).slice(1, -1));
    }
  }
  return text;
}

function packageRootOf(dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, 'package.json'))) return at;
    if (path.dirname(at) === at) return dir;
  }
}

function safeFileName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_');
}
