'use strict';
// Harness benchmarks through real Jest: start-up cost per role, multi-node vs single-node wall
// time, and barrier round trips.
const fs = require('node:fs');
const path = require('node:path');
const { runJest } = require('./lib/jest');
const { median, percentile, slope } = require('./lib/stats');

const ROLE_COUNTS = [1, 2, 3, 5];

/**
 * Runs the single-node file and the 1, 2, 3 and 5 role files `reps` times each. Every repetition
 * runs all five in a rotated order, so each configuration takes every position in turn and slow
 * phases of the machine hit all of them alike. One untimed warm-up pass comes first.
 */
async function startUp({ reps, tmpDir, log }) {
  const configs = [
    { key: 'single', project: 'single', file: 'single.test.js' },
    ...ROLE_COUNTS.map((n) => ({ key: `roles-${n}`, roles: n, project: 'harness', file: `roles-${n}.test.js` })),
  ];
  for (const config of configs) await runJest({ ...config, tmpDir });
  const samples = Object.fromEntries(configs.map((c) => [c.key, []]));
  for (let rep = 0; rep < reps; rep++) {
    const order = configs.map((_, i) => configs[(i + rep) % configs.length]);
    for (const config of order) {
      const run = await runJest({ ...config, tmpDir });
      samples[config.key].push(run);
    }
    log(`  start-up: repetition ${rep + 1}/${reps} done (${order.map((c) => c.key).join(' > ')})`);
  }
  const summary = {};
  for (const config of configs) {
    const runs = samples[config.key];
    summary[config.key] = {
      wallMs: median(runs.map((r) => r.wallMs)),
      fileMs: median(runs.map((r) => r.fileMs)),
      wallAll: runs.map((r) => Math.round(r.wallMs)),
    };
  }
  const roleMedians = ROLE_COUNTS.map((n) => summary[`roles-${n}`].wallMs);
  const fileMedians = ROLE_COUNTS.map((n) => summary[`roles-${n}`].fileMs);
  // Paired ratios: repetition k of the 3-role file against repetition k of the single-node file.
  const paired = samples['roles-3'].map((r, i) => r.wallMs / samples.single[i].wallMs);
  const pairedFile = samples['roles-3'].map((r, i) => r.fileMs / samples.single[i].fileMs);
  return {
    reps,
    summary,
    perRoleWallMs: slope(ROLE_COUNTS, roleMedians),
    perRoleFileMs: slope(ROLE_COUNTS, fileMedians),
    ratio3vsSingleWall: summary['roles-3'].wallMs / summary.single.wallMs,
    ratio3vsSingleFile: summary['roles-3'].fileMs / summary.single.fileMs,
    pairedWall: median(paired),
    pairedFile: median(pairedFile),
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

module.exports = { startUp, barriers, ROLE_COUNTS };
