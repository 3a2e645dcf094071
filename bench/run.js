#!/usr/bin/env node
'use strict';
// Runs every benchmark of jest-environment-multinode and prints one table.
//
//   npm run bench                 # builds, then the full run (a few minutes on 2 cores)
//   node bench/run.js --quick     # a short run, fewer repetitions (dist/ must be built)
//   node bench/run.js --only=links,actors
//   node bench/run.js --only=suite       # six files in one Jest, role threads kept or not; 32 roles
//   node bench/run.js --quick --only=sharding
//   node bench/run.js --only=simulation
//   node bench/run.js --only=timeline     # the HTML timeline in headless Chromium (needs /usr/bin/chromium)
//   node bench/run.js --only=processNode  # processes mode: a node HTTP server's start, restart and stop
//   node bench/run.js --only=proxy        # processes mode's fault proxy against a direct TCP connection
//
// Progress goes to stderr, the table to stdout. Temporary files live in one directory under the
// OS temp dir, removed at the end; every worker thread and child process is ended before exit.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ms, rate, ratio } = require('./lib/stats');

const DIST_ENV = path.resolve(__dirname, '..', 'dist', 'environment', 'index.js');
const SECTIONS = ['harness', 'suite', 'links', 'cluster', 'actors', 'sharding', 'simulation', 'timeline', 'processNode', 'proxy'];

function parseArgs(argv) {
  const quick = argv.includes('--quick');
  const only = argv.find((a) => a.startsWith('--only='));
  const sections = only ? only.slice('--only='.length).split(',').filter(Boolean) : SECTIONS;
  for (const s of sections) if (!SECTIONS.includes(s)) throw new Error(`Unknown section '${s}'; the sections are ${SECTIONS.join(', ')}.`);
  const unknown = argv.filter((a) => a !== '--quick' && !a.startsWith('--only='));
  if (unknown.length > 0) throw new Error(`Unknown argument ${unknown.join(' ')}; use --quick and/or --only=${SECTIONS.join(',')}.`);
  return { quick, sections };
}

const SETTINGS = {
  full: { harnessReps: 5, suiteReps: 5, roles32Reps: 2, bootReps: 10, barrierReps: 3, barriers: 200, linkReps: 5, messages: 200_000, pings: 5000, clusterReps: 5, clusterJestReps: 4, actorReps: 3, asks: 5000, tells: 100_000, shardAsks: 3000, shardReps: 5, simReps: 3, simSeconds: 60, failoverReps: 3, timelineReps: 5, processReps: 10, processRestarts: 5, proxyReps: 5, proxyMegabytes: 256, proxyPings: 5000 },
  quick: { harnessReps: 2, suiteReps: 2, roles32Reps: 1, bootReps: 4, barrierReps: 1, barriers: 200, linkReps: 1, messages: 50_000, pings: 1000, clusterReps: 2, clusterJestReps: 2, actorReps: 1, asks: 1000, tells: 20_000, shardAsks: 500, shardReps: 1, simReps: 1, simSeconds: 60, failoverReps: 1, timelineReps: 2, processReps: 3, processRestarts: 3, proxyReps: 1, proxyMegabytes: 64, proxyPings: 1000 },
};

const log = (line) => process.stderr.write(`${line}\n`);

function verdict(ok) {
  return ok ? 'met' : 'MISSED';
}

const secs = (x) => `${(x / 1000).toFixed(2)} s`;

