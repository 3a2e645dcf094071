/**
 * The default `NodeFactory`: one actor system per role, joined into one cluster. This is what runs
 * when a test file does not name its own `node` module.
 */
import { ActorSystem } from '../actors';
import { Cluster, registerCluster, resolveClusterSettings, whyNotMembersUp, type ClusterLogger } from '../cluster';
import { channel } from '../transport';
import { createRng, type Clock } from '../util';
import { embeddedClusterDefaults } from './embeddedClusterDefaults';
import type { NodeContext, NodeFactory, NodeHandle } from './NodeFactory';

/** The `multinode.system` of the embedded cluster; get its cluster with `Cluster.get(system)`. */
export type EmbeddedSystem = ActorSystem;

/**
 * Starts the node of `ctx.role`: an `ActorSystem` on `ctx.transport` (actor channel) and a `Cluster`
 * on the `'cluster'` channel, registered as the system's `'cluster'` extension. Resolves once this
 * node is Up in its own view.
 *
 * - Time and timers come from `ctx.clock`, randomness from `ctx.random`: nothing in the node reads
 *   the global clock, timers or `Math.random`.
 * - Seed nodes are every role, lead first: the lead forms the cluster on its first start; a
 *   restarted lead rejoins through the other roles instead of founding a second cluster.
 * - Cluster settings come from `nodeOptions.cluster` (validated; a bad value fails the file with a
 *   message naming the setting), e.g. `{ "cluster": { "stableAfterMs": 500 } }`, over the embedded
 *   node's own defaults (`embeddedClusterDefaults`: a long first join, and failure detection that
 *   allows more time in clusters of more than 8 roles).
 * - `stop` terminates the system, whose termination hook first leaves the cluster gracefully;
 *   `crash` aborts both at once. A member downed by the cluster is reported to the actor system as
 *   terminated, so remote watches of its actors fire.
 */
export const embeddedNodeFactory: NodeFactory<EmbeddedSystem> = async (ctx: NodeContext): Promise<NodeHandle<EmbeddedSystem>> => {
  const given = ctx.options.cluster;
  const isObject = typeof given === 'object' && given !== null && !Array.isArray(given);
  const defaults = embeddedClusterDefaults(ctx.roles.length, ctx.incarnation);
  const overrides = given === undefined ? defaults : isObject ? { ...defaults, ...given } : given;
  const settings = resolveClusterSettings(overrides, 'nodeOptions.cluster');
  // The node's clock, not the global timers: the test's jest.useFakeTimers() must not stop the cluster.
  const clock: Clock = { now: () => ctx.clock.now(), schedule: (delayMs, fn) => ctx.clock.setTimeout(fn, delayMs), defer: (fn) => ctx.clock.setImmediate(fn) };
  // Every random choice of the node (actors, cluster) comes from ctx.random's stream: one draw seeds
  // the generator whose forks the actor system and the cluster get.
  const rng = createRng(Math.floor(ctx.random() * 0x1_0000_0000));
  const system = ActorSystem.create(ctx.role, {
    transport: ctx.transport,
    clock,
    // Mailboxes run on the node's own immediates: a test's jest.useFakeTimers() fakes the global ones.
    dispatch: (task) => void ctx.clock.setImmediate(task),
    rng: rng.fork('actors'),
    log: ctx.log,
  });
  const clusterLog: ClusterLogger = (level, message, fields) => ctx.log(level, `[cluster] ${message}`, fields);
  let cluster: Cluster;
  try {
    cluster = Cluster.start({
      transport: channel(ctx.transport, 'cluster'),
      selfAddress: ctx.role,
      incarnation: ctx.incarnation,
      seedNodes: [ctx.roles[0], ...ctx.roles.filter((r) => r !== ctx.roles[0])],
      clock,
      rng: rng.fork('cluster'),
      log: clusterLog,
      settings,
    });
  } catch (error) {
    system.abort();
    throw error;
  }
  registerCluster(system, cluster);
  system.onTerminate((kind) => (kind === 'abort' ? cluster.abort() : cluster.shutdown()));
  cluster.onEvent((event) => {
    if (event.type === 'MemberDowned' && event.member.address !== ctx.role) system.addressTerminated(event.member.address);
  });
  try {
    await cluster.whenUp();
  } catch (error) {
    cluster.abort();
    system.abort();
    throw error;
  }
  return {
    system,
    stop: () => system.terminate(),
    crash: () => {
      cluster.abort();
      system.abort();
    },
    membersUp: () => cluster.membersUp(),
    describeMembership: () => cluster.describe(),
    whyNotMembersUp: (count) => whyNotMembersUp(cluster.state(), count),
  };
};

export default embeddedNodeFactory;
