'use strict';
// One cluster node in its own thread: the embedded node factory (actor system + cluster, exactly
// what the harness starts per role) on a MessageChannelTransport or on the harness's LinkEndpoint.
// On 'start' it starts the node and reports when it is Up itself and when it sees every member Up.
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const { createEndpoint, DIST } = require('./endpoints');
const { embeddedNodeFactory } = require(path.join(DIST, 'node', 'embeddedNode.js'));
const { Cluster } = require(path.join(DIST, 'cluster', 'index.js'));

const { self, roles } = workerData;
const endpoint = createEndpoint(workerData);
let handle = null;

async function start(seed, cluster) {
  const started = performance.now();
  handle = await embeddedNodeFactory({
    role: self,
    roles,
    seed,
    incarnation: 0,
    options: cluster ? { cluster } : {},
    transport: endpoint.transport,
    log: () => undefined,
  });
  const selfUpMs = performance.now() - started;
  const membership = Cluster.get(handle.system);
  await new Promise((resolve) => {
    const check = () => {
      if (handle.membersUp() !== roles.length) return false;
      unsubscribe();
      clearInterval(poll);
      resolve();
      return true;
    };
    const unsubscribe = membership.onEvent(() => check());
    const poll = setInterval(check, 5);
    check();
  });
  return { selfUpMs, allUpMs: performance.now() - started };
}

parentPort.on('message', async (command) => {
  switch (command.cmd) {
    case 'start':
      parentPort.postMessage({ type: 'result', ...(await start(command.seed, command.cluster)) });
      return;
    case 'close':
      handle?.crash();
      endpoint.close();
      parentPort.close();
      return;
    default:
      throw new Error(`Unknown command ${JSON.stringify(command)}`);
  }
});
parentPort.postMessage({ type: 'ready' });
