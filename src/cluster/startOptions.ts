import type { Transport } from '../transport';
import { type Clock, type Rng, describeValue } from '../util';
import type { ClusterLogger } from './ClusterEventBus';
import { InvalidClusterOptionError } from './errors';
import type { ClusterSettings } from './settings';

/** Everything `Cluster.start` needs. */
export interface ClusterStartOptions {
  /** The link to the other nodes; give it its own channel (`channel(transport, 'cluster')`) when it is shared. */
  readonly transport: Transport;
  /** This node's address; defaults to `transport.self` and must equal it. */
  readonly selfAddress?: string;
  /** 0 for the first start at this address, higher for each restart. Default 0. */
  readonly incarnation?: number;
  /**
   * Addresses to join through, in order. The first seed forms a new cluster alone when it starts
   * with incarnation 0; restarted (incarnation > 0), it first tries the other seeds for
   * `seedNodeTimeoutMs`. Every other node sends Join to all seeds until one welcomes it.
   */
  readonly seedNodes: readonly string[];
  /** Time source for timers and the failure detector. Default: the system clock. */
  readonly clock?: Clock;
  /** Random choices (gossip targets). Default: seeded from the address and incarnation. */
  readonly rng?: Rng;
  /** Log sink. Default: discard. */
  readonly log?: ClusterLogger;
  /** Overrides of `DEFAULT_CLUSTER_SETTINGS`, validated (unknown keys and bad values throw). */
  readonly settings?: Partial<ClusterSettings> | Readonly<Record<string, unknown>>;
}

/** The checked essentials of `ClusterStartOptions`. */
export interface ValidStartOptions {
  readonly transport: Transport;
  readonly address: string;
  readonly incarnation: number;
  readonly seeds: readonly string[];
}

/** Checks the options that are not settings; throws `InvalidClusterOptionError` naming the option and value. */
export function validateStartOptions(options: ClusterStartOptions): ValidStartOptions {
  const { transport } = options;
  if (!transport || typeof transport.send !== 'function' || typeof transport.onMessage !== 'function') {
    throw new InvalidClusterOptionError(`Cluster.start needs a transport with send and onMessage; it was given ${describeValue(transport)}.`);
  }
  const address = options.selfAddress ?? transport.self;
  if (address !== transport.self) {
    throw new InvalidClusterOptionError(`Cluster.start was given selfAddress '${address}', but the transport's own address is '${transport.self}'; they must be equal.`);
  }
  const incarnation = options.incarnation ?? 0;
  if (!Number.isInteger(incarnation) || incarnation < 0) {
    throw new InvalidClusterOptionError(`Cluster.start needs a whole, non-negative incarnation; it was given ${describeValue(incarnation)}.`);
  }
  const seeds = options.seedNodes;
  if (!Array.isArray(seeds) || seeds.length === 0 || !seeds.every((s) => typeof s === 'string' && s.length > 0)) {
    throw new InvalidClusterOptionError(`Cluster.start needs seedNodes, a non-empty list of addresses; it was given ${describeValue(seeds)}.`);
  }
  return { transport, address, incarnation, seeds: [...seeds] };
}
