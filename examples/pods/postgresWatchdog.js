'use strict';
// Runs the PostgreSQL server of postgres.ts as its child and ends it when the process that started
// this one goes away without stopping it (killed: its end of this process's stdin closes), then
// removes the server's directory: a killed test run leaves no server and no files behind.
//
//   node postgresWatchdog.js <dir> <uid or ''> <gid or ''> <postgres> <argument>...
//
// SIGINT is passed on (a fast shutdown); this process exits with the server's exit code.
const { spawn } = require('node:child_process');
const fs = require('node:fs');

const ORPHAN_KILL_AFTER_MS = 5000;
const [dir, uid, gid, postgres, ...args] = process.argv.slice(2);
const user = uid === '' ? {} : { uid: Number(uid), gid: Number(gid) };
const server = spawn(postgres, args, { stdio: ['ignore', 'inherit', 'inherit'], ...user });
let orphaned = false;

server.on('error', (error) => {
  console.error(`could not start ${postgres}: ${error.message}`);
  process.exit(1);
});
server.on('exit', (code, signal) => {
  if (orphaned) fs.rmSync(dir, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
process.on('SIGINT', () => server.kill('SIGINT'));
process.stdin.on('close', () => {
  orphaned = true;
  server.kill('SIGQUIT'); // immediate shutdown: every backend quits at once, even one busy on a query
  setTimeout(() => server.kill('SIGKILL'), ORPHAN_KILL_AFTER_MS).unref();
});
process.stdin.resume();
