import { type ActorSystem } from '../../../src/actors';
import embeddedNodeFactory from '../../../src/node/embeddedNode';
import type { NodeHandle } from '../../../src/node/NodeFactory';
import { nodeRandom } from '../../../src/node/nodeRandom';
import { DistributedPubSub, type PubSubSettings } from '../../../src/tools';
import { InMemoryNetwork } from '../../../src/transport';
import { systemClock } from '../../../src/util';

/** Real time here, so the failure detector and the resolver are sped up: a crashed node is downed in about 0.3 s. */
export const FAST_CLUSTER = { gossipIntervalMs: 20, heartbeatIntervalMs: 20, unreachableAfterMs: 100, stableAfterMs: 200, joinRetryIntervalMs: 20 };

/** One node of a test cluster: its handle, system and pub/sub. */
export interface PubSubNode {
  readonly role: string;
  readonly handle: NodeHandle<ActorSystem>;
  readonly system: ActorSystem;
  readonly pubsub: DistributedPubSub;
}

/** A few embedded nodes on one in-memory network, all Up, each with its pub/sub mediator running. */
export interface PubSubCluster {
  readonly network: InMemoryNetwork;
  readonly nodes: Record<string, PubSubNode>;
  readonly logs: string[];
  /** Crashes `role`: its node aborts and the network drops everything to and from it. */
  crash(role: string): void;
  /** Crashes every node still running. */
  stopAll(): void;
}

/** Starts `roles` (lead first) as embedded nodes, waits until each sees all Up, and gets pub/sub on each. */
export async function startPubSubCluster(
  roles: readonly string[],
  options: { cluster?: Record<string, number>; pubsub?: Partial<PubSubSettings> } = {},
): Promise<PubSubCluster> {
  const network = new InMemoryNetwork({ addresses: roles });
  const logs: string[] = [];
  const handles = await Promise.all(
    roles.map((role) =>
      embeddedNodeFactory({
        role,
        roles,
        seed: 7,
        incarnation: 0,
        random: nodeRandom(7, role, 0),
        options: { cluster: options.cluster ?? FAST_CLUSTER },
        transport: network.transport(role),
        clock: { now: () => systemClock.now(), setTimeout: (fn, ms) => systemClock.schedule(ms, fn), setImmediate: (fn) => systemClock.schedule(0, fn) },
        log: (level, message) => logs.push(`${role} ${level} ${message}`),
      }),
    ),
  );
  const live = new Set(roles);
  const cluster: PubSubCluster = {
    network,
    logs,
    nodes: Object.fromEntries(
      roles.map((role, i) => [role, { role, handle: handles[i], system: handles[i].system, pubsub: DistributedPubSub.get(handles[i].system, { gossipIntervalMs: 50, ...options.pubsub }) }]),
    ),
    crash(role) {
      live.delete(role);
      void handles[roles.indexOf(role)].crash?.();
      network.removeNode(role);
    },
    stopAll() {
      for (const role of [...live]) cluster.crash(role);
    },
  };
  await until(() => handles.every((h) => h.membersUp?.() === roles.length), `all ${roles.length} members are Up everywhere`, 5000, logs);
  return cluster;
}

/** Polls `condition` on every macrotask until it holds; rejects after `timeoutMs` naming what was awaited and the last log lines. */
export async function until(condition: () => boolean, what: string, timeoutMs = 3000, logs: readonly string[] = []): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}.\n${logs.slice(-20).join('\n')}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return Date.now() - started;
}

/** The nodes of the subscribers of `topic` as `node`'s registry knows them, sorted. */
export function subscriberNodes(node: PubSubNode, topic: string): string[] {
  return node.pubsub.subscribers(topic).map((ref) => ref.node).sort();
}
