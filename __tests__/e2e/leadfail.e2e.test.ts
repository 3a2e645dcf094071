import { fileResult, runJest } from './helpers/runJest';

it("finishes promptly when the lead's copy of the file fails to load while other roles run it", async () => {
  const run = await runJest('leadfail');
  expect(fileResult(run, 'typeerror.test.ts').message).toMatch(/TS2322/);
  expect(run.exitCode).toBe(1);
  // Without releasing the waiting roles the file would take the 30 s finish deadline per role.
  expect(run.durationMs).toBeLessThan(25_000);
}, 120_000);
