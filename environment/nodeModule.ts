import * as path from 'node:path';
import { createScriptTransformer } from '@jest/transform';
import type { Config } from '@jest/types';
import Resolver from 'jest-resolve';
import type { NodeFactory } from '../src/node';
import { NodeError } from '../src/harness';
import { describeValue } from '../src/util';
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

/**
 * Loads a NodeFactory in the current thread, outside any test sandbox, through Jest's own
 * transformer (so TypeScript factories work with the project's transform). Memoized per thread.
 */
export function factoryLoader(modulePath: string | null, projectConfig: Config.ProjectConfig): () => Promise<NodeFactory> {
  let loaded: Promise<NodeFactory> | null = null;
  return () => {
    loaded ??= load(modulePath, projectConfig);
    return loaded;
  };
}

async function load(modulePath: string | null, projectConfig: Config.ProjectConfig): Promise<NodeFactory> {
  if (modulePath === null) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const embedded = require(EMBEDDED_NODE_MODULE) as { default?: unknown };
    return checkFactory(embedded.default, 'the embedded actor cluster');
  }
  const transformer = await createScriptTransformer(projectConfig);
  const exported: unknown = await transformer.requireAndTranspileModule(modulePath);
  return checkFactory(exported, `'${modulePath}'`);
}

function checkFactory(value: unknown, where: string): NodeFactory {
  if (typeof value !== 'function') {
    throw new NodeError(`The node module ${where} must default-export a NodeFactory function (ctx) => ({ system, stop, crash? }); its default export is ${describeValue(value)}.`);
  }
  return value as NodeFactory;
}
