'use strict';
// Starting the embedded node (actor system + cluster, exactly what the harness starts per role)
// inside a benchmark thread, outside the harness: the NodeContext the harness would give it, with a
// real clock on this thread's timers.
const path = require('node:path');
const { DIST } = require('./endpoints');
const { embeddedNodeFactory } = require(path.join(DIST, 'node', 'embeddedNode.js'));
const { Cluster } = require(path.join(DIST, 'cluster', 'index.js'));
const { nodeRandom } = require(path.join(DIST, 'node', 'nodeRandom.js'));

/** `ctx.clock` in threads mode: wall time and this thread's own timers. */
const realClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const timer = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(timer) };
  },
  setImmediate: (fn) => {
    const immediate = setImmediate(fn);
    return { cancel: () => clearImmediate(immediate) };
  },
};

/** Resolves once `handle`'s node sees `count` members Up. */
function allUp(handle, count) {
  const membership = Cluster.get(handle.system);
  return new Promise((resolve) => {
    const check = () => {
      if (handle.membersUp() !== count) return;
      unsubscribe();
      clearInterval(poll);
      resolve();
    };
    const unsubscribe = membership.onEvent(check);
    const poll = setInterval(check, 5);
    check();
  });
}

/**
 * Starts the embedded node of `self` on `transport` and waits until it sees every one of `roles`
 * Up. `cluster` overrides cluster settings (as `nodeOptions.cluster` would). Resolves with the
 * handle and how long this node took to be Up itself and to see everyone Up.
 */
async function startEmbeddedNode({ self, roles, seed, transport, cluster }) {
  const started = performance.now();
  const handle = await embeddedNodeFactory({
    role: self,
    roles,
    seed,
    incarnation: 0,
    options: cluster ? { cluster } : {},
    clock: realClock,
    random: nodeRandom(seed, self, 0),
    transport,
    log: () => undefined,
  });
  const selfUpMs = performance.now() - started;
  await allUp(handle, roles.length);
  return { handle, selfUpMs, allUpMs: performance.now() - started };
}

module.exports = { startEmbeddedNode };
