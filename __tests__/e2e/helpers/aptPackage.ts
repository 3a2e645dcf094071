import { spawnSync } from 'node:child_process';

/**
 * Makes sure a Debian package is installed, installing it with apt-get as a CI job would when
 * `isInstalled` says it is missing and this user may. Returns null when it is there, else why it
 * could not be had (the caller skips, saying so).
 */
export function ensureAptPackage(name: string, isInstalled: () => boolean): string | null {
  if (isInstalled()) return null;
  if (spawnSync('apt-get', ['--version']).status !== 0) return `${name} is not installed and there is no apt-get to install it with`;
  if (process.getuid?.() !== 0) return `${name} is not installed and only root may install it with apt-get`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { env, encoding: 'utf8' });
  const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '--no-install-recommends', name], { env, encoding: 'utf8' }) : update;
  if (install.status !== 0 || !isInstalled()) return `${name} is not installed and apt-get could not install it: ${(install.stderr ?? '').trim().split('\n').pop()}`;
  return null;
}