async function main() {
  const { quick, sections } = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(DIST_ENV)) throw new Error(`${DIST_ENV} is missing; run 'npm run build' first (or 'npm run bench').`);
  const s = quick ? SETTINGS.quick : SETTINGS.full;
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-bench-'));
  const cleanup = () => fs.rmSync(tmpDir, { recursive: true, force: true });
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  const rows = [];
  const row = (group, what, value, target = '', status = '') => rows.push({ group, what, value, target, status });
  const started = performance.now();
  const loadBefore = os.loadavg();
  try {
    if (sections.includes('harness')) {
      const { startUp, barriers, threadBoot, ROLE_COUNTS } = require('./harness');
      log(`harness: real Jest, ${s.harnessReps} repetitions of 7 Jest runs (JS: single, 1, 2, 3, 5 roles; TS: single, 3 roles) in rotated order (+1 warm-up pass)`);
      const r = await startUp({ reps: s.harnessReps, tmpDir, log });
      const g = `Harness, real Jest, 10 tests (median of ${s.harnessReps})`;
      const sum = r.summary;
      const cell = (x) => `${secs(x.wallMs)} (cpu ${secs(x.cpuMs)}, ${Math.round(x.rssMb)} MB)`;
      row(g, 'JS single-node file (testEnvironment node): wall (cpu, rss)', cell(sum.single), '', 'baseline');
      for (const n of ROLE_COUNTS) {
        const x = sum[`roles-${n}`];
        row(g, `JS ${n}-role file: wall (cpu, rss)`, cell(x), '', `${ratio(x.wallMs / sum.single.wallMs)} single`);
      }
      for (const n of ROLE_COUNTS) {
        const x = sum[`roles-${n}`];
        row(g, `JS ${n}-role file: setup() to every role in test 1 (last node up); teardown`, `${ms(x.readyMs)} (${ms(x.nodesMs)}); ${ms(x.teardownMs)}`, '', '');
      }
      row(g, 'cost per added role (slope over 1,2,3,5 roles): wall / cpu / rss', `${ms(r.perRole.wallMs)} / ${ms(r.perRole.cpuMs)} / ${Math.round(r.perRole.rssMb)} MB`, '', `to test 1: ${ms(r.perRole.readyMs)}`);
      row(g, 'JS 3 roles / single node: wall (paired median)', ratio(r.js.wall), '<= 1.2x', verdict(r.js.wall <= 1.2));
      row(g, 'JS 3 roles / single node: cpu, setup+tests', `${ratio(r.js.cpu)}, ${ratio(r.js.file)}`, '', 'info');
      row(g, 'TS (ts-jest) single-node file: wall (cpu, rss)', cell(sum['ts-single']), '', 'baseline');
      row(g, 'TS (ts-jest) 3-role file: wall (cpu, rss)', cell(sum['ts-roles-3']), '', `to test 1: ${ms(sum['ts-roles-3'].readyMs)}`);
      row(g, 'TS 3 roles / single node: wall (paired median)', ratio(r.ts.wall), '<= 1.2x', verdict(r.ts.wall <= 1.2));
      row(g, 'TS 3 roles / single node: cpu, setup+tests', `${ratio(r.ts.cpu)}, ${ratio(r.ts.file)}`, '', 'info');
      const boot = await threadBoot({ reps: s.bootReps });
      row(g, 'one thread: empty Worker boot / Worker loading what a role needs', `${ms(boot.emptyMs)} / ${ms(boot.jestMs)}`, '', `loading ${ms(boot.loadMs)}`);
      log(`harness: barriers, ${s.barrierReps} run(s) x ${s.barriers} barriers with 3 and 8 roles`);
      const b = await barriers({ reps: s.barrierReps, count: s.barriers, tmpDir, log });
      for (const roles of [3, 8]) {
        const x = b[roles];
        // The target is for 8 roles; 3 roles are shown for comparison.
        row(g, `barrier round trip, ${roles} roles, p50 / p99 (n=${x.samples})`, `${ms(x.p50)} / ${ms(x.p99)}`, roles === 8 ? 'p50 <= 0.5 ms' : '', roles === 8 ? verdict(x.p50 <= 0.5) : 'info');
      }
    }
    if (sections.includes('suite')) {
      const { suite, roles32, FILES } = require('./suite');
      log(`suite: ${s.suiteReps} repetitions of 3 Jest runs of ${FILES} files in band (single node; 3 roles with role threads kept; 3 roles without) (+1 warm-up pass)`);
      const r = await suite({ reps: s.suiteReps, tmpDir, log });
      const g = `A suite of ${FILES} files in one Jest, in band (median of ${s.suiteReps})`;
      const cell = (x) => `${secs(x.wallMs)} (cpu ${secs(x.cpuMs)}, ${Math.round(x.rssMb)} MB)`;
      row(g, `${FILES} single-node files: wall (cpu, rss)`, cell(r.single), '', 'baseline');
      row(g, `${FILES} 3-role files, role threads kept: wall (cpu, rss)`, cell(r.pooled), '', `${ratio(r.pooled.ratio)} single`);
      row(g, `${FILES} 3-role files, idleRoleThreads 0: wall (cpu, rss)`, cell(r.unpooled), '', `${ratio(r.unpooled.ratio)} single`);
      row(g, 'each added role, files 2..5, role threads kept (warm)', ms(r.pooled.laterRoleMs), '<= 100 ms', verdict(r.pooled.laterRoleMs <= 100));
      row(g, 'each added role, files 2..5, new threads (cold)', ms(r.unpooled.laterRoleMs), '<= 250 ms', verdict(r.unpooled.laterRoleMs <= 250));
      row(g, 'each added role, first file (cold, Jest itself also cold)', `${ms(r.pooled.firstRoleMs)} / ${ms(r.unpooled.firstRoleMs)}`, '', 'kept / not');
      log(`suite: 32 roles on the embedded cluster, ${s.roles32Reps} run(s)`);
      const t = await roles32({ reps: s.roles32Reps, tmpDir, log });
      row(g, '32 roles, embedded cluster (formation-32): setup() to every role in test 1', secs(t.readyMs), '<= 10 s', verdict(t.readyMs <= 10_000));
      row(g, '32 roles: whole Jest run wall (cpu), peak RSS', `${secs(t.wallMs)} (cpu ${secs(t.cpuMs)}), ${Math.round(t.rssMb)} MB`, '<= 1536 MB', verdict(t.rssMb <= 1536));
    }
    if (sections.includes('links')) {
      const { links, MODES } = require('./links');
      log(`links: ${s.linkReps} repetition(s), ${s.messages} messages and ${s.pings} pings per mode`);
      const r = await links({ reps: s.linkReps, messages: s.messages, pings: s.pings, log });
      const g = 'Links, 2 threads, no Jest';
      const labels = { port: 'bare MessagePort', mesh: 'MessageChannelTransport', link: 'harness LinkEndpoint (traced)', 'link-capped': 'LinkEndpoint past trace cap' };
      for (const mode of MODES) {
        const x = r[mode];
        const isLink = mode === 'link';
        row(g, `${labels[mode]}: one-way msg/s`, rate(x.rate), isLink ? '>= 250,000 msg/s' : '', isLink ? verdict(x.rate >= 250_000) : `${ratio(x.rate / r.port.rate)} port`);
      }
      for (const mode of MODES) {
        const x = r[mode];
        row(g, `${labels[mode]}: round trip p50 / p99`, `${ms(x.rttP50)} / ${ms(x.rttP99)}`, '', '');
      }
    }
    if (sections.includes('cluster')) {
      const { formation, harnessFormation, SIZES } = require('./cluster');
      log(`cluster: ${s.clusterReps} formation(s) per size and transport`);
      const r = await formation({ reps: s.clusterReps, log });
      const g = `Embedded cluster, thread per node (median of ${s.clusterReps})`;
      for (const size of SIZES) {
        for (const mode of ['link', 'mesh']) {
          const x = r[`${mode}-${size}`];
          const target = size === 5 && mode === 'link' ? '5 nodes <= 1 s' : '';
          row(g, `${size} nodes on ${mode === 'link' ? 'harness links' : 'MessageChannelTransport'}: all Up (self Up p50)`, `${ms(x.allUpMs)} (${ms(x.selfUpP50)})`, target, target ? verdict(x.allUpMs <= 1000) : `max ${ms(x.allUpMax)}`);
        }
      }
      log(`cluster: through real Jest, ${s.clusterJestReps} run(s) per size, embedded vs tiny node`);
      const h = await harnessFormation({ reps: s.clusterJestReps, tmpDir, log });
      const gh = `Embedded cluster through real Jest (median of ${s.clusterJestReps})`;
      for (const size of [3, 5]) {
        const x = h[size];
        row(gh, `${size} roles: setup() to every role in test 1, embedded / tiny node`, `${ms(x.embeddedReadyMs)} / ${ms(x.tinyReadyMs)}`, '', `cluster share ${ms(x.embeddedReadyMs - x.tinyReadyMs)}`);
      }
    }
    if (sections.includes('actors')) {
      const { actors, MODES } = require('./actors');
      log(`actors: ${s.actorReps} repetition(s), ${s.asks} asks and ${s.tells} tells per transport`);
      const r = await actors({ reps: s.actorReps, asks: s.asks, tells: s.tells, log });
      const g = 'Actors, 2 systems in 2 threads';
      const labels = { mesh: 'MessageChannelTransport', link: 'harness links' };
      for (const mode of MODES) {
        const x = r[mode];
        row(g, `remote ask p50 / p99, ${labels[mode]}`, `${ms(x.askP50)} / ${ms(x.askP99)}`, '', '');
      }
      for (const mode of MODES) {
        const x = r[mode];
        row(g, `remote tell throughput, ${labels[mode]}`, rate(x.tellRate), '', mode === 'link' ? `${ratio(x.tellRate / r.mesh.tellRate)} mesh` : '');
      }
    }
    if (sections.includes('sharding')) {
      const { latency, recovery, RECOVERY_SIZES, ENTITIES } = require('./sharding');
      log(`sharding: ${s.shardAsks} asks per kind on 3 nodes; ${s.shardReps} crash(es) per size with ${ENTITIES} entities`);
      const l = await latency({ asks: s.shardAsks, log });
      const g = 'Cluster sharding, thread per node on MessageChannelTransport, default settings';
      row(g, 'entity ask p50 / p99, local home', `${ms(l.local.p50)} / ${ms(l.local.p99)}`, '', '');
      row(g, 'entity ask p50 / p99, remote home', `${ms(l.remote.p50)} / ${ms(l.remote.p99)}`, '', `plain remote ask ${ms(l.plain.p50)} / ${ms(l.plain.p99)}`);
      const r = await recovery({ reps: s.shardReps, log });
      for (const size of RECOVERY_SIZES) {
        const x = r[size];
        row(g, `${size} nodes, a node crashes: every entity answers again (medians of ${s.shardReps})`, `downing ${ms(x.downingMs)} + ${ms(x.afterDowningMs)} (total ${ms(x.recoveredMs)})`, '<= downing + 5 s', `${verdict(x.maxAfterDowningMs <= 5000)}, worst downing + ${ms(x.maxAfterDowningMs)}; ${x.moved} of ${ENTITIES} entities moved`);
      }
    }
    if (sections.includes('simulation')) {
      const { simulatedTime, failoverSuite, SIM_ROLES, FAILOVER_SUITE } = require('./simulation');
      log(`simulation: ${s.simReps} pair(s) of Jest runs per size (${s.simSeconds} s and 0 s of virtual time), 3 and 8 roles (+1 traced run each)`);
      const r = await simulatedTime({ reps: s.simReps, seconds: s.simSeconds, tmpDir, log });
      const g = `Simulation mode, embedded cluster, real Jest (median of ${s.simReps})`;
      for (const roles of SIM_ROLES) {
        const x = r[roles];
        row(g, `${roles} roles: ${s.simSeconds} s of virtual time take, real (wall; cpu difference to a 0 s wait)`, `${ms(x.waitMs)} (${ms(x.differenceMs)}; cpu ${ms(x.cpuDifferenceMs)})`, '', `${rate(x.messagesPerSecond)} virtual, ${Math.round(x.usPerMessage)} µs real per msg`);
      }
      for (const roles of SIM_ROLES) {
        const x = r[roles];
        const target = roles === 3 ? '> 100x' : '';
        row(g, `${roles} roles: simulated seconds per real second (by wall; cpu difference)`, `${ratio(x.rate)} (${ratio(x.rateByWall)}; cpu ${ratio(x.rateByCpu)})`, target, target ? verdict(x.rate > 100) : '');
      }
      log(`simulation: ${FAILOVER_SUITE}, ${s.failoverReps} run(s) per mode, alternating (+1 warm-up run each)`);
      const f = await failoverSuite({ reps: s.failoverReps, tmpDir, log });
      const gf = `Sharding failover suite (4 roles, ${f.threads.tests} tests), plain Jest (median of ${s.failoverReps})`;
      row(gf, 'threads mode: wall (cpu); setup+tests', `${secs(f.threads.wallMs)} (cpu ${secs(f.threads.cpuMs)}); ${secs(f.threads.fileMs)}`, '', 'baseline');
      row(gf, 'MULTINODE_MODE=simulation: wall (cpu); setup+tests', `${secs(f.simulation.wallMs)} (cpu ${secs(f.simulation.cpuMs)}); ${secs(f.simulation.fileMs)}`, '', `${ratio(f.wallRatio)} threads (paired)`);
    }
    if (sections.includes('timeline')) {
      const { timelinePage, MESSAGES } = require('./timeline');
      log(`timeline: one traced Jest run with ${MESSAGES} messages, then its HTML page built and drawn in headless Chromium ${s.timelineReps} times`);
      const r = await timelinePage({ reps: s.timelineReps, tmpDir, log });
      const g = `HTML timeline, 3 roles, ${r.messages} messages in one test (median of ${s.timelineReps})`;
      row(g, 'page size', `${(r.bytes / 1e6).toFixed(2)} MB`, '< 5 MB', verdict(r.bytes < 5e6));
      row(g, 'drawn in headless Chromium (navigation start to first drawing done)', ms(r.drawMs), '< 2 s', verdict(r.drawMs < 2000));
      row(g, 'built in Node (trace to HTML)', ms(r.buildMs), '', `${r.arrows} arrows (bundled)`);
      row(g, 'without bundling: size; drawn in Chromium', `${(r.unbundledBytes / 1e6).toFixed(2)} MB; ${ms(r.unbundledDrawMs)}`, '', `${r.unbundledArrows} arrows`);
    }
    if (sections.includes('processNode')) {
      const { processNode } = require('./processNode');
      log(`processNode: ${s.processReps} round(s) of a bare spawn, then start, ${s.processRestarts} restarts and a stop through the harness`);
      const r = await processNode({ reps: s.processReps, restarts: s.processRestarts, log });
      const g = `Process node, minimal node HTTP server, no Jest (p50 / max of ${s.processReps} rounds)`;
      const cell = (x) => `${ms(x.p50)} / ${ms(x.max)}`;
      row(g, 'bare spawn to its listening line (no harness)', cell(r.bare), '', 'baseline');
      row(g, 'first start to ready (HTTP 2xx on /health; the reaper starts too)', cell(r.start), '', `${ratio(r.start.p50 / r.bare.p50)} bare`);
      row(g, `restart: SIGKILL of the group, next incarnation ready (n=${r.restart.n})`, cell(r.restart), '', `${ratio(r.restart.p50 / r.bare.p50)} bare`);
      row(g, 'of which SIGKILL until the group is gone', cell(r.crash), '', '');
      row(g, 'stop: SIGTERM to exit', cell(r.stop), '', '');
    }
    if (sections.includes('proxy')) {
      const { proxy, MODES } = require('./proxy');
      log(`proxy: ${s.proxyReps} repetition(s), a ${s.proxyMegabytes} MB stream and ${s.proxyPings} round trips per mode`);
      const r = await proxy({ reps: s.proxyReps, megabytes: s.proxyMegabytes, pings: s.proxyPings, log });
      const g = `Fault proxy (processes mode), loopback TCP between 2 threads, no Jest (median of ${s.proxyReps})`;
      const labels = { direct: 'direct connection', proxy: 'through a FaultProxy', 'proxy-traced': 'through a FaultProxy with an event listener' };
      for (const mode of MODES) {
        const x = r[mode];
        row(g, `${labels[mode]}: one-way stream, MB/s`, rate(x.mbps, 'MB/s'), '', `${ratio(x.mbps / r.direct.mbps)} direct`);
      }
      for (const mode of MODES) {
        const x = r[mode];
        const added = mode === 'direct' ? 'baseline' : `+${ms(x.rttP50 - r.direct.rttP50)} p50`;
        row(g, `${labels[mode]}: round trip of 64 bytes, p50 / p99`, `${ms(x.rttP50)} / ${ms(x.rttP99)}`, '', added);
      }
    }
  } finally {
    cleanup();
  }
  printTable(rows, { quick, seconds: (performance.now() - started) / 1000, loadBefore, loadAfter: os.loadavg() });
}

function printTable(rows, { quick, seconds, loadBefore, loadAfter }) {
  const cpus = os.cpus();
  const header = ['benchmark', 'value', 'target', 'result'];
  const lines = [];
  let group = null;
  const body = rows.map((r) => [r.what, r.value, r.target, r.status]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  const fmt = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  lines.push(`jest-environment-multinode benchmarks${quick ? ' (--quick)' : ''}: node ${process.version}, ${os.availableParallelism?.() ?? cpus.length} CPUs (${cpus[0]?.model ?? 'unknown'}), ${os.platform()} ${os.release()}, ${Math.round(seconds)} s`);
  lines.push(`load average (1 min) ${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after; figures are medians/percentiles of one run, ratios side by side`);
  lines.push(fmt(header));
  lines.push(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  rows.forEach((r, i) => {
    if (r.group !== group) {
      group = r.group;
      lines.push(fmt([`**${group}**`, '', '', '']));
    }
    lines.push(fmt(body[i]));
  });
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exitCode = 1;
});
