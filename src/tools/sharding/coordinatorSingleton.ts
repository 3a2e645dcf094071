import type { ActorRef, ActorSystem, Props } from '../../actors';
import { ClusterSingleton } from '../singleton';

/**
 * Starts the coordinator of a type as a cluster singleton (a manager on this node; the instance on
 * the oldest member) and returns the proxy that reaches the current instance, buffering meanwhile.
 */
export function startCoordinatorSingleton(system: ActorSystem, name: string, props: Props): ActorRef {
  return ClusterSingleton.get(system).init({ name, props });
}
