'use strict';
// Embedded cluster formation without Jest: every node in its own worker thread, started at once,
// timed until every node sees all members Up. Threads are booted (and the code loaded) before the
// clock starts, so this is the cluster's own cost.
const path = require('node:path');
const { startMesh, stopAll, call } = require('./lib/threads');
const { FaultTable } = require('../dist/src/harness/FaultTable.js');
const { median, percentile } = require('./lib/stats');
const { runJest } = require('./lib/jest');

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

/**
 * The same through the harness end to end: real Jest, a file with the default embedded node
 * against the same role count on the tiny node, alternating. The lead's setup() waits until every
 * node sees all members Up; the difference in "setup() to every role in test 1" is the cluster's
 * share of start-up.
 */
async function harnessFormation({ reps, tmpDir, log }) {
  const out = {};
  for (const size of [3, 5]) {
    const configs = [
      { key: 'embedded', file: `cluster-${size}.test.js` },
      { key: 'tiny', file: `roles-${size}.test.js` },
    ];
    const ready = { embedded: [], tiny: [] };
    const nodes = { embedded: [], tiny: [] };
    for (let rep = 0; rep < reps; rep++) {
      for (const config of rep % 2 === 0 ? configs : [...configs].reverse()) {
        const run = await runJest({ project: 'harness', file: config.file, tmpDir, trace: true });
        ready[config.key].push(run.phases.allInFirstTestMs);
        nodes[config.key].push(run.phases.nodesStartedMs);
      }
    }
    out[size] = {
      embeddedReadyMs: median(ready.embedded),
      tinyReadyMs: median(ready.tiny),
      embeddedNodesMs: median(nodes.embedded),
      tinyNodesMs: median(nodes.tiny),
    };
    log(`  cluster: harness end to end, ${size} roles done`);
  }
  return out;
}

module.exports = { formation, harnessFormation, SIZES };
