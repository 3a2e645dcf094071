import { fileResult, runJestWithReporter, testResult, type JestRun } from './helpers/runJest';

/**
 * Real Jest on the `loadfail` fixture project, in simulation mode and in threads mode: a role whose
 * copy of the file cannot load, a lead whose copy cannot load, and nodes that never start. Each
 * simulated run must end within its deadline (runJest kills a Jest that hangs and fails the test)
 * and say what threads mode says.
 */
const ROLE_TEST = 'a role whose copy of the file cannot load would run on every role';
const simulation = { MULTINODE_MODE: 'simulation', MULTINODE_SEED: '301' };
const threads = { MULTINODE_MODE: 'threads', MULTINODE_SEED: '301' };

/** The reporter's section for `file`: from its `multinode <file>` heading to the next heading or Jest's summary. */
function reportOf(run: JestRun, file: string): string {
  const start = run.stderr.indexOf(`multinode ${file} (`);
  if (start < 0) throw new Error(`The reporter wrote no section for ${file}. stderr:\n${run.stderr.slice(-3000)}`);
  const rest = run.stderr.slice(start + 1);
  const end = rest.search(/^(multinode |FAIL |PASS |Test Suites:)/m);
  return end < 0 ? rest : rest.slice(0, end);
}

let simulated: JestRun;
let simulatedNever: JestRun;
let threaded: JestRun;

beforeAll(async () => {
  [simulated, simulatedNever, threaded] = await Promise.all([
    // An option before the files ends the list of reporters.
    runJestWithReporter('loadfail', ['-w', '2', 'rolerequire.test.ts', 'leadload.test.ts'], { env: simulation, timeoutMs: 90_000 }),
    // In band, as Jest runs a single file: a handle left open keeps Jest itself from exiting.
    runJestWithReporter('loadfail', ['-i', 'nevernode.test.ts'], { env: simulation, timeoutMs: 60_000 }),
    runJestWithReporter('loadfail', [], { env: threads, timeoutMs: 150_000 }),
  ]);
}, 200_000);

it("fails the test with a role's load error, naming the role, in simulation as in threads mode", () => {
  const result = testResult(simulated, ROLE_TEST);
  expect(result.status).toBe('failed');
  expect(result.failureMessages[0]).toMatch(
    /\[b\] The test file failed on role 'b' outside any test, so "a role whose copy of the file cannot load would run on every role" did not run there: Cannot find module '\.\/does-not-exist' from 'rolerequire\.test\.ts'/,
  );
  const firstLine = (run: JestRun): string => testResult(run, ROLE_TEST).failureMessages[0]!.split('\n')[0]!;
  expect(firstLine(simulated)).toBe(firstLine(threaded));
  // The reporter lists the error among role b's errors outside tests, in both modes.
  for (const run of [simulated, threaded]) {
    expect(reportOf(run, 'rolerequire.test.ts')).toMatch(/ b +\+ *[\d.]+ ms +Cannot find module '\.\/does-not-exist' from 'rolerequire\.test\.ts'/);
  }
});

it("ends the file at once when the lead's copy cannot load: the other roles are told, in simulation as in threads mode", () => {
  for (const run of [simulated, threaded]) {
    expect(fileResult(run, 'leadload.test.ts').status).toBe('failed');
    expect(fileResult(run, 'leadload.test.ts').message).toMatch(/Cannot find module '\.\/does-not-exist' from 'leadload\.test\.ts'/);
    const report = reportOf(run, 'leadload.test.ts');
    expect(report).toMatch(/ b +\+ *[\d.]+ ms +The lead role 'a' finished the test file before every node was started/);
    // Not left waiting for a deadline: no role was terminated, and virtual time never stood still.
    expect(report).not.toMatch(/was terminated|did not finish its test file|simulation stalled/);
    expect(run.exitCode).toBe(1);
  }
});

it('fails set-up and lets Jest exit when no node factory ever resolves, in simulation as in threads mode', () => {
  for (const run of [simulatedNever, threaded]) {
    const file = fileResult(run, 'nevernode.test.ts');
    expect(file.status).toBe('failed');
    expect(file.message).toMatch(/Set-up failed on role 'a'; each role's own error:\n\s*\[a\] The node of role 'a' \(incarnation 0\) failed to start: The node factory for role 'a' \(incarnation 0\) did not finish within 1000 ms/);
    expect(reportOf(run, 'nevernode.test.ts')).toMatch(/ c +\+ *[\d.]+ ms +Role 'c' was terminated: its node was not started within 1000 ms/);
    expect(run.exitCode).toBe(1);
  }
  expect(simulatedNever.stderr).not.toMatch(/Jest did not exit/);
});
