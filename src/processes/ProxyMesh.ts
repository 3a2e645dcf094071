import { UnknownRoleError } from '../harness';
import type { Clock, Rng } from '../util';
import type { FaultReader } from './faultReader';
import { FaultProxy } from './FaultProxy';
import { ProxyNotInMeshError } from './proxyErrors';
import type { Endpoint } from './loopbackListen';
import type { ProxyEventListener } from './proxyEvents';
import type { ProxySettings } from './proxySettings';

/** How to start the proxies of one test file. */
export interface ProxyMeshOptions {
  /** Every role of the file. */
  readonly roles: readonly string[];
  /** Each role's real endpoint (where its node listens). */
  readonly endpoints: Readonly<Record<string, Endpoint>>;
  /** The live fault state. */
  readonly faults: FaultReader;
  /** The file's seeded RNG; each proxy forks `proxy <dialer>-><target>` from it. */
  readonly rng: Rng;
  /**
   * Only the proxies these roles dial (e.g. the one role whose thread owns them); default every
   * ordered pair of distinct roles.
   */
  readonly dialers?: readonly string[];
  /** The loopback address every proxy listens on; default `127.0.0.1`. */
  readonly host?: string;
  readonly clock?: Clock;
  readonly onEvent?: ProxyEventListener;
  readonly settings?: Partial<ProxySettings>;
}

/**
 * The fault proxies of a test file: one per ordered pair (dialer, target) of distinct roles, each
 * on its own OS-chosen loopback port. `peersOf(role)` is that role's MULTINODE_PEERS.
 */
export class ProxyMesh {
  private readonly byPair = new Map<string, FaultProxy>();
  private closing: Promise<void> | null = null;

  /**
   * Starts every proxy; if one cannot listen, closes those already started and rejects with its
   * error. Throws `UnknownRoleError` for a dialer that is not a role, and `ProxyTargetError` for a
   * role without an endpoint.
   */
  static async start(options: ProxyMeshOptions): Promise<ProxyMesh> {
    const { roles } = options;
    const dialers = options.dialers ?? roles;
    const unknown = dialers.filter((role) => !roles.includes(role));
    if (unknown.length > 0) throw new UnknownRoleError(unknown, roles, 'The fault proxy mesh (dialers)');
    const pairs = dialers.flatMap((dialer) => roles.filter((target) => target !== dialer).map((target) => [dialer, target] as const));
    const started = await Promise.allSettled(
      pairs.map(([dialer, target]) =>
        FaultProxy.start({
          dialer,
          target,
          targetEndpoint: options.endpoints[target]!,
          faults: options.faults,
          rng: options.rng.fork(`proxy ${dialer}->${target}`),
          host: options.host,
          clock: options.clock,
          onEvent: options.onEvent,
          settings: options.settings,
        }),
      ),
    );
    const proxies = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all(proxies.map((proxy) => proxy.close()));
      throw failed.reason;
    }
    return new ProxyMesh(roles, dialers, proxies);
  }

  private constructor(
    /** Every role of the file. */
    readonly roles: readonly string[],
    /** The roles whose proxies this mesh holds. */
    readonly dialers: readonly string[],
    proxies: readonly FaultProxy[],
  ) {
    for (const proxy of proxies) this.byPair.set(pairKey(proxy.dialer, proxy.target), proxy);
  }

  /** Every proxy of the mesh. */
  get proxies(): readonly FaultProxy[] {
    return [...this.byPair.values()];
  }

  /**
   * The proxy `dialer` reaches `target` through. Throws `UnknownRoleError` for a role of another file
   * and `ProxyNotInMeshError` when this mesh was started without that dialer.
   */
  proxy(dialer: string, target: string): FaultProxy {
    const proxy = this.byPair.get(pairKey(dialer, target));
    if (proxy !== undefined) return proxy;
    for (const role of [dialer, target]) if (!this.roles.includes(role)) throw new UnknownRoleError([role], this.roles, 'ProxyMesh.proxy');
    throw new ProxyNotInMeshError(
      `This fault proxy mesh has no proxy ${dialer} -> ${target}${dialer === target ? ' (a role does not dial itself through a proxy)' : ''}; it holds the proxies dialled by ${this.dialers.map((r) => `'${r}'`).join(', ')}.`,
    );
  }

  /**
   * `role`'s MULTINODE_PEERS: every other role mapped to the `host:port` of the proxy `role` dials
   * it through. Throws as `proxy()` does for a role whose proxies are not in this mesh.
   */
  peersOf(role: string): Record<string, string> {
    if (!this.roles.includes(role)) throw new UnknownRoleError([role], this.roles, 'ProxyMesh.peersOf');
    const peers: Record<string, string> = {};
    for (const target of this.roles) if (target !== role) peers[target] = this.proxy(role, target).peerAddress;
    return peers;
  }

  /** Forwards later connections to `role` (from every dialer) to `endpoint`. */
  setEndpoint(role: string, endpoint: Endpoint): void {
    if (!this.roles.includes(role)) throw new UnknownRoleError([role], this.roles, 'ProxyMesh.setEndpoint');
    for (const proxy of this.byPair.values()) if (proxy.target === role) proxy.setTarget(endpoint);
  }

  /** Calls `faultsChanged()` on every proxy; call it after each fault command. */
  faultsChanged(): void {
    for (const proxy of this.byPair.values()) proxy.faultsChanged();
  }

  /** Closes every proxy; resolves once every server and socket is closed. Idempotent. */
  close(): Promise<void> {
    this.closing ??= Promise.all([...this.byPair.values()].map((proxy) => proxy.close())).then(() => undefined);
    return this.closing;
  }

}

function pairKey(dialer: string, target: string): string {
  return `${dialer}\u0000${target}`;
}
