'use strict';
// Runs real Jest in a child process on a fixture project and times it.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const JEST_BIN = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const FIXTURES = path.join(ROOT, 'bench', 'fixtures');
const CPU_REPORT = path.join(__dirname, 'cpuReport.js');

/**
 * Runs `node jest.js --config <project>/jest.config.js --runTestsByPath <file>` in band with --json,
 * and resolves with the wall time of the whole process and the file's own times from Jest's
 * perfStats. Rejects when Jest fails or passes `timeoutMs`.
 *
 * With `trace`, the environment writes its trace file (as it does for the reporter) and the result
 * also has the trace and the harness's own phases read from it (see `phasesOf`).
 *
 * Without `project`, `file` is a path relative to the repository and Jest finds the repository's
 * own config, as `npx jest <file>` does; `jestArgs` are added to Jest's command line. `file` may
 * also be a list of files, run in that order in one Jest process; the result then also has `files`,
 * each file's Jest start and end times in the order Jest ran them.
 *
 * @param {{ project?: string, file: string | string[], tmpDir: string, env?: Record<string, string>, timeoutMs?: number, nodeArgs?: string[], jestArgs?: string[], trace?: boolean }} options
 */
function runJest({ project, file, tmpDir, env = {}, timeoutMs = 120_000, nodeArgs = [], jestArgs = [], trace = false }) {
  const configArgs = project === undefined ? [] : ['--config', path.join(FIXTURES, project, 'jest.config.js')];
  const list = Array.isArray(file) ? file : [file];
  const testPaths = list.map((f) => (project === undefined ? path.join(ROOT, f) : path.join(FIXTURES, project, f)));
  const label = project === undefined ? list.join(' ') : `${project}/${list.join(' ')}`;
  const outputFile = path.join(tmpDir, `jest-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const cpuFile = `${outputFile}.cpu`;
  const reportDir = trace ? fs.mkdtempSync(path.join(tmpDir, 'report-')) : '';
  const args = [...nodeArgs, '--require', CPU_REPORT, JEST_BIN, ...configArgs, ...jestArgs, '--runInBand', '--ci', '--silent', '--json', '--outputFile', outputFile, '--runTestsByPath', ...testPaths];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: '0', MULTINODE_REPORT_DIR: reportDir, BENCH_CACHE_DIR: path.join(tmpDir, 'jest-cache'), BENCH_CPU_FILE: cpuFile, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      let json = null;
      let usage = { cpuMs: NaN, maxRssKb: NaN };
      let phases = null;
      let traceJson = null;
      try {
        json = JSON.parse(fs.readFileSync(outputFile, 'utf8'));
        usage = JSON.parse(fs.readFileSync(cpuFile, 'utf8'));
        if (trace) {
          // With several projects the trace is in a folder of its project.
          const traceFile = fs.readdirSync(reportDir, { recursive: true }).find((f) => String(f).endsWith('.mntrace'));
          traceJson = JSON.parse(fs.readFileSync(path.join(reportDir, String(traceFile)), 'utf8'));
          phases = phasesOf(traceJson);
        }
      } catch {
        // Reported below.
      } finally {
        fs.rmSync(outputFile, { force: true });
        fs.rmSync(cpuFile, { force: true });
        if (trace) fs.rmSync(reportDir, { recursive: true, force: true });
      }
      if (code !== 0 || json === null || !json.success || (trace && phases === null)) {
        reject(new Error(`Jest on ${label} failed (exit ${code}${signal ? `, ${signal}` : ''}):\n${output.slice(-4000)}`));
        return;
      }
      const file = json.testResults[0];
      resolve({
        wallMs,
        // Jest's start/end of the file: environment setup() and the tests; teardown not included.
        fileMs: file.endTime - file.startTime,
        // CPU time of the Jest process, all threads.
        cpuMs: usage.cpuMs,
        maxRssKb: usage.maxRssKb,
        phases,
        // With `trace`: the file's trace itself.
        trace: traceJson,
        tests: json.numTotalTests,
        // Each test's duration as Jest measured it, in order: Jest's own clock, real also in simulation mode.
        testMs: file.assertionResults.map((test) => test.duration),
        files: json.testResults.map((r) => ({ startMs: r.startTime, endMs: r.endTime })).sort((x, y) => x.startMs - y.startMs),
      });
    });
  });
}

/**
 * The harness's phases from a file's trace, in ms from the lead session's start (in the
 * environment's setup()): when the last role's node had started, when every role was running the
 * first test, and how long teardown took after the last test ended; and, per test in order, how
 * many link messages were sent while it ran (records past the trace's cap are not counted).
 */
function phasesOf(trace) {
  const at = (e) => e.time - trace.startedAt;
  const firstStart = new Map();
  let lastEnd = 0;
  let lastNode = 0;
  for (const e of trace.events) {
    if (e.type === 'node' && e.event === 'started') lastNode = Math.max(lastNode, at(e));
    if (e.type === 'test-start' && !firstStart.has(e.role)) firstStart.set(e.role, at(e));
    if (e.type === 'test-end') lastEnd = Math.max(lastEnd, at(e));
  }
  return {
    nodesStartedMs: lastNode,
    allInFirstTestMs: Math.max(...firstStart.values()),
    testsMs: lastEnd - Math.max(...firstStart.values()),
    teardownMs: trace.finishedAt - trace.startedAt - lastEnd,
    testMessages: trace.tests.map((test) => trace.events.filter((e) => e.type === 'message' && e.time >= test.startedAt && e.time <= test.finishedAt).length),
  };
}

module.exports = { runJest, phasesOf, FIXTURES, ROOT };
