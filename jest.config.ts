/**
 * Unit and runtime tests of the project itself; e2e and multi-node suites are separate projects.
 * Jest loads this file with ts-node, as it loads a user's jest.config.ts (see the README).
 */
import type { Config } from 'jest';

const tsJest: [string, Record<string, unknown>] = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }];

export default {
  projects: [
    {
      // Our own multi-node suites, through the built environment, on the embedded cluster.
      displayName: 'multinode',
      testEnvironment: '<rootDir>/dist/environment/index.js',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/__tests__/multinode/**/*.test.ts'],
    },
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/e2e/', '<rootDir>/__tests__/multinode/'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/__tests__/e2e/**/*.e2e.test.ts'],
    },
  ],
} satisfies Config;
