#!/usr/bin/env node
// The `jest-multinode` command. Everything but the process wiring is in main.ts, so it can be tested.
import * as os from 'node:os';
import { systemClock } from '../util';
import { main } from './main';

const controller = new AbortController();
let stoppedBy: NodeJS.Signals | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // Stop every child Jest and wait for them to exit; a second signal while they exit is ignored,
  // since exiting before them would leave them running.
  process.on(signal, () => {
    if (stoppedBy !== null) return;
    stoppedBy = signal;
    process.stderr.write(`jest-multinode: ${signal} received; stopping every Jest run.\n`);
    controller.abort();
  });
}

main(process.argv.slice(2), {
  cwd: process.cwd(),
  clock: systemClock,
  signal: controller.signal,
  cpuCount: os.availableParallelism(),
  print: (line) => process.stdout.write(`${line}\n`),
  printError: (line) => process.stderr.write(`${line}\n`),
}).then(
  (exitCode) => {
    process.exitCode = stoppedBy === null ? exitCode : 128 + os.constants.signals[stoppedBy];
  },
  (error: unknown) => {
    process.stderr.write(`jest-multinode: explore could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
