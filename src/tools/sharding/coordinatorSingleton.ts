import type { ActorRef, ActorSystem, Props } from '../../actors';

/**
 * Starts the coordinator of a type as a cluster singleton and returns the proxy that reaches it.
 */
export function startCoordinatorSingleton(system: ActorSystem, name: string, props: Props): ActorRef {
  void system;
  void props;
  throw new Error(`The coordinator '${name}' needs ClusterSingleton, which is not available yet.`);
}
