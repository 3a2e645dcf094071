import * as path from 'node:path';
import type { Config } from '@jest/types';
import Resolver from 'jest-resolve';
import { InvalidOptionError } from './options';

/** Resolves the `node` option (a path relative to rootDir, or a package name) to a file. */
export function resolveNodeModule(node: string, projectConfig: Config.ProjectConfig): string {
  const basedir = projectConfig.rootDir;
  const extensions = projectConfig.moduleFileExtensions.map((ext) => `.${ext}`);
  const candidate = path.isAbsolute(node) ? node : node.startsWith('.') ? path.resolve(basedir, node) : node;
  const found = Resolver.findNodeModule(candidate, { basedir, extensions });
  if (found === null) {
    throw new InvalidOptionError(
      `multinode.node '${node}' could not be resolved from rootDir ${basedir}; give a path relative to rootDir (for example './kv-node.ts') or an installed package name.`,
    );
  }
  return found;
}

/** The embedded actor cluster's factory, compiled next to this file. */
export const EMBEDDED_NODE_MODULE = path.join(__dirname, '..', 'src', 'node', 'embeddedNode.js');
