import { ExtensionKey, Props, stoppingStrategy, type ActorRef, type ActorSystem } from '../../actors';
import { Cluster } from '../../cluster';
import { describeValue } from '../../util';
import { InvalidSingletonOptionError } from './errors';
import { hostFilter } from './oldestHost';
import { CHECK, managerPath } from './protocol';
import { resolveSingletonSettings, type ClusterSingletonSettings } from './settings';
import { SingletonManager } from './SingletonManager';
import { SingletonRecord } from './SingletonRecord';
import { SingletonProxy } from './SingletonProxy';

/** What `ClusterSingleton.init` needs. */
export interface ClusterSingletonOptions<M = unknown> {
  /** The singleton's name, the same on every node; a valid actor name (no '/', no whitespace, not starting with '$'). */
  readonly name: string;
  /** How to make the instance; it runs as a child of the manager on the host node. */
  readonly props: Props<M>;
  /**
   * Restricts where the instance may run. The embedded cluster has no member roles: a node's
   * address is its role name in the harness, so `role: 'b'` or `role: ['b', 'c']` means "only on
   * these addresses". The instance then runs on the oldest of them; the other nodes still get a
   * proxy. Undefined: any member.
   */
  readonly role?: string | readonly string[];
  /** Overrides of `ClusterSingletonSettings` (validated). */
  readonly settings?: Partial<ClusterSingletonSettings>;
}

interface Entry {
  readonly proxy: ActorRef;
  readonly record: SingletonRecord;
  readonly settings: ClusterSingletonSettings;
  /** Undefined where the instance may not run. */
  readonly manager: ActorRef | undefined;
}

const KEY = new ExtensionKey<ClusterSingleton>('cluster-singleton');

/**
 * Cluster singletons: one instance of an actor in the whole cluster, on the oldest member (or the
 * oldest of the addresses named by `role`), reached from every node through a proxy.
 *
 * `init` starts, on this node, the singleton's manager (only where the instance may run) and its
 * proxy, and returns the proxy: call it on every node, with the same name and props. The instance
 * moves when its host leaves (hand-over: the old instance has stopped before the new one starts)
 * or is downed (fail-over, after `removalMarginMs`); the proxy buffers messages meanwhile and
 * delivers them in order once the new instance answers. Messages already on their way to a host
 * that crashes are lost, as on any network.
 */
export class ClusterSingleton {
  readonly #system: ActorSystem;
  readonly #entries = new Map<string, Entry>();

  private constructor(system: ActorSystem) {
    this.#system = system;
    // Hooks run in order, and the cluster's (leave, registered when the node started) comes first:
    // after it, this node is out of the cluster but its actors still work, so an instance that is
    // still stopping can finish its hand-over before the managers stop.
    system.onTerminate((kind) => (kind === 'abort' ? undefined : this.#finishHandOvers()));
  }

  /** The singleton extension of `system` (created on first use). The system needs a cluster (`Cluster.get`). */
  static get(system: ActorSystem): ClusterSingleton {
    return system.findExtension(KEY) ?? system.registerExtension(KEY, new ClusterSingleton(system));
  }

  /**
   * Starts singleton `name` on this node and returns its proxy: `proxy.tell(message)` and
   * `ask(proxy, message)` reach the current instance, wherever it runs. Calling it again with the
   * same name returns the same proxy. Throws `InvalidSingletonOptionError` or
   * `InvalidSingletonSettingError` for invalid options, `ClusterNotRegisteredError` without a cluster.
   */
  init<M>(options: ClusterSingletonOptions<M>): ActorRef<M> {
    const name = checkName(options?.name);
    const existing = this.#entries.get(name);
    if (existing !== undefined) return existing.proxy as ActorRef<M>;
    // Duck-typed: under Jest the props may come from another copy of this module.
    if (typeof (options.props as Partial<Props> | undefined)?.factory !== 'function') {
      throw new InvalidSingletonOptionError('props', `Singleton '${name}' needs props such as Props.of(MyActor); it was given ${describeValue(options.props)}.`);
    }
    const role = checkRole(name, options.role);
    const settings = resolveSingletonSettings(options.settings ?? {}, `settings of singleton '${name}'`);
    Cluster.get(this.#system);
    const allowed = hostFilter(role);
    const record = new SingletonRecord();
    // A manager that failed must not come back with a blank memory of the hand-overs it confirmed: it stops.
    const managerProps = Props.create(() => new SingletonManager({ name, props: options.props as Props, allowed, settings, record })).withSupervisorStrategy(stoppingStrategy);
    const manager = allowed(this.#system.address) ? this.#system.systemSpawn(managerProps, managerPath(name).slice('/system/'.length)) : undefined;
    const proxy = this.#system.systemSpawn(Props.create(() => new SingletonProxy({ name, allowed, settings, record })), `singleton-proxy-${name}`);
    this.#entries.set(name, { proxy, record, settings, manager });
    return proxy as ActorRef<M>;
  }

  /**
   * The address where this node believes singleton `name` runs: its own address while its manager
   * runs the instance, else the host its proxy last identified; undefined while the proxy looks
   * for it (for example during a hand-over) and for a name not initialised on this node.
   */
  location(name: string): string | undefined {
    const entry = this.#entries.get(name);
    if (entry === undefined) return undefined;
    return entry.record.hostedHere ? this.#system.address : entry.record.knownHost;
  }

  /**
   * Waits (each at most its `leaveHandOverTimeoutMs`) until no instance runs or stops on this node;
   * then, if one ran here, `leaveGraceMs` more, so that messages other nodes sent before they saw
   * this node leave are returned to their proxies instead of arriving at a stopped manager.
   */
  async #finishHandOvers(): Promise<void> {
    // A membership that ended without a SelfRemoved event (a leave that failed) is noticed here.
    for (const entry of this.#entries.values()) entry.manager?.tell(CHECK);
    const holding = [...this.#entries.entries()].filter(([, entry]) => entry.record.holding);
    await Promise.all(
      holding.map(([name, { record, settings }]) => {
        let timer: { cancel(): void } | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = this.#system.scheduler.runOnce(settings.leaveHandOverTimeoutMs, () => {
            this.#system.logger('singleton').warn(
              `singleton '${name}' had not finished its hand-over ${settings.leaveHandOverTimeoutMs} ms (leaveHandOverTimeoutMs) after this node left; stopping anyway`,
            );
            resolve();
          });
        });
        return Promise.race([record.whenReleased(), timeout]).finally(() => timer?.cancel());
      }),
    );
    const graceMs = Math.max(0, ...[...this.#entries.values()].filter((entry) => entry.record.everHeld).map((entry) => entry.settings.leaveGraceMs));
    if (graceMs > 0) await new Promise<void>((resolve) => this.#system.scheduler.runOnce(graceMs, resolve));
  }
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || /[/\s]/.test(name) || name.startsWith('$')) {
    throw new InvalidSingletonOptionError(
      'name',
      `A singleton needs a name that is a valid actor name (non-empty, no '/' or whitespace, not starting with '$'); it was given ${describeValue(name)}.`,
    );
  }
  return name;
}

function checkRole(name: string, role: unknown): readonly string[] | undefined {
  if (role === undefined) return undefined;
  const list = typeof role === 'string' ? [role] : role;
  if (!Array.isArray(list) || list.length === 0 || list.some((r) => typeof r !== 'string' || r.length === 0)) {
    throw new InvalidSingletonOptionError(
      'role',
      `The role of singleton '${name}' must be an address or a non-empty array of addresses (the role names in the harness), such as 'b' or ['b', 'c']; it was given ${describeValue(role)}.`,
    );
  }
  return list as readonly string[];
}
