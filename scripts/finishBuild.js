// After tsc: ship the hand-written declaration of Jest's globals next to the compiled typings and
// reference it from the global typings (tsc neither emits hand-written .d.ts files nor keeps a
// relative reference path pointing into the output folder).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist', 'environment');
fs.copyFileSync(path.join(root, 'environment', 'jestGlobals.d.ts'), path.join(out, 'jestGlobals.d.ts'));
const globalTypes = path.join(out, 'globalTypes.d.ts');
const reference = '/// <reference path="./jestGlobals.d.ts" />\n';
const text = fs.readFileSync(globalTypes, 'utf8');
if (!text.startsWith(reference)) fs.writeFileSync(globalTypes, reference + text);
