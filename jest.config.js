// unit: pure logic, no processes. harness: the local lifecycle driven with small shell
// buildpacks. integration: real apps built with a real CPython and real wheels served
// from test fixtures on 127.0.0.1.
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // isolatedModules (tsconfig.json) makes ts-jest transpile each file alone: fast, no type check
  // (npm test type-checks once with tsc).
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testEnvironment: 'node',
};

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/layers/**/*.test.ts', '<rootDir>/test/unit/**/*.test.ts'],
    },
    { ...common, displayName: 'harness', testMatch: ['<rootDir>/test/harness/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};
