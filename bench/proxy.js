'use strict';
// Fault proxy benchmark, without Jest: a client thread and a target thread on loopback TCP, talking
// directly or through a FaultProxy in the main thread (as the harness's proxies run in the Jest
// process, between node processes), side by side in one run. Throughput of a one-way stream and
// round trips of small messages; the proxy with and without an event listener (the trace's cost).
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { FaultTable } = require('../dist/src/harness/FaultTable.js');
const { FaultProxy, faultTableReader } = require('../dist/src/processes/index.js');
const { createRng } = require('../dist/src/util/Rng.js');
const { call, nextMessage, stopAll } = require('./lib/threads');
const { median, percentile } = require('./lib/stats');

const SCRIPT = path.join(__dirname, 'workers', 'proxy-worker.js');
const MODES = ['direct', 'proxy', 'proxy-traced'];
const CHUNK_BYTES = 64 * 1024;
const MESSAGE_BYTES = 64;

async function startWorker(role) {
  const worker = new Worker(SCRIPT, { workerData: { role } });
  worker.self = role;
  const ready = await nextMessage(worker, 'ready');
  return { worker, ready };
}

async function run(worker, command) {
  const result = await call(worker, command, 120_000);
  if (result.error) throw new Error(`The ${worker.self} thread failed: ${result.error}`);
  return result;
}

/** A proxy client -> target in front of `port`; with `traced`, an event listener that aggregates. */
function startProxy(port, traced, counters) {
  const roles = ['client', 'target'];
  const onEvent = traced
    ? (event) => {
        counters.events++;
        if (event.type === 'chunk') counters.bytes += event.bytes;
      }
    : undefined;
  return FaultProxy.start({
    dialer: 'client',
    target: 'target',
    targetEndpoint: { host: '127.0.0.1', port },
    faults: faultTableReader(new FaultTable(2), roles),
    rng: createRng(1),
    onEvent,
  });
}

/**
 * For every mode: `reps` streams of `megabytes` MB and `pings` sequential round trips of 64-byte
 * messages, after a warm-up of each; modes rotate within a repetition, proxies are fresh each time.
 */
async function proxy({ reps, megabytes, pings, log }) {
  const results = Object.fromEntries(MODES.map((m) => [m, { rates: [], rtts: [] }]));
  const target = await startWorker('target');
  const client = await startWorker('client');
  const counters = { events: 0, bytes: 0 };
  try {
    const { sinkPort, echoPort } = target.ready;
    const bytes = megabytes * 1024 * 1024;
    for (let rep = 0; rep < reps; rep++) {
      const order = MODES.map((_, i) => MODES[(i + rep) % MODES.length]);
      for (const mode of order) {
        const proxies = mode === 'direct' ? [] : [await startProxy(sinkPort, mode === 'proxy-traced', counters), await startProxy(echoPort, mode === 'proxy-traced', counters)];
        try {
          const [sinkAt, echoAt] = mode === 'direct' ? [sinkPort, echoPort] : proxies.map((p) => p.address.port);
          await run(client.worker, { cmd: 'throughput', port: sinkAt, bytes: Math.min(bytes, 32 * 1024 * 1024), chunkBytes: CHUNK_BYTES });
          const stream = await run(client.worker, { cmd: 'throughput', port: sinkAt, bytes, chunkBytes: CHUNK_BYTES });
          results[mode].rates.push(stream.bytes / (1024 * 1024) / (stream.elapsedMs / 1000));
          const { samples } = await run(client.worker, { cmd: 'latency', port: echoAt, n: pings, warmUp: Math.min(500, pings), size: MESSAGE_BYTES });
          results[mode].rtts.push(...samples);
        } finally {
          await Promise.all(proxies.map((p) => p.close()));
        }
      }
      log(`  proxy: repetition ${rep + 1}/${reps} done`);
    }
  } finally {
    await stopAll([client.worker, target.worker]);
  }
  const out = { tracedEvents: counters.events };
  for (const mode of MODES) {
    const { rates, rtts } = results[mode];
    out[mode] = { mbps: median(rates), rates, rttP50: percentile(rtts, 50), rttP99: percentile(rtts, 99) };
  }
  return out;
}

module.exports = { proxy, MODES };
