'use strict';
// Embedded cluster formation without Jest: every node in its own worker thread, started at once,
// timed until every node sees all members Up. Threads are booted (and the code loaded) before the
// clock starts, so this is the cluster's own cost.
const path = require('node:path');
const { startMesh, stopAll, call } = require('./lib/threads');
const { FaultTable } = require('../dist/src/harness/FaultTable.js');
const { median, percentile } = require('./lib/stats');

const SCRIPT = path.join(__dirname, 'workers', 'cluster-worker.js');
const SIZES = [3, 5, 8];
const MODES = ['link', 'mesh'];

async function formation({ reps, log }) {
  const results = {};
  for (const size of SIZES) {
    const addresses = Array.from({ length: size }, (_, i) => String.fromCharCode(97 + i));
    for (const mode of MODES) results[`${mode}-${size}`] = { size, mode, allUp: [], selfUp: [] };
    for (let rep = 0; rep < reps; rep++) {
      const order = rep % 2 === 0 ? MODES : [...MODES].reverse();
      for (const mode of order) {
        const table = new FaultTable(size);
        const workers = await startMesh(SCRIPT, addresses, { mode, faultBuffer: table.buffer });
        try {
          const started = performance.now();
          const replies = await Promise.all(workers.map((w) => call(w, { cmd: 'start', seed: 1000 + rep }, 30_000)));
          const entry = results[`${mode}-${size}`];
          entry.allUp.push(performance.now() - started);
          entry.selfUp.push(...replies.map((r) => r.selfUpMs));
        } finally {
          await stopAll(workers);
        }
      }
    }
    log(`  cluster: ${size} nodes done`);
  }
  const out = {};
  for (const [key, entry] of Object.entries(results)) {
    out[key] = { size: entry.size, mode: entry.mode, allUpMs: median(entry.allUp), allUpMax: Math.max(...entry.allUp), selfUpP50: percentile(entry.selfUp, 50) };
  }
  return out;
}

module.exports = { formation, SIZES };
