'use strict';
// Runs real Jest in a child process on a fixture project and times it.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const JEST_BIN = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const FIXTURES = path.join(ROOT, 'bench', 'fixtures');

/**
 * Runs `node jest.js --config <project>/jest.config.js --runTestsByPath <file>` in band with --json,
 * and resolves with the wall time of the whole process and the file's own times from Jest's
 * perfStats. Rejects when Jest fails or passes `timeoutMs`.
 *
 * @param {{ project: string, file: string, tmpDir: string, env?: Record<string, string>, timeoutMs?: number, nodeArgs?: string[] }} options
 */
function runJest({ project, file, tmpDir, env = {}, timeoutMs = 120_000, nodeArgs = [] }) {
  const config = path.join(FIXTURES, project, 'jest.config.js');
  const testPath = path.join(FIXTURES, project, file);
  const outputFile = path.join(tmpDir, `jest-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const args = [...nodeArgs, JEST_BIN, '--config', config, '--runInBand', '--ci', '--silent', '--json', '--outputFile', outputFile, '--runTestsByPath', testPath];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: '0', MULTINODE_REPORT_DIR: '', BENCH_CACHE_DIR: path.join(tmpDir, 'jest-cache'), ...env },
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
      try {
        json = JSON.parse(fs.readFileSync(outputFile, 'utf8'));
        fs.rmSync(outputFile, { force: true });
      } catch {
        // Reported below.
      }
      if (code !== 0 || json === null || !json.success) {
        reject(new Error(`Jest on ${project}/${file} failed (exit ${code}${signal ? `, ${signal}` : ''}):\n${output.slice(-4000)}`));
        return;
      }
      const file = json.testResults[0];
      resolve({
        wallMs,
        // Jest's start/end of the file: environment setup() and the tests; teardown not included.
        fileMs: file.endTime - file.startTime,
        tests: json.numTotalTests,
      });
    });
  });
}

module.exports = { runJest, FIXTURES, ROOT };
