import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from './runJest';

/** Runs npm in `cwd` with a deadline, quietly; throws with npm's output when it fails. */
export function npm(args: readonly string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' }, timeout: 240_000 });
}

/**
 * Packs this package into `dir` and returns the tarball's path. dist/ is already built by `npm test`;
 * rebuilding it here would race the suites that use it.
 */
export function packTarball(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  npm(['pack', '--ignore-scripts', '--pack-destination', dir], PROJECT_ROOT);
  const tarball = fs.readdirSync(dir).find((file) => file.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack wrote no tarball into ${dir}.`);
  return path.join(dir, tarball);
}
