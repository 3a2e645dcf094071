/** A plain JavaScript project on an older Jest 30 minor (see oneJest.e2e.test.ts). */
module.exports = {
  testEnvironment: 'jest-environment-multinode',
  testEnvironmentOptions: { multinode: { roles: ['a', 'b', 'c'] } },
};
