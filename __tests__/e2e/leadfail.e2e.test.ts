import { fileResult, runJestWithReporter } from './helpers/runJest';

it("releases the other roles at once when the lead's copy of the file fails to load while they run it", async () => {
  const run = await runJestWithReporter('leadfail');
  expect(fileResult(run, 'typeerror.test.ts').message).toMatch(/TS2322/);
  expect(run.exitCode).toBe(1);
  // Role b is told the lead finished before every node started, and ends its file; it is not left
  // waiting until the finish deadline and then terminated.
  expect(run.stderr).toMatch(/b +\+ *[\d.]+ ms +The lead role 'a' finished the test file before every node was started/);
  expect(run.stderr).not.toMatch(/was terminated|did not finish its test file/);
}, 200_000);
