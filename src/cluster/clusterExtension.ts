import type { Cluster } from './Cluster';
import { ClusterError } from './errors';

/** The extension name the cluster is registered under on an actor system. */
export const CLUSTER_EXTENSION_NAME = 'cluster';

/**
 * What the cluster needs from an actor system to live on it as an extension. `ActorSystem` fits;
 * the cluster itself does not depend on the actor runtime.
 */
export interface ExtensionHost {
  registerExtension<T>(key: string, value: T): T;
  findExtension<T>(key: string): T | undefined;
}

/** Thrown by `Cluster.get(system)` when no cluster was registered on that system. */
export class ClusterNotRegisteredError extends ClusterError {
  constructor(message: string) {
    super('CLUSTER_NOT_REGISTERED', message);
  }
}

/** Registers `cluster` on `system` so that `Cluster.get(system)` finds it. Throws if one is already registered. */
export function registerCluster(system: ExtensionHost, cluster: Cluster): Cluster {
  return system.registerExtension(CLUSTER_EXTENSION_NAME, cluster);
}

/** The cluster registered on `system`; throws `ClusterNotRegisteredError` naming the system otherwise. */
export function clusterOf(system: ExtensionHost): Cluster {
  const cluster = system.findExtension<Cluster>(CLUSTER_EXTENSION_NAME);
  if (cluster === undefined) {
    throw new ClusterNotRegisteredError(
      `No cluster is registered on ${String(system)}. The embedded node factory registers one on every node; ` +
        `when you build a system yourself, start a Cluster and call registerCluster(system, cluster).`,
    );
  }
  return cluster;
}
