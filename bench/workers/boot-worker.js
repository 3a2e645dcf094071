'use strict';
// A thread that loads `workerData.modules` and says 'ready': how much of a role thread's start-up
// is only loading code.
const { parentPort, workerData } = require('node:worker_threads');

const started = performance.now();
for (const id of workerData.modules) require(id);
parentPort.postMessage({ type: 'ready', loadMs: performance.now() - started });
