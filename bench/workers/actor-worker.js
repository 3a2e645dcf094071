'use strict';
// One actor system per thread, on a MessageChannelTransport or on the harness's LinkEndpoint.
// Node 'a' (the client) is driven by the parent: sequential remote asks, and a burst of remote
// tells closed by one ask. Node 'b' (the server) has /user/echo (replies to every ask) and
// /user/sink (counts tells, answers the closing ask with the count).
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const { createEndpoint, DIST } = require('./endpoints');
const { ActorSystem, Props, ask } = require(path.join(DIST, 'actors', 'index.js'));

const { self, roles } = workerData;
const peer = roles.find((r) => r !== self);
const endpoint = createEndpoint(workerData);
const system = ActorSystem.create(self, { transport: endpoint.transport, log: () => undefined, defaultAskTimeoutMs: 30_000 });

system.spawn(
  Props.fromReceive((message, ctx) => {
    ctx.reply(message);
  }),
  'echo',
);
let count = 0;
system.spawn(
  Props.fromReceive((message, ctx) => {
    if (message.type === 'n') count++;
    else if (message.type === 'last') {
      ctx.reply(count);
      count = 0;
    }
  }),
  'sink',
);

const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));

async function asks(n, warmUp) {
  const echo = system.refFor(peer, '/user/echo');
  const samples = [];
  for (let i = 0; i < warmUp + n; i++) {
    const started = performance.now();
    await ask(echo, { type: 'ping', i });
    if (i >= warmUp) samples.push(performance.now() - started);
  }
  return samples;
}

async function tells(n, chunk) {
  const sink = system.refFor(peer, '/user/sink');
  const started = performance.now();
  for (let i = 0; i < n; ) {
    const end = Math.min(n, i + chunk);
    for (; i < end; i++) sink.tell({ type: 'n', i });
    await yieldToLoop();
  }
  const counted = await ask(sink, { type: 'last' });
  if (counted !== n) throw new Error(`The sink counted ${counted} tells, not ${n}.`);
  return performance.now() - started;
}

parentPort.on('message', async (command) => {
  switch (command.cmd) {
    case 'asks':
      parentPort.postMessage({ type: 'result', samples: await asks(command.n, command.warmUp) });
      return;
    case 'tells':
      await tells(Math.min(command.n, 5000), command.chunk);
      parentPort.postMessage({ type: 'result', elapsedMs: await tells(command.n, command.chunk) });
      return;
    case 'close':
      system.abort();
      endpoint.close();
      parentPort.close();
      return;
    default:
      throw new Error(`Unknown command ${JSON.stringify(command)}`);
  }
});
parentPort.postMessage({ type: 'ready' });
