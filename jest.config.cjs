// One jest run for both kinds of tests: LWC components (sfdx-lwc-jest) and the TypeScript
// plugin, local org and end-to-end tests (ts-jest, ESM).
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  testTimeout: 120000,
  projects: [
    {
      ...jestConfig,
      displayName: 'lwc',
      roots: ['<rootDir>/force-app'],
      setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv || []), '<rootDir>/test/lwc-setup.cjs']
    },
    {
      displayName: 'plugin',
      testEnvironment: 'node',
      setupFiles: ['<rootDir>/test/node22-realm.cjs'],
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      extensionsToTreatAsEsm: ['.ts'],
      moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
      transform: {
        '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }]
      }
    }
  ]
};
