'use strict';
// One cluster node in its own thread: the embedded node factory (actor system + cluster, exactly
// what the harness starts per role) on a MessageChannelTransport or on the harness's LinkEndpoint.
// On 'start' it starts the node and reports when it is Up itself and when it sees every member Up.
const { parentPort, workerData } = require('node:worker_threads');
const { createEndpoint } = require('./endpoints');
const { startEmbeddedNode } = require('./embedded');

const { self, roles } = workerData;
const endpoint = createEndpoint(workerData);
let handle = null;

async function start(seed, cluster) {
  const started = await startEmbeddedNode({ self, roles, seed, cluster, transport: endpoint.transport });
  handle = started.handle;
  return { selfUpMs: started.selfUpMs, allUpMs: started.allUpMs };
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
