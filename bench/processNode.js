'use strict';
// Process nodes (processes mode, process spec): how long a minimal node HTTP server takes from
// spawn to ready through the harness (readiness by HTTP), how long a restart takes (SIGKILL of the
// process group, then the next incarnation ready on the same port), and how long a stop takes
// (SIGTERM to exit). The first start of each round also spawns the launcher's reaper. Side by side with the bare cost: the same server spawned with plain
// child_process until it prints its listening line. No Jest.
const path = require('node:path');
const { spawn } = require('node:child_process');
const { AddressPlan, DataDirs, LocalLauncher, NodeProcess, parseProcessSpec } = require('../dist/src/processes');
const { median, percentile, nowMs } = require('./lib/stats');

const SERVER = path.join(__dirname, 'fixtures', 'processes', 'httpServer.js');

/** Spawns the server without the harness and resolves with the time to its listening line. */
function bareStart(endpoint) {
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const child = spawn(process.execPath, [SERVER], { env: { ...process.env, MULTINODE_HOST: endpoint.host, MULTINODE_PORT: String(endpoint.port) }, stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.stdout.once('data', () => {
      const elapsed = nowMs() - started;
      child.once('exit', () => resolve(elapsed));
      child.kill('SIGKILL');
    });
  });
}

/**
 * `reps` rounds, each with a fresh launcher and address plan: a bare spawn, then through the
 * harness a start to ready, `restarts` restarts, and a stop. Returns the samples' p50 and max.
 */
async function processNode({ reps, restarts, log }) {
  const samples = { bare: [], start: [], crash: [], restart: [], stop: [] };
  for (let rep = 0; rep < reps; rep++) {
    const launcher = new LocalLauncher();
    const dirs = new DataDirs(['a']);
    try {
      const plan = await AddressPlan.create(['a']);
      samples.bare.push(await bareStart(plan.nodeEndpoint('a')));
      const node = new NodeProcess({
        role: 'a',
        spec: parseProcessSpec({ command: ['node', SERVER], ready: { http: '/health' } }, __dirname),
        endpoint: plan.nodeEndpoint('a'),
        peers: {},
        seed: rep,
        dataDir: dirs.dirOf('a'),
        nodeTimeoutMs: 20_000,
        launcher,
      });
      let t = nowMs();
      await node.start();
      samples.start.push(nowMs() - t);
      for (let i = 0; i < restarts; i++) {
        // node.restart() is crash() then start(); timed in its two parts.
        t = nowMs();
        await node.crash();
        samples.crash.push(nowMs() - t);
        await node.start();
        samples.restart.push(nowMs() - t);
      }
      t = nowMs();
      const outcome = await node.stop();
      if (outcome.killed) throw new Error('The benchmark server ignored SIGTERM.');
      samples.stop.push(nowMs() - t);
    } finally {
      await launcher.close();
      dirs.finish(true);
    }
    log(`  processNode: round ${rep + 1} of ${reps} done`);
  }
  const summary = (values) => ({ p50: median(values), max: percentile(values, 100), n: values.length });
  return Object.fromEntries(Object.entries(samples).map(([kind, values]) => [kind, summary(values)]));
}

module.exports = { processNode };
