'use strict';
// Three worker threads, each an actor node, connected by a full mesh of MessageChannels.
// Each node asks the next one's greeter (a remote ask), then everything shuts down and the
// process exits on its own.
//
//   npm run build && node examples/worker-mesh/main.js
const path = require('node:path');
const { once } = require('node:events');
const { Worker } = require('node:worker_threads');
const { createMeshChannels } = require('../../dist/src/actors');

const addresses = ['alpha', 'beta', 'gamma'];

function nextOfType(worker, type) {
  return new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (message.type === 'log') console.log(`  [${worker.self}] ${message.text}`);
      if (message.type !== type) return;
      worker.off('message', onMessage);
      resolve(message);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}

async function main() {
  const mesh = createMeshChannels(addresses);
  const workers = addresses.map((self) => {
    const peers = mesh[self];
    const worker = new Worker(path.join(__dirname, 'node.js'), { workerData: { self, peers }, transferList: Object.values(peers) });
    worker.self = self;
    return worker;
  });
  await Promise.all(workers.map((worker) => nextOfType(worker, 'ready')));
  console.log(`started ${addresses.join(', ')}`);

  const results = workers.map((worker, i) => {
    const result = nextOfType(worker, 'result');
    worker.postMessage({ type: 'greet', peer: addresses[(i + 1) % addresses.length] });
    return result;
  });
  for (const { text } of await Promise.all(results)) console.log(text);

  const exits = workers.map((worker) => once(worker, 'exit'));
  for (const worker of workers) worker.postMessage({ type: 'shutdown' });
  const codes = (await Promise.all(exits)).map(([code]) => code);
  console.log(`all nodes stopped (exit codes ${codes.join(', ')})`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
