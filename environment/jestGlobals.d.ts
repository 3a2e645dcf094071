/**
 * Jest's own globals, typed as @jest/globals types them, so that `types: ["jest-environment-multinode"]`
 * alone types a test file. Where @types/jest is also present, its declarations of the same names
 * come first; `describe.multinode` is added to both (see globalTypes). Shipped as is: tsc does not
 * emit hand-written declaration files, so the build copies this one next to its output.
 */
type MultinodeJestGlobals = typeof import('@jest/globals');

/* eslint-disable no-var */
declare var describe: MultinodeJestGlobals['describe'];
declare var fdescribe: MultinodeJestGlobals['fdescribe'];
declare var xdescribe: MultinodeJestGlobals['xdescribe'];
declare var it: MultinodeJestGlobals['it'];
declare var fit: MultinodeJestGlobals['fit'];
declare var xit: MultinodeJestGlobals['xit'];
declare var test: MultinodeJestGlobals['test'];
declare var xtest: MultinodeJestGlobals['xtest'];
declare var expect: MultinodeJestGlobals['expect'];
declare var beforeAll: MultinodeJestGlobals['beforeAll'];
declare var beforeEach: MultinodeJestGlobals['beforeEach'];
declare var afterAll: MultinodeJestGlobals['afterAll'];
declare var afterEach: MultinodeJestGlobals['afterEach'];
declare var jest: MultinodeJestGlobals['jest'];
