// Before tsc: remove dist/, so that a file an earlier build emitted (a source map, a declaration of
// a module since removed) is never packed with the new build.
const fs = require('node:fs');
const path = require('node:path');

fs.rmSync(path.resolve(__dirname, '..', 'dist'), { recursive: true, force: true });
