'use strict';
// A suite of test files through real Jest, in band: what each added role costs in the second and
// later files of a Jest worker, with role threads kept between files (the default) and without
// (idleRoleThreads: 0), against the same files single-node; and 32 roles on the embedded cluster.
const { runJest } = require('./lib/jest');
const { median } = require('./lib/stats');

const FILES = 6;
const ROLES = 3;
const names = (prefix) => Array.from({ length: FILES }, (_, i) => `${prefix}-${i + 1}.test.js`);
const CONFIGS = [
  { key: 'single', project: 'single', file: names('suite') },
  { key: 'pooled', project: 'suite', file: names('multi') },
  { key: 'unpooled', project: 'suite', file: names('multi'), env: { BENCH_IDLE_ROLE_THREADS: '0' } },
];

/** Each file's cost in a run: from its start to the next file's start (the last file has none). */
function fileCosts(run) {
  return run.files.slice(1).map((f, i) => f.startMs - run.files[i].startMs);
}

/**
 * Runs the three suites `reps` times in a rotated order (after one warm-up pass) and returns, per
 * suite, the median wall and CPU time; and, paired by repetition, the cost of each added role in the
 * first file (cold: the threads boot) and in later files (median of files 2..5), per suite.
 */
async function suite({ reps, tmpDir, log }) {
  for (const config of CONFIGS) await runJest({ ...config, tmpDir });
  const runs = Object.fromEntries(CONFIGS.map((c) => [c.key, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (let i = 0; i < CONFIGS.length; i++) {
      const config = CONFIGS[(i + rep) % CONFIGS.length];
      runs[config.key].push(await runJest({ ...config, tmpDir }));
    }
    log(`  suite: repetition ${rep + 1}/${reps} done`);
  }
  const perRole = (key, pick) => median(runs[key].map((run, k) => pick(fileCosts(run), fileCosts(runs.single[k]))));
  const first = (multi, single) => (multi[0] - single[0]) / (ROLES - 1);
  const later = (multi, single) => median(multi.slice(1).map((x, i) => (x - single[i + 1]) / (ROLES - 1)));
  const summary = (key) => ({ wallMs: median(runs[key].map((r) => r.wallMs)), cpuMs: median(runs[key].map((r) => r.cpuMs)), rssMb: median(runs[key].map((r) => r.maxRssKb / 1024)) });
  const paired = (key) => median(runs[key].map((r, k) => r.wallMs / runs.single[k].wallMs));
  return {
    files: FILES,
    single: summary('single'),
    pooled: { ...summary('pooled'), ratio: paired('pooled'), firstRoleMs: perRole('pooled', first), laterRoleMs: perRole('pooled', later) },
    unpooled: { ...summary('unpooled'), ratio: paired('unpooled'), firstRoleMs: perRole('unpooled', first), laterRoleMs: perRole('unpooled', later) },
  };
}

/** The repository's 32-role formation suite on the embedded cluster: set-up to every role in test 1, and the run's peak RSS. */
async function roles32({ reps, tmpDir, log }) {
  const runs = [];
  for (let rep = 0; rep < reps; rep++) {
    runs.push(await runJest({ file: '__tests__/multinode/formation-32.test.ts', tmpDir, trace: true, timeoutMs: 300_000 }));
    log(`  32 roles: run ${rep + 1}/${reps} done`);
  }
  return {
    readyMs: median(runs.map((r) => r.phases.allInFirstTestMs)),
    wallMs: median(runs.map((r) => r.wallMs)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    rssMb: median(runs.map((r) => r.maxRssKb / 1024)),
  };
}

module.exports = { suite, roles32, FILES };
