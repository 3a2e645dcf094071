'use strict';
// Harness benchmarks through real Jest: start-up cost per role, multi-node vs single-node wall
// time, and barrier round trips.
const fs = require('node:fs');
const path = require('node:path');
const { runJest } = require('./lib/jest');
const { median, percentile, slope } = require('./lib/stats');

const ROLE_COUNTS = [1, 2, 3, 5];

const CONFIGS = [
  { key: 'single', project: 'single', file: 'single.test.js' },
  ...ROLE_COUNTS.map((n) => ({ key: `roles-${n}`, roles: n, project: 'harness', file: `roles-${n}.test.js`, trace: true })),
  { key: 'ts-single', project: 'ts', file: 'single.test.ts' },
  { key: 'ts-roles-3', project: 'ts', file: 'multinode.test.ts', trace: true },
];

/**
 * Runs every configuration `reps` times. Each repetition runs all of them in a rotated order, so
 * that each configuration takes every position in turn and a busy phase of the machine hits them
 * alike. One untimed warm-up pass comes first (it also fills Jest's transform cache).
 */
async function startUp({ reps, tmpDir, log }) {
  for (const config of CONFIGS) await runJest({ ...config, tmpDir });
  const runs = Object.fromEntries(CONFIGS.map((c) => [c.key, []]));
  for (let rep = 0; rep < reps; rep++) {
    const order = CONFIGS.map((_, i) => CONFIGS[(i + rep) % CONFIGS.length]);
    for (const config of order) runs[config.key].push(await runJest({ ...config, tmpDir }));
    log(`  start-up: repetition ${rep + 1}/${reps} done`);
  }
  const summary = {};
  for (const config of CONFIGS) {
    const r = runs[config.key];
    summary[config.key] = {
      wallMs: median(r.map((x) => x.wallMs)),
      fileMs: median(r.map((x) => x.fileMs)),
      cpuMs: median(r.map((x) => x.cpuMs)),
      rssMb: median(r.map((x) => x.maxRssKb / 1024)),
      readyMs: config.trace ? median(r.map((x) => x.phases.allInFirstTestMs)) : NaN,
      nodesMs: config.trace ? median(r.map((x) => x.phases.nodesStartedMs)) : NaN,
      teardownMs: config.trace ? median(r.map((x) => x.phases.teardownMs)) : NaN,
    };
  }
  const pick = (field) => ROLE_COUNTS.map((n) => summary[`roles-${n}`][field]);
  // Paired ratios: repetition k of the multi-node file against repetition k of its single-node twin.
  const paired = (multi, single, field) => median(runs[multi].map((x, i) => x[field] / runs[single][i][field]));
  return {
    reps,
    summary,
    perRole: {
      wallMs: slope(ROLE_COUNTS, pick('wallMs')),
      cpuMs: slope(ROLE_COUNTS, pick('cpuMs')),
      rssMb: slope(ROLE_COUNTS, pick('rssMb')),
      readyMs: slope(ROLE_COUNTS, pick('readyMs')),
    },
    js: { wall: paired('roles-3', 'single', 'wallMs'), cpu: paired('roles-3', 'single', 'cpuMs'), file: paired('roles-3', 'single', 'fileMs') },
    ts: { wall: paired('ts-roles-3', 'ts-single', 'wallMs'), cpu: paired('ts-roles-3', 'ts-single', 'cpuMs'), file: paired('ts-roles-3', 'ts-single', 'fileMs') },
  };
}

/** N barriers in a row with 3 and 8 roles; every role's per-barrier times, pooled. */
async function barriers({ reps, count, tmpDir, log }) {
  const results = {};
  for (const roles of [3, 8]) {
    const pooled = [];
    const lead = [];
    for (let rep = 0; rep < reps; rep++) {
      const outDir = fs.mkdtempSync(path.join(tmpDir, `barriers-${roles}-`));
      await runJest({ project: 'harness', file: `barriers-${roles}.test.js`, tmpDir, env: { BENCH_OUT_DIR: outDir, BENCH_BARRIERS: String(count) } });
      const files = fs.readdirSync(outDir).filter((f) => f.endsWith('.json'));
      if (files.length !== roles) throw new Error(`Expected barrier timings from ${roles} roles, found ${files.length}.`);
      for (const file of files) {
        const data = JSON.parse(fs.readFileSync(path.join(outDir, file), 'utf8'));
        pooled.push(...data.samples);
        if (data.role === 'a') lead.push(...data.samples);
      }
      fs.rmSync(outDir, { recursive: true, force: true });
    }
    results[roles] = {
      samples: pooled.length,
      p50: percentile(pooled, 50),
      p99: percentile(pooled, 99),
      max: Math.max(...pooled),
      leadP50: percentile(lead, 50),
      leadP99: percentile(lead, 99),
    };
    log(`  barriers: ${roles} roles done (${pooled.length} samples)`);
  }
  return results;
}

/** What a role thread loads before it can run the test file (as environment/roleWorker.js does). */
const ROLE_THREAD_MODULES = [
  'jest-runner',
  'jest-runtime',
  'jest-haste-map',
  '@jest/transform',
  'jest-environment-node',
  'jest-circus/runner',
  path.resolve(__dirname, '..', 'dist', 'environment', 'MultinodeEnvironment.js'),
].map((id) => require.resolve(id));

/**
 * Thread boot alone: an empty worker_threads Worker against one that loads the modules a role
 * thread needs, from `new Worker` to its first message, alternating, one thread at a time.
 */
async function threadBoot({ reps }) {
  const { Worker } = require('node:worker_threads');
  const { once } = require('node:events');
  const script = path.join(__dirname, 'workers', 'boot-worker.js');
  const times = { empty: [], jest: [] };
  const loads = [];
  for (let rep = 0; rep < reps; rep++) {
    for (const kind of rep % 2 === 0 ? ['empty', 'jest'] : ['jest', 'empty']) {
      const started = performance.now();
      const worker = new Worker(script, { workerData: { modules: kind === 'jest' ? ROLE_THREAD_MODULES : [] } });
      const [message] = await once(worker, 'message');
      times[kind].push(performance.now() - started);
      if (kind === 'jest') loads.push(message.loadMs);
      await worker.terminate();
    }
  }
  return { emptyMs: median(times.empty), jestMs: median(times.jest), loadMs: median(loads) };
}

module.exports = { startUp, barriers, threadBoot, ROLE_COUNTS };
