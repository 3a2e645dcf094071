import { fileResult, runJest, type JestRun } from './helpers/runJest';

/** Bad options and bad node modules fail the file at once with a message naming the value. */
let run: JestRun;

beforeAll(async () => {
  run = await runJest('badoptions');
}, 200_000);

it.each([
  ['duplicate-roles.test.ts', /multinode\.roles contains 'a' twice; role names must be unique/],
  ['empty-roles.test.ts', /multinode\.roles must be an array of 1 to 32 role names; it was \[\]/],
  ['bad-role-name.test.ts', /multinode\.roles contains "9b"; a role name must match/],
  ['unknown-option.test.ts', /unknown option 'rolez'; the options are roles, node/],
  ['processes-mode.test.ts', /mode 'processes' needs multinode\.node: a NodeFactory module or a process spec\. The embedded actor cluster runs in threads and simulation mode only/],
  ['spec-in-threads.test.ts', /multinode\.node is a process spec, which runs only in processes mode, but this file runs in threads mode; set mode: 'processes' in the file's docblock/],
  ['bad-timeout.test.ts', /multinode\.barrierTimeoutMs must be a positive number of milliseconds; it was -1/],
  ['missing-node.test.ts', /multinode\.node '\.\/nope\.ts' could not be resolved from rootDir/],
  ['bad-seed.test.ts', /multinode\.seed 1\.5 is not a valid seed/],
  ['not-a-factory.test.ts', /must default-export a NodeFactory function .*; its default export is \{"not":"a factory"\}/],
  ['throwing-factory.test.ts', /The node of role 'b' \(incarnation 0\) failed to start: factory refuses role b/],
])('%s fails the file with a clear error', (file, pattern) => {
  const result = fileResult(run, file);
  expect(result.status).toBe('failed');
  expect(result.message).toMatch(pattern);
});

it('exits on its own', () => {
  expect(run.exitCode).toBe(1);
});
