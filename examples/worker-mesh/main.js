'use strict';
// Four worker threads, each an ActorSystem + Cluster node, connected by a full mesh of
// MessageChannels (6 channels), run the sharded entity type 'counter'. The counters spread over
// the four workers; then one worker thread is terminated, the survivors down it, and every counter
// answers again from the survivors. Everything then shuts down and the process exits on its own.
//
//   npm run build && node examples/worker-mesh/main.js
const path = require('node:path');
const { once } = require('node:events');
const { Worker } = require('node:worker_threads');
const { createMeshChannels } = require('../../dist/src');

const addresses = ['alpha', 'beta', 'gamma', 'delta'];
const ids = Array.from({ length: 32 }, (_, i) => `counter-${i}`);
const DEADLINE_MS = 45_000;

/** Epoch milliseconds, comparable between the threads of this process. */
const now = () => performance.timeOrigin + performance.now();

/** The next message of `type` from `worker`; a 'failed' message or an exit first rejects. */
function nextOfType(worker, type) {
  return new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (message.type === 'log') console.log(`  [${worker.self}] ${message.text}`);
      if (message.type === 'failed') done(reject, new Error(`${worker.self}: ${message.text}`));
      if (message.type === type) done(resolve, message);
    };
    const onExit = (code) => done(reject, new Error(`${worker.self} exited (code ${code}) while we waited for '${type}'`));
    const done = (settle, value) => {
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      settle(value);
    };
    worker.on('message', onMessage);
    worker.on('exit', onExit);
  });
}

function call(worker, command, replyType) {
  const reply = nextOfType(worker, replyType);
  worker.postMessage(command);
  return reply;
}

async function main(workers) {
  await Promise.all(workers.map((worker) => nextOfType(worker, 'ready')));
  console.log(`cluster of ${addresses.join(', ')} is Up (one worker thread each, ${(addresses.length * (addresses.length - 1)) / 2} MessageChannels)`);

  // Every worker asks every counter through its own region: they must agree on where each lives.
  const counted = await Promise.all(workers.map((worker) => call(worker, { type: 'count', ids }, 'counted')));
  const home = Object.fromEntries(ids.map((id) => [id, counted[0].answers[id].node]));
  for (const { answers } of counted) for (const id of ids) if (answers[id].node !== home[id]) throw new Error(`${id} answered from two nodes`);
  const perNode = (answers) => addresses.map((a) => Object.values(answers).filter((answer) => answer.node === a).length);
  const spread = perNode(counted[0].answers);
  console.log(`${ids.length} counters, each counted by all 4 workers, spread: ${addresses.map((a, i) => `${a} ${spread[i]} (${counted[i].hosted.length} shards)`).join(', ')}`);
  const counts = new Set(ids.map((id) => Math.max(...counted.map(({ answers }) => answers[id].count))));
  console.log(`every counter reached ${[...counts].join(', ')}`);

  // Crash the worker (other than alpha, which hosts the coordinator) that hosts the most counters.
  const victim = workers.slice(1).reduce((a, b) => (spread[addresses.indexOf(b.self)] > spread[addresses.indexOf(a.self)] ? b : a));
  const crashedAt = now();
  await victim.terminate();
  console.log(`terminated ${victim.self}'s thread (it hosted ${spread[addresses.indexOf(victim.self)]} counters)`);
  const survivors = workers.filter((worker) => worker !== victim);
  const recovered = await Promise.all(survivors.map((worker) => call(worker, { type: 'recover', ids, crashed: victim.self }, 'recovered')));
  const downedMs = Math.max(...recovered.map((r) => r.downedAt - crashedAt));
  const answeredMs = Math.max(...recovered.map((r) => r.answeredAt - crashedAt));
  const after = perNode(recovered[0].answers);
  if (after[addresses.indexOf(victim.self)] !== 0) throw new Error(`a counter still answered from ${victim.self}`);
  console.log(`survived the crash of ${victim.self}: downed by the survivors after ${Math.round(downedMs)} ms, every counter answered again from the survivors after ${Math.round(answeredMs)} ms`);
  console.log(`spread now: ${survivors.map((w) => `${w.self} ${after[addresses.indexOf(w.self)]}`).join(', ')}`);

  const exits = survivors.map((worker) => once(worker, 'exit'));
  for (const worker of survivors) worker.postMessage({ type: 'shutdown' });
  const codes = (await Promise.all(exits)).map(([code]) => code);
  console.log(`all nodes stopped (exit codes ${codes.join(', ')})`);
}

const mesh = createMeshChannels(addresses);
const workers = addresses.map((self) => {
  const peers = mesh[self];
  const worker = new Worker(path.join(__dirname, 'node.js'), { workerData: { self, addresses, peers }, transferList: Object.values(peers) });
  worker.self = self;
  return worker;
});
// A stuck run ends with a clear message instead of hanging; the timer does not keep the process alive.
const watchdog = setTimeout(() => {
  console.error(`the example did not finish within ${DEADLINE_MS} ms`);
  process.exitCode = 1;
  for (const worker of workers) void worker.terminate();
}, DEADLINE_MS);
watchdog.unref();

main(workers)
  .catch(async (error) => {
    console.error(error);
    process.exitCode = 1;
    await Promise.all(workers.map((worker) => worker.terminate()));
  })
  .finally(() => clearTimeout(watchdog));
