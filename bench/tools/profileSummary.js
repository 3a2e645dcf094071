#!/usr/bin/env node
'use strict';
// Summarises V8 .cpuprofile files (from node --cpu-prof): self time by package/file and the top
// functions, one block per profile (one per thread).
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof node_modules/jest/bin/jest.js ...
//   node bench/tools/profileSummary.js /tmp/prof/*.cpuprofile [--top=15]
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const top = Number((args.find((a) => a.startsWith('--top=')) ?? '--top=15').slice(6));
const files = args.filter((a) => !a.startsWith('--'));

/** Groups a script URL by npm package (or by file for project code). */
function bucket(url) {
  if (!url) return '(native/gc/idle)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node internals';
  return path.relative(process.cwd(), url.replace(/^file:\/\//, ''));
}

for (const file of files) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
  const totalUs = profile.endTime - profile.startTime;
  const byBucket = new Map();
  const byFn = new Map();
  let idleUs = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const b = functionName === '(garbage collector)' ? '(garbage collector)' : functionName === '(program)' ? '(program)' : bucket(url);
    byBucket.set(b, (byBucket.get(b) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${url ? `${bucket(url)}:${lineNumber + 1}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  const busy = totalUs - idleUs;
  console.log(`\n${path.basename(file)}: ${(totalUs / 1000).toFixed(0)} ms profiled, ${(busy / 1000).toFixed(0)} ms busy`);
  const print = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([k, us]) => console.log(`  ${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${k}`));
  console.log(' self time by package/file:');
  print(byBucket);
  console.log(' top functions (self):');
  print(byFn);
}
