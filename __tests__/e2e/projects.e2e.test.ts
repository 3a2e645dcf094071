import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES, PROJECT_ROOT, runJest, statuses, type JestJson, type JestRun } from './helpers/runJest';

/**
 * Two projects with the same relative test path: their traces stay apart, and the rerun line the
 * reporter prints for a failed test runs exactly that test in exactly its project.
 */
const project = path.join(FIXTURES, 'projects');
const reportDir = path.join(project, 'multinode-report');
let run: JestRun;

beforeAll(async () => {
  fs.rmSync(reportDir, { recursive: true, force: true });
  run = await runJest('projects', ['--reporters', 'default', '--reporters', path.join(PROJECT_ROOT, 'dist', 'reporter', 'index.js')]);
}, 200_000);

afterAll(() => fs.rmSync(reportDir, { recursive: true, force: true }));

/** The rerun lines the reporter printed. */
const rerunLines = (): string[] => [...run.stderr.matchAll(/rerun: (.*)$/gm)].map((m) => m[1]!);

/** Runs `command` in a shell where Jest ran, as a user would paste it, and returns Jest's JSON result. */
function runInShell(command: string): Promise<JestJson> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-rerun-'));
  const outputFile = path.join(dir, 'result.json');
  return new Promise<JestJson>((resolve, reject) => {
    const child = spawn('sh', ['-c', `${command} --json --outputFile ${outputFile}`], {
      cwd: project,
      env: { ...process.env, FORCE_COLOR: '0', MULTINODE_REPORT_DIR: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The rerun command did not exit within 150000 ms: ${command}\n${stderr.slice(-3000)}`));
    }, 150_000);
    child.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(fs.readFileSync(outputFile, 'utf8')) as JestJson);
      } catch {
        reject(new Error(`The rerun command wrote no JSON result: ${command}\n${stderr.slice(-3000)}`));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** `"<file relative to the fixture>: <full name>: <status>"` for every test that ran (not skipped). */
const ran = (json: JestJson): string[] =>
  json.testResults.flatMap((file) =>
    file.assertionResults.filter((a) => a.status !== 'pending').map((a) => `${path.relative(project, file.name)}: ${a.fullName}: ${a.status}`),
  );

it('runs the same relative test path in both projects', () => {
  expect(statuses(run).sort()).toEqual(['same fails on b: failed', 'same fails on b: failed', 'same passes: passed', 'same passes: passed']);
});

it("keeps each project's trace and HTML timelines in its own folder: the displayName, or the project's id without one", () => {
  const folders = fs.readdirSync(reportDir).sort();
  expect(folders).toEqual(['alpha', expect.stringMatching(/^project-[0-9a-f]{8}$/)]);
  for (const folder of folders) {
    expect(fs.readdirSync(path.join(reportDir, folder)).sort()).toEqual(['same.test.ts', 'same.test.ts.mntrace']);
    expect(fs.readdirSync(path.join(reportDir, folder, 'same.test.ts'))).toEqual(['same fails on b.html']);
    const trace = JSON.parse(fs.readFileSync(path.join(reportDir, folder, 'same.test.ts.mntrace'), 'utf8'));
    const dir = folder === 'alpha' ? 'alpha' : 'beta';
    // Relative to the project's rootDir, with no absolute path of this machine anywhere in the trace.
    expect(trace.testPath).toBe('same.test.ts');
    expect(JSON.stringify(trace)).not.toContain(path.join(project, dir) + path.sep);
    const logs = trace.events.filter((e: { type: string }) => e.type === 'log').map((e: { message: string }) => e.message);
    expect(logs).toContain(`in project ${dir}`);
  }
});

it.each([
  ['alpha', /--selectProjects alpha '\.\/same\.test\.ts\$'/],
  ['beta', / '\/beta\/same\.test\.ts\$'/],
])('prints a rerun line that runs exactly the failed test of project %s', async (dir, selection) => {
  const line = rerunLines().find((l) => selection.test(l));
  if (line === undefined) throw new Error(`No rerun line selects project ${dir}; the lines are:\n${rerunLines().join('\n')}`);
  expect(line).toContain(`--config ${path.join(project, 'jest.config.js')}`);
  const rerun = await runInShell(line);
  expect(rerun.testResults.map((file) => path.relative(project, file.name))).toEqual([`${dir}/same.test.ts`]);
  expect(ran(rerun)).toEqual([`${dir}/same.test.ts: same fails on b: failed`]);
}, 200_000);
