/**
 * The demo: `npm run demo` builds the package and runs this config.
 *
 * It is configured the way a project that installed jest-environment-multinode would be, except
 * that the environment and reporter are taken from this repository's build (`../dist`) instead of
 * `node_modules`. In your own project you would write `testEnvironment: 'jest-environment-multinode'`
 * and `reporters: ['default', 'jest-environment-multinode/reporter']`.
 */
import type { Config } from 'jest';
import * as path from 'node:path';

export default {
  rootDir: __dirname,
  // The top-level examples only: pods/ has a config of its own (processes mode, PostgreSQL).
  testMatch: ['<rootDir>/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.json') }],
  },
  testEnvironment: path.resolve(__dirname, '../dist/environment/index.js'),
  // Every file runs with these three roles unless its docblock says otherwise.
  testEnvironmentOptions: {
    multinode: { roles: ['a', 'b', 'c'] },
  },
  reporters: ['default', [path.resolve(__dirname, '../dist/reporter/index.js'), { logs: 'failed' }]],
} satisfies Config;
