'use strict';
// Simulation mode through real Jest: how much virtual time passes per real second on the embedded
// cluster, and the sharding failover suite's wall time in threads and in simulation mode.
const path = require('node:path');
const { runJest } = require('./lib/jest');
const { median } = require('./lib/stats');

const SIM_ROLES = [3, 8];
const FAILOVER_SUITE = '__tests__/multinode/sharding-failover.test.ts';
const MODES = ['threads', 'simulation'];

/**
 * `sim-{3,8}.test.js` (simulation mode pinned by the docblock, seed 1, the default embedded node):
 * the cluster forms, then a test waits `seconds` of virtual time in every role while the cluster
 * runs. In simulation every clock a role can read is virtual, so the real time is taken outside
 * the roles, in two ways:
 *
 * - the wait test's duration as Jest reports it: Jest times tests with the `Date.now` it saved
 *   before any fake or virtual clock was installed, so this is real time, in the Jest process;
 * - the Jest process's wall time with that wait, minus a paired run of the same file with a 0 s
 *   wait (the two alternate), as a cross-check that includes everything outside the test; and the
 *   same difference in CPU time, which the machine's other load changes much less.
 *
 * One untimed run per size with the trace on comes first: it counts the link messages sent during
 * the wait (the cluster's traffic, which sets how much work a virtual second is).
 */
async function simulatedTime({ reps, seconds, tmpDir, log }) {
  const out = {};
  for (const roles of SIM_ROLES) {
    const run = (wait, trace = false) => runJest({ project: 'harness', file: `sim-${roles}.test.js`, tmpDir, env: { BENCH_SIM_SECONDS: String(wait) }, trace });
    // The file's second test is the wait.
    const messages = (await run(seconds, true)).phases.testMessages[1];
    const waitMs = [];
    const differenceMs = [];
    const cpuDifferenceMs = [];
    for (let rep = 0; rep < reps; rep++) {
      const runs = {};
      for (const wait of rep % 2 === 0 ? [0, seconds] : [seconds, 0]) runs[wait] = await run(wait);
      waitMs.push(runs[seconds].testMs[1]);
      differenceMs.push(runs[seconds].wallMs - runs[0].wallMs);
      cpuDifferenceMs.push(runs[seconds].cpuMs - runs[0].cpuMs);
    }
    const virtualMs = seconds * 1000;
    out[roles] = {
      waitMs: median(waitMs),
      differenceMs: median(differenceMs),
      cpuDifferenceMs: median(cpuDifferenceMs),
      rate: virtualMs / median(waitMs),
      rateByWall: virtualMs / median(differenceMs),
      rateByCpu: virtualMs / median(cpuDifferenceMs),
      messagesPerSecond: messages / seconds,
      usPerMessage: (median(waitMs) * 1000) / messages,
    };
    log(`  simulation: ${roles} roles done`);
  }
  return out;
}

/**
 * The repository's own sharding failover suite with plain Jest (the repository's jest.config.ts,
 * as `npx jest <file>` runs it), in threads mode and with MULTINODE_MODE=simulation
 * (MULTINODE_SEED=1, so every repetition simulates the same run), alternating. One untimed run per
 * mode first fills the transform cache (ts-jest) under the bench's temp dir.
 */
async function failoverSuite({ reps, tmpDir, log }) {
  const run = (mode) =>
    runJest({
      file: FAILOVER_SUITE,
      tmpDir,
      timeoutMs: 300_000,
      jestArgs: ['--cacheDirectory', path.join(tmpDir, 'jest-cache-root')],
      // Empty counts as unset: threads mode and a random seed, whatever the calling shell has set.
      env: mode === 'simulation' ? { MULTINODE_MODE: 'simulation', MULTINODE_SEED: '1' } : { MULTINODE_MODE: '', MULTINODE_SEED: '' },
    });
  for (const mode of MODES) await run(mode);
  const runs = { threads: [], simulation: [] };
  for (let rep = 0; rep < reps; rep++) {
    for (const mode of rep % 2 === 0 ? MODES : [...MODES].reverse()) runs[mode].push(await run(mode));
    log(`  simulation: failover suite, repetition ${rep + 1}/${reps} done`);
  }
  const summary = (r) => ({ wallMs: median(r.map((x) => x.wallMs)), fileMs: median(r.map((x) => x.fileMs)), cpuMs: median(r.map((x) => x.cpuMs)), tests: r[0].tests });
  return {
    threads: summary(runs.threads),
    simulation: summary(runs.simulation),
    // Paired: repetition k in simulation against repetition k in threads.
    wallRatio: median(runs.simulation.map((x, i) => x.wallMs / runs.threads[i].wallMs)),
  };
}

module.exports = { simulatedTime, failoverSuite, SIM_ROLES, FAILOVER_SUITE };
