import type { Config } from '@jest/types';
import { createCoverageMap, type CoverageMapData } from 'istanbul-lib-coverage';

/**
 * Whether role threads collect coverage: with Jest's default (babel) provider every role instruments
 * the code it loads and the lead merges what they counted. V8 coverage is the lead's own process
 * only: a role thread's V8 profile cannot be read from the lead's inspector session.
 */
export function rolesCollectCoverage(globalConfig: Config.GlobalConfig): boolean {
  return globalConfig.collectCoverage && globalConfig.coverageProvider !== 'v8';
}

/**
 * Adds the roles' coverage to the lead's `__coverage__`, which jest-runner reads when the lead's run
 * ends: lines run on any role count, with their hits summed. Counters are matched by source location,
 * so a role's transpile-only transform still lines up with the lead's.
 */
export function mergeRoleCoverage(global: Record<string, unknown>, roles: readonly unknown[]): void {
  if (roles.length === 0) return;
  const merged = createCoverageMap((global.__coverage__ ?? {}) as CoverageMapData);
  for (const coverage of roles) merged.merge(coverage as CoverageMapData);
  global.__coverage__ = Object.fromEntries(merged.files().map((file) => [file, merged.fileCoverageFor(file).toJSON()]));
}
