import * as path from 'node:path';
import type { RerunTarget } from './rerunCommand';

/** What a rerun line needs from the run besides the test: how Jest found its config, and its projects. */
export interface RunScope {
  /** The `--config` argument Jest was given, or null (Jest then finds the config from the directory it runs in). */
  readonly config: string | null;
  /** Whether the run has several projects (then the rerun line must select the test's project). */
  readonly multiProject: boolean;
  /** The run's `rootDir`. */
  readonly rootDir: string;
}

/** The parts of a Jest project config that select the project. */
export interface ScopeProject {
  readonly rootDir: string;
  readonly displayName?: { readonly name: string } | null;
}

/**
 * The scope of this Jest run, from its global config and the command line Jest was started with.
 * Reporters run in Jest's main process, so `argv` is Jest's own (`process.argv`); `-c`/`--config`
 * are the only arguments that change which config a rerun reads.
 */
export function runScope(globalConfig: { readonly rootDir: string; readonly projects?: readonly unknown[] }, argv: readonly string[]): RunScope {
  return { config: configArgument(argv), multiProject: (globalConfig.projects?.length ?? 0) > 1, rootDir: globalConfig.rootDir };
}

/** The value of the last `--config`/`-c` in `argv` (`--config x`, `--config=x`, `-c x`, `-c=x`), or null. */
export function configArgument(argv: readonly string[]): string | null {
  let config: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if ((arg === '--config' || arg === '-c') && i + 1 < argv.length) config = argv[++i]!;
    else if (arg.startsWith('--config=')) config = arg.slice('--config='.length);
    else if (arg.startsWith('-c=')) config = arg.slice('-c='.length);
  }
  return config;
}

/**
 * How the rerun line of a test of `project` selects that project in a run of `scope`: by its
 * `displayName` (`--selectProjects`), or, for a project without one, by the test file's path from the
 * run's `rootDir` (see `RerunTarget.runRelativePath`).
 */
export function rerunSelection(scope: RunScope, project: ScopeProject, testPath: string): Pick<RerunTarget, 'config' | 'project' | 'runRelativePath'> {
  if (!scope.multiProject) return { config: scope.config };
  const name = project.displayName?.name;
  if (name) return { config: scope.config, project: name };
  const samePlace = path.resolve(project.rootDir) === path.resolve(scope.rootDir);
  return { config: scope.config, runRelativePath: samePlace ? null : path.relative(scope.rootDir, testPath).split(path.sep).join('/') };
}
