'use strict';
// Link benchmarks between two worker threads, without Jest: one-way throughput of small messages
// and ping-pong round trips, over a bare MessagePort, MessageChannelTransport and the harness's
// LinkEndpoint (fault table + trace), side by side in one run.
const path = require('node:path');
const { startMesh, stopAll, call } = require('./lib/threads');
const { FaultTable } = require('../dist/src/harness/FaultTable.js');
const { median, percentile } = require('./lib/stats');

const SCRIPT = path.join(__dirname, 'workers', 'link-worker.js');
const MODES = ['port', 'mesh', 'link', 'link-capped'];

/**
 * For every mode: `reps` bursts of `messages` one-way messages and `pings` sequential round trips,
 * each pair of threads fresh for each repetition; modes interleave within a repetition.
 */
async function links({ reps, messages, pings, log }) {
  const results = Object.fromEntries(MODES.map((m) => [m, { rates: [], rtts: [] }]));
  for (let rep = 0; rep < reps; rep++) {
    const order = MODES.map((_, i) => MODES[(i + rep) % MODES.length]);
    for (const mode of order) {
      const table = new FaultTable(2);
      const workers = await startMesh(SCRIPT, ['a', 'b'], { mode, faultBuffer: table.buffer });
      try {
        const [a] = workers;
        // Warm-up burst, then the timed one.
        await call(a, { cmd: 'throughput', n: Math.min(20_000, messages), chunk: 1000 });
        const burst = await call(a, { cmd: 'throughput', n: messages, chunk: 1000 });
        results[mode].rates.push(messages / (burst.elapsedMs / 1000));
        const { samples } = await call(a, { cmd: 'latency', n: pings, warmUp: Math.min(500, pings) });
        results[mode].rtts.push(...samples);
      } finally {
        await stopAll(workers);
      }
    }
    log(`  links: repetition ${rep + 1}/${reps} done`);
  }
  const out = {};
  for (const mode of MODES) {
    const { rates, rtts } = results[mode];
    out[mode] = { rate: median(rates), rates, rttP50: percentile(rtts, 50), rttP99: percentile(rtts, 99) };
  }
  return out;
}

module.exports = { links, MODES };
