/**
 * The pods example, on its own config because it needs processes mode and a PostgreSQL server:
 * `npx jest --config examples/pods/jest.config.ts` after `npm ci && npm run build`, on a machine
 * with PostgreSQL installed (Debian: `apt-get install postgresql`; globalSetup.ts starts a server of
 * its own for the run and globalTeardown.ts removes it).
 *
 * Every role's node is a child process running server.js, which listens where MULTINODE_HOST and
 * MULTINODE_PORT say; migrate.js runs once before any pod starts, so the pods never race on the
 * schema. DATABASE_URL reaches setup and pods from Jest's environment, where globalSetup.ts put it
 * (`node.env` holds fixed values only, and the server's address is known only once it has started).
 */
import type { Config } from 'jest';
import * as path from 'node:path';

export default {
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, '..', 'tsconfig.json') }],
  },
  testEnvironment: path.resolve(__dirname, '../../dist/environment/index.js'),
  globalSetup: '<rootDir>/globalSetup.ts',
  globalTeardown: '<rootDir>/globalTeardown.ts',
  testEnvironmentOptions: {
    multinode: {
      mode: 'processes',
      roles: ['pod-1', 'pod-2', 'pod-3'],
      node: {
        command: ['node', 'server.js'], // run from rootDir, with the Node that runs Jest
        setup: ['node', 'migrate.js'],
        ready: { http: '/health/live' },
        stopSignal: 'SIGTERM',
        env: { PGAPPNAME: 'pods-example' },
      },
    },
  },
  reporters: ['default', [path.resolve(__dirname, '../../dist/reporter/index.js'), { logs: 'failed' }]],
} satisfies Config;
