import type { ActorRef, ActorSystem, Props } from '../../actors';
import { describeValue } from '../../util';
import { ClusterSharding, type ShardingSettings } from '../sharding';
import { keeperProps, pingerProps, type KeepAlive } from './DaemonKeeper';
import { InvalidDaemonSettingError, resolveDaemonSettings, type DaemonSettings } from './settings';

/** What `ShardedDaemonProcess.init` needs: the daemon's name, how many workers and how to make one, and any settings. */
export interface DaemonInitOptions extends Partial<DaemonSettings>, Partial<Omit<ShardingSettings, 'numShards' | 'passivateIdleAfterMs' | 'rememberEntities'>> {
  /** The daemon's name, the same on every node: letters, digits, `_`, `-` and `.`. */
  readonly name: string;
  /** How many workers run in the cluster, indexed 0 to `numberOfInstances - 1` (1 to 100000). */
  readonly numberOfInstances: number;
  /** How to make the worker of an index. */
  readonly props: (index: number) => Props;
}

interface Daemon {
  readonly numberOfInstances: number;
  readonly settings: DaemonSettings;
  readonly running: Set<number>;
}

const EXTENSION = 'sharded-daemon-process';
const NAME = /^[A-Za-z0-9_.-]{1,90}$/;
const MAX_INSTANCES = 100_000;

/** The sharded entity type that carries the daemon `name`. */
export function daemonTypeName(name: string): string {
  return `daemon-${name}`;
}

/**
 * Sharded daemon process: keeps `numberOfInstances` indexed workers alive across the cluster, each
 * on one node. Built on cluster sharding: one entity type per daemon whose shard is the index (so
 * the workers spread over the nodes and move when a node leaves or dies), each entity a keeper
 * that runs the worker as its child. Every node that calls `init` pings every index through the
 * region every `keepAliveIntervalMs`, so an index whose node died is started again elsewhere
 * within the downing time plus about one interval and a coordinator round trip.
 */
export class ShardedDaemonProcess {
  private readonly daemons = new Map<string, Daemon>();

  private constructor(private readonly system: ActorSystem) {}

  /** The extension of `system` (created on first use). The system needs a cluster (`Cluster.get`). */
  static get(system: ActorSystem): ShardedDaemonProcess {
    return system.findExtension<ShardedDaemonProcess>(EXTENSION) ?? system.registerExtension(EXTENSION, new ShardedDaemonProcess(system));
  }

  /**
   * Starts this node's part of the daemon `name`: its shard region (this node may host workers)
   * and its keep-alive pinger. Call it on every node, with the same `name` and `numberOfInstances`.
   * Calling it again for a started name does nothing. Throws `InvalidDaemonSettingError` for a bad
   * option or setting.
   */
  init(options: DaemonInitOptions): void {
    const { name, numberOfInstances, props, ...overrides } = options ?? ({} as DaemonInitOptions);
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new InvalidDaemonSettingError('name', `The sharded daemon process option 'name' must be 1 to 90 letters, digits, '_', '-' or '.'; it was given ${describeValue(name)}.`);
    }
    if (typeof numberOfInstances !== 'number' || !Number.isInteger(numberOfInstances) || numberOfInstances < 1 || numberOfInstances > MAX_INSTANCES) {
      throw new InvalidDaemonSettingError('numberOfInstances', `The option 'numberOfInstances' of sharded daemon process '${name}' must be a whole number from 1 to ${MAX_INSTANCES}; it was given ${describeValue(numberOfInstances)}.`);
    }
    if (typeof props !== 'function') {
      throw new InvalidDaemonSettingError('props', `The option 'props' of sharded daemon process '${name}' must be a function (index) => Props; it was given ${describeValue(props)}.`);
    }
    const { daemon: settings, sharding } = resolveDaemonSettings(name, numberOfInstances, overrides as Record<string, unknown>);
    const existing = this.daemons.get(name);
    if (existing !== undefined) {
      if (existing.numberOfInstances !== numberOfInstances) {
        throw new InvalidDaemonSettingError('numberOfInstances', `The sharded daemon process '${name}' was started with numberOfInstances ${existing.numberOfInstances}; it cannot start again with ${numberOfInstances}.`);
      }
      return;
    }
    const running = new Set<number>();
    const region: ActorRef<KeepAlive> = ClusterSharding.get(this.system).start<KeepAlive>({
      ...sharding,
      typeName: daemonTypeName(name),
      entityProps: (entityId) => keeperProps(Number(entityId), props, running),
      extractEntityId: (message) => String(message.index),
      extractShardId: (message) => message.index,
    });
    this.system.systemSpawn(pingerProps(region, numberOfInstances, settings.keepAliveIntervalMs), `daemon-pinger-${name}`);
    this.daemons.set(name, { numberOfInstances, settings, running });
  }

  /** The indexes of daemon `name` whose worker runs on this node now, in order (empty for a name not started here). */
  running(name: string): readonly number[] {
    return [...(this.daemons.get(name)?.running ?? [])].sort((a, b) => a - b);
  }

  /** The settings in force for daemon `name` on this node, or undefined if it was not started here. */
  settings(name: string): DaemonSettings | undefined {
    return this.daemons.get(name)?.settings;
  }
}
