import type { Endpoint } from './loopbackListen';

/** What the harness tells one node process about itself, as `MULTINODE_*` variables. */
export interface NodeIdentity {
  readonly role: string;
  readonly incarnation: number;
  readonly seed: number;
  readonly endpoint: Endpoint;
  /** role -> `host:port` of every other role, through the fault proxies. */
  readonly peers: Readonly<Record<string, string>>;
  readonly dataDir: string;
}

/**
 * The environment of a node process: Jest's environment, then the spec's `env`, then the
 * `MULTINODE_*` variables (which the spec cannot override; `parseProcessSpec` rejects them).
 */
export function nodeEnvironment(base: NodeJS.ProcessEnv, specEnv: Readonly<Record<string, string>>, node: NodeIdentity): Record<string, string | undefined> {
  return {
    ...base,
    ...specEnv,
    MULTINODE_ROLE: node.role,
    MULTINODE_INCARNATION: String(node.incarnation),
    MULTINODE_SEED: String(node.seed),
    MULTINODE_HOST: node.endpoint.host,
    MULTINODE_PORT: String(node.endpoint.port),
    MULTINODE_PEERS: JSON.stringify(node.peers),
    MULTINODE_DATA_DIR: node.dataDir,
  };
}
