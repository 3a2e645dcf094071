import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findBinDir } from '../../examples/pods/postgres';
import { ensureAptPackage } from './helpers/aptPackage';
import { processesUnder } from './helpers/leftovers';
import { JEST_BIN, PROJECT_ROOT, type JestJson } from './helpers/runJest';

/**
 * examples/pods, as `npm run demo` runs it: real Jest in processes mode on the example's own config.
 * Its globalSetup starts a PostgreSQL for the run; each role's node is a server.js process, after
 * migrate.js ran once (`node.setup`); the seed's checks (each pod healthy on its own, a login made on
 * pod-1 recognised on pod-2 and pod-3, pod-2 killed with SIGKILL, restarted and serving again) pass,
 * and no process started from the example (pods, reaper, database) is left.
 */
const hasPostgres = (): boolean => {
  try {
    findBinDir(process.env.PATH ?? '', fs.existsSync, () => (fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql') : []));
    return true;
  } catch {
    return false;
  }
};
const missingPostgres = ensureAptPackage('postgresql', hasPostgres);
if (missingPostgres !== null) console.warn(`Skipping the pods example's test: ${missingPostgres}.`);
const itWithPostgres = missingPostgres === null ? it : it.skip;
const EXAMPLE = path.join(PROJECT_ROOT, 'examples', 'pods');

itWithPostgres('runs the pods example in processes mode: three service processes on one PostgreSQL, with the seed checks', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-pods-'));
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [JEST_BIN, '--config', path.join(EXAMPLE, 'jest.config.ts'), '--ci', '--json', '--outputFile', path.join(out, 'result.json')], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, FORCE_COLOR: '0', MULTINODE_REPORT_DIR: '', MULTINODE_PROGRESS_FILE: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`Jest on examples/pods did not exit within 180 s. stderr:\n${stderr}`));
      }, 180_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    const json = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8')) as JestJson;
    const results = json.testResults.flatMap((file) => file.assertionResults);
    // On a failure, its first message is in the diff.
    expect(results.map((a) => `${a.fullName}: ${a.status}${a.status === 'failed' ? ` (${a.failureMessages[0]?.slice(0, 1500)})` : ''}`)).toEqual([
      'three pods on one PostgreSQL each pod answers /health/live and /health/ready on its own: passed',
      'three pods on one PostgreSQL recognises on pod-2 and pod-3 a login created on pod-1: passed',
      'three pods on one PostgreSQL serves again after pod-2 is killed and restarted: passed',
    ]);
    expect(exitCode).toBe(0);
    expect(processesUnder(EXAMPLE)).toEqual([]);
    expect(processesUnder(PROJECT_ROOT).filter((p) => /server\.js|migrate\.js|postgres/.test(p))).toEqual([]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}, 200_000);
