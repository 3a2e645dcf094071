import * as path from 'node:path';
import type { Context } from 'node:vm';
import { MessagePort, moveMessagePortToContext } from 'node:worker_threads';
import type { Config } from '@jest/types';
import { NodeError, realmCopier, type LinkPort, type NodeRealm } from '../src/harness';
import type { NodeFactory } from '../src/node';
import { describeValue } from '../src/util';
import { EMBEDDED_NODE_MODULE } from './nodeModule';
import { REALM_HOOK } from './realmSetup';

/** The setup module every multi-node file runs last among its `setupFilesAfterEnv`. */
export const REALM_SETUP_FILE = path.join(__dirname, 'realmSetup.js');

/**
 * A role's test sandbox as its node's realm. Jest never hands an environment the runtime that loads
 * the test file, so the environment adds `realmSetup` to the project's `setupFilesAfterEnv` for the
 * files it runs; that module, required by the test's own runtime, gives back a `require` bound to the
 * test's module registry. The node factory is loaded through it: the test and its node share one copy
 * of every library (and `jest.mock`, `resetModules` and coverage reach node code), and link ports are
 * moved into the sandbox's context so that messages arrive as the test realm's objects.
 */
export class TestRealm implements NodeRealm {
  private load: NodeJS.Require | null = null;
  private factory: Promise<NodeFactory> | null = null;
  private readonly copier: { copy<T>(value: T): T; close(): void; isClosed(): boolean };

  constructor(
    private readonly context: Context,
    global: object,
    /** Absolute path of the factory module, or null for the embedded cluster. */
    private readonly modulePath: string | null,
  ) {
    (global as Record<symbol, unknown>)[REALM_HOOK] = (load: NodeJS.Require) => {
      this.load ??= load;
    };
    this.copier = realmCopier((port) => moveMessagePortToContext(port, context));
  }

  loadFactory(): Promise<NodeFactory> {
    this.factory ??= Promise.resolve().then(() => this.require());
    return this.factory;
  }

  adoptPort(port: MessagePort): LinkPort {
    const moved = moveMessagePortToContext(port, this.context) as unknown as MovedPort;
    return {
      postMessage: (value) => moved.postMessage(value),
      listen: (handler) => {
        // A moved port is an object of the sandbox's context: only `onmessage` and `start` exist on it.
        moved.onmessage = (event) => handler(event.data);
        moved.start();
      },
      close: () => MessagePort.prototype.close.call(moved),
    };
  }

  copy<T>(value: T): T {
    return this.copier.copy(value);
  }

  isClosed(): boolean {
    return this.copier.isClosed();
  }

  /** Releases the realm's own channel. */
  close(): void {
    this.copier.close();
  }

  private require(): NodeFactory {
    if (this.load === null) {
      throw new NodeError(
        `The node could not be loaded into the test's module registry: Jest did not run ${REALM_SETUP_FILE} from setupFilesAfterEnv. ` +
          'The multi-node environment adds it to the project config; a custom runner or testRunner that skips setupFilesAfterEnv cannot host multi-node tests.',
      );
    }
    const where = this.modulePath === null ? 'the embedded actor cluster' : `'${this.modulePath}'`;
    const exported: unknown = this.load(this.modulePath ?? EMBEDDED_NODE_MODULE);
    const factory = typeof exported === 'function' ? exported : (exported as { default?: unknown } | null)?.default;
    if (typeof factory !== 'function') {
      throw new NodeError(`The node module ${where} must default-export a NodeFactory function (ctx) => ({ system, stop, crash? }); its default export is ${describeValue(factory)}.`);
    }
    return factory as NodeFactory;
  }
}

/** What `moveMessagePortToContext` returns: a port object of the target context. */
interface MovedPort {
  postMessage(value: unknown): void;
  start(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/**
 * Adds the realm setup module to the project's `setupFilesAfterEnv` (in place: the runtime reads the
 * same array) and returns how to take it out again once the file has loaded.
 */
export function addRealmSetup(projectConfig: Config.ProjectConfig): () => void {
  const files = projectConfig.setupFilesAfterEnv as string[];
  if (files.includes(REALM_SETUP_FILE)) return () => undefined;
  files.push(REALM_SETUP_FILE);
  return () => {
    const at = files.indexOf(REALM_SETUP_FILE);
    if (at >= 0) files.splice(at, 1);
  };
}
