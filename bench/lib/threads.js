'use strict';
// Starting a set of worker threads joined by a full mesh of MessageChannels, talking to them, and
// ending them for sure.
const { MessageChannel, Worker } = require('node:worker_threads');
const { once } = require('node:events');

/** Waits for the next message of `type` from `worker`, or rejects on an error or exit first. */
function nextMessage(worker, type, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (message) => {
      if (message.type !== type) return;
      cleanup();
      resolve(message);
    };
    const onError = (error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code) => {
      cleanup();
      reject(new Error(`Worker ${worker.self} exited with code ${code} while waiting for '${type}'.`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Worker ${worker.self} sent no '${type}' within ${timeoutMs} ms.`));
    }, timeoutMs);
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
  });
}

/** Sends `command` and resolves with the worker's next `result`. */
function call(worker, command, timeoutMs) {
  const result = nextMessage(worker, 'result', timeoutMs);
  worker.postMessage(command);
  return result;
}

/**
 * Starts one worker per address running `script`, with `workerData` = `{ ...data, self, roles,
 * ports }` where `ports` maps every other address to this worker's end of their channel. Resolves
 * once every worker has said 'ready'.
 */
async function startMesh(script, addresses, data = {}) {
  const ports = Object.fromEntries(addresses.map((a) => [a, {}]));
  for (let i = 0; i < addresses.length; i++) {
    for (let j = i + 1; j < addresses.length; j++) {
      const { port1, port2 } = new MessageChannel();
      ports[addresses[i]][addresses[j]] = port1;
      ports[addresses[j]][addresses[i]] = port2;
    }
  }
  const workers = addresses.map((self) => {
    const own = ports[self];
    const worker = new Worker(script, { workerData: { ...data, self, roles: addresses, ports: own }, transferList: Object.values(own) });
    worker.self = self;
    return worker;
  });
  try {
    await Promise.all(workers.map((w) => nextMessage(w, 'ready')));
  } catch (error) {
    await stopAll(workers);
    throw error;
  }
  return workers;
}

/** Asks every worker to close; terminates those that have not exited within `graceMs`. */
async function stopAll(workers, graceMs = 3000) {
  await Promise.all(
    workers.map(async (worker) => {
      if (worker.threadId === -1) return;
      const exited = once(worker, 'exit').catch(() => undefined);
      try {
        worker.postMessage({ cmd: 'close' });
      } catch {
        // Already gone.
      }
      let timer;
      const late = new Promise((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
      const outcome = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (outcome === 'late') await worker.terminate();
    }),
  );
}

module.exports = { startMesh, stopAll, call, nextMessage };
