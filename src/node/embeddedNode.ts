/**
 * The default `NodeFactory`: one actor system per role, joined into one cluster. This is what runs
 * when a test file does not name its own `node` module.
 */
import { ActorSystem } from '../actors';
import { Cluster, registerCluster, resolveClusterSettings, whyNotMembersUp, type ClusterLogger } from '../cluster';
import { channel } from '../transport';
import { createRng, type Clock } from '../util';
import type { NodeContext, NodeFactory, NodeHandle } from './NodeFactory';

/**
 * The embedded node's default join deadlines. A first start waits as long as a cluster setting
 * allows: a role thread may start its node long before the lead (still type-checking the file under
 * load) forms the cluster, and the harness's start-up gate bounds that wait and ends the role's thread
 * if it is too long. A restart (an incarnation after the first) joins a running cluster.
 */
const FIRST_JOIN_TIMEOUT_MS = 10 * 60_000;
const RESTART_JOIN_TIMEOUT_MS = 60_000;

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
 *   message naming the setting), e.g. `{ "cluster": { "stableAfterMs": 500 } }`.
 * - `stop` terminates the system, whose termination hook first leaves the cluster gracefully;
 *   `crash` aborts both at once. A member downed by the cluster is reported to the actor system as
 *   terminated, so remote watches of its actors fire.
 */
export const embeddedNodeFactory: NodeFactory<EmbeddedSystem> = async (ctx: NodeContext): Promise<NodeHandle<EmbeddedSystem>> => {
  const given = ctx.options.cluster;
  // Under the harness the other roles may still be booting (loading Jest, transforming the file)
  // when this node starts; the harness's own set-up deadline bounds the first join, so the
  // cluster's join deadline must not cut in before it.
  const isObject = typeof given === 'object' && given !== null && !Array.isArray(given);
  const joinTimeoutMs = ctx.incarnation === 0 ? FIRST_JOIN_TIMEOUT_MS : RESTART_JOIN_TIMEOUT_MS;
  const overrides = given === undefined ? { joinTimeoutMs } : isObject ? { joinTimeoutMs, ...given } : given;
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
