'use strict';
// Preloaded into the Jest child process (node --require): at exit, writes the CPU time of the whole
// process (every thread: user + system) to $BENCH_CPU_FILE. CPU time is far less sensitive than wall
// time to other load on the machine.
const { isMainThread } = require('node:worker_threads');

const file = process.env.BENCH_CPU_FILE;
if (isMainThread && file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    const { maxRSS } = process.resourceUsage();
    require('node:fs').writeFileSync(file, JSON.stringify({ cpuMs: (user + system) / 1000, maxRssKb: maxRSS }));
  });
}
