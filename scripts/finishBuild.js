// After tsc: the build emits no source maps (see tsconfig.build.json), so remove any that an
// earlier build left in dist/; `npm pack` would otherwise ship maps pointing at sources it does not.
const fs = require('node:fs');
const path = require('node:path');

const dist = path.resolve(__dirname, '..', 'dist');
for (const file of fs.readdirSync(dist, { recursive: true })) {
  if (file.endsWith('.js.map')) fs.rmSync(path.join(dist, file));
}
