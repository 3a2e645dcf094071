'use strict';
// One end of a two-thread link benchmark. The parent tells the sender what to run; the receiver
// only answers over the link: it counts a burst and says 'done', and it echoes pings.
const { parentPort, workerData } = require('node:worker_threads');
const { createEndpoint } = require('./endpoints');

const { self, roles } = workerData;
const peer = roles.find((r) => r !== self);
const endpoint = createEndpoint(workerData);

let expected = 0;
let received = 0;
let waiting = null;

endpoint.onMessage((message) => {
  switch (message.type) {
    case 'start':
      expected = message.n;
      received = 0;
      return;
    case 'm':
      if (++received === expected) endpoint.send(peer, { type: 'done', received });
      return;
    case 'ping':
      endpoint.send(peer, { type: 'pong', i: message.i });
      return;
    case 'done':
    case 'pong':
      waiting?.(message);
      return;
    default:
      throw new Error(`${self}: unexpected ${JSON.stringify(message)}`);
  }
});

function next() {
  return new Promise((resolve) => (waiting = resolve));
}

const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));

/** One-way burst: `n` small messages sent as fast as the sender can, until the receiver has them all. */
async function throughput(n, chunk) {
  const done = next();
  const started = performance.now();
  endpoint.send(peer, { type: 'start', n });
  for (let i = 0; i < n; ) {
    const end = Math.min(n, i + chunk);
    for (; i < end; i++) endpoint.send(peer, { type: 'm', i, key: 'k', value: 42 });
    await yieldToLoop();
  }
  const sentMs = performance.now() - started;
  await done;
  return { elapsedMs: performance.now() - started, sentMs };
}

/** Sequential ping-pong: one message in flight; round-trip time of each. */
async function latency(n, warmUp) {
  const samples = [];
  for (let i = 0; i < warmUp + n; i++) {
    const reply = next();
    const started = performance.now();
    endpoint.send(peer, { type: 'ping', i });
    await reply;
    if (i >= warmUp) samples.push(performance.now() - started);
  }
  return samples;
}

parentPort.on('message', async (command) => {
  switch (command.cmd) {
    case 'throughput':
      parentPort.postMessage({ type: 'result', ...(await throughput(command.n, command.chunk)) });
      return;
    case 'latency':
      parentPort.postMessage({ type: 'result', samples: await latency(command.n, command.warmUp) });
      return;
    case 'close':
      endpoint.close();
      parentPort.close();
      return;
    default:
      throw new Error(`Unknown command ${JSON.stringify(command)}`);
  }
});
parentPort.postMessage({ type: 'ready' });
