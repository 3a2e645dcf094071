import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES, JEST_BIN, PROJECT_ROOT } from './helpers/runJest';
import { ensureTmux, TmuxSession } from './helpers/tmux';

/**
 * Jest's watch mode on a project that uses the environment and the reporter, in a real terminal
 * (tmux) inside a temporary git repository: the traces written under rootDir must not start runs.
 */
const RUN_DONE = /Ran all test suites/g;
/** Jest prints its watch usage (or the prompt to show it) when a run is over and it takes keys again. */
const IDLE = /Watch Usage/g;
/** How long the terminal is watched for a run nobody asked for. A trace rewrite started one within a second. */
const QUIET_MS = 6_000;
const RUN_TIMEOUT_MS = 120_000;

const missingTmux = ensureTmux();
if (missingTmux !== null) console.warn(`Skipping the watch-mode tests: ${missingTmux}.`);

/** A git repository holding the watch fixture, its tests not committed (so `--watch` runs them). */
function makeRepository(dir: string): string {
  const repo = path.join(dir, 'repo');
  fs.cpSync(path.join(FIXTURES, 'watch'), repo, { recursive: true });
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  git('init', '-q');
  git('add', 'jest.config.js', 'node.js');
  git('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', 'commit', '-q', '-m', 'fixture');
  return repo;
}

const runs = (session: TmuxSession): number => session.output().match(RUN_DONE)?.length ?? 0;
const idles = (session: TmuxSession): number => session.output().match(IDLE)?.length ?? 0;

/** Watches the pane for `QUIET_MS` and fails if a run starts or ends in that time. */
async function expectNoRunFor(session: TmuxSession, count: number): Promise<void> {
  const before = session.output().length;
  const started = Date.now();
  while (Date.now() - started < QUIET_MS) {
    const since = session.output().slice(before);
    if (runs(session) !== count || /RUNS |Determining test suites/.test(since)) {
      throw new Error(`Jest started a run nobody asked for. The pane printed since:\n${since.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

(missingTmux === null ? describe : describe.skip).each(['--watch -i', '--watch -w 2', '--watchAll -i', '--watchAll -w 2'])('jest %s', (flags) => {
  let dir: string;
  let session: TmuxSession | null = null;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-watch-'));
  });

  afterEach(() => {
    session?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs once, stays quiet while its traces are written, reruns once on a change and quits on q', async () => {
    const repo = makeRepository(dir);
    const command = [process.execPath, JEST_BIN, ...flags.split(' ')];
    session = TmuxSession.start(dir, repo, command, { MULTINODE_DIST: path.join(PROJECT_ROOT, 'dist'), FORCE_COLOR: '0' }, ['CI', 'JEST_WORKER_ID', 'MULTINODE_REPORT_DIR']);

    await session.waitFor('the first run', RUN_TIMEOUT_MS, () => runs(session!) >= 1 && idles(session!) >= 1);
    expect(session.output()).toMatch(/Tests: +2 passed, 2 total/);
    expect(fs.readdirSync(path.join(repo, 'multinode-report')).sort()).toEqual(['other.test.js.mntrace', 'watched.test.js.mntrace']);
    await expectNoRunFor(session, 1);

    // A real change still starts exactly one run.
    fs.appendFileSync(path.join(repo, 'watched.test.js'), '// changed\n');
    await session.waitFor('the run after a change', RUN_TIMEOUT_MS, () => runs(session!) >= 2 && idles(session!) >= 2);
    await expectNoRunFor(session, 2);

    session.sendKeys('q');
    await session.waitFor('Jest to quit on q', 30_000, () => session!.exitStatus() !== null);
    expect(session.exitStatus()).toBe(0);
  }, 300_000);
});
