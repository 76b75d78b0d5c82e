// globalSetup/teardown are loaded with Node's resolver in this process: teach it the @gridwatch/* aliases.
require('../../tools/register-paths');

/** Integration tests: the transport against real PostgreSQL, Redis and Mosquitto, one fresh database per run. */
module.exports = {
  displayName: 'transport-integration',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
