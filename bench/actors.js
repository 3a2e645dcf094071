'use strict';
// Remote actor messaging between two actor systems in two worker threads, without Jest: ask
// latency (one ask in flight) and tell throughput, over MessageChannelTransport and over the
// harness's LinkEndpoint, side by side.
const path = require('node:path');
const { startMesh, stopAll, call } = require('./lib/threads');
const { FaultTable } = require('../dist/src/harness/FaultTable.js');
const { median, percentile } = require('./lib/stats');

const SCRIPT = path.join(__dirname, 'workers', 'actor-worker.js');
const MODES = ['mesh', 'link'];

async function actors({ reps, asks, tells, log }) {
  const results = Object.fromEntries(MODES.map((m) => [m, { latencies: [], rates: [] }]));
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 === 0 ? MODES : [...MODES].reverse();
    for (const mode of order) {
      const table = new FaultTable(2);
      const workers = await startMesh(SCRIPT, ['a', 'b'], { mode, faultBuffer: table.buffer });
      try {
        const [client] = workers;
        const { samples } = await call(client, { cmd: 'asks', n: asks, warmUp: Math.min(500, asks) });
        results[mode].latencies.push(...samples);
        const { elapsedMs } = await call(client, { cmd: 'tells', n: tells, chunk: 1000 });
        results[mode].rates.push(tells / (elapsedMs / 1000));
      } finally {
        await stopAll(workers);
      }
    }
    log(`  actors: repetition ${rep + 1}/${reps} done`);
  }
  const out = {};
  for (const mode of MODES) {
    const { latencies, rates } = results[mode];
    out[mode] = { askP50: percentile(latencies, 50), askP99: percentile(latencies, 99), tellRate: median(rates), rates };
  }
  return out;
}

module.exports = { actors, MODES };
