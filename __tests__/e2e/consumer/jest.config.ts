import type { Config } from 'jest';
export default {
  transform: { '^.+\\.tsx?$': 'ts-jest' },
  testEnvironment: 'jest-environment-multinode',
  reporters: ['default', 'jest-environment-multinode/reporter'],
  testEnvironmentOptions: {
    multinode: { roles: ['a', 'b', 'c'] },
  },
} satisfies Config;
