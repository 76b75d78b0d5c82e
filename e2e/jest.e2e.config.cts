/**
 * Browser tests (the built SPA in Debian's Chromium) and system tests (a reading over each
 * transport ends up stored) against the built API and transport, on a fresh database.
 * Named jest.e2e.config so the unit-test plugin does not pick it up as a `test` target.
 */
module.exports = {
  displayName: 'e2e',
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/browser/**/*.e2e-spec.ts', '<rootDir>/system/**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  globalSetup: '<rootDir>/support/global-setup.ts',
  globalTeardown: '<rootDir>/support/global-teardown.ts',
  testTimeout: 30000,
  // One Chromium (or simulator) at a time keeps the run predictable on small CI machines.
  maxWorkers: 1,
};
