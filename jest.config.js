import { availableParallelism } from 'node:os';

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
  // The suites mostly wait on processes they start (pip, servers, wrk), so jest's default of one
  // worker per CPU but one left most of a 2-CPU machine idle: both CPUs took CI's jest from 1520 s
  // to 960 s. Beyond 2 CPUs, jest's own default.
  maxWorkers: Math.max(2, availableParallelism() - 1),
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
