/**
 * Tests by kind: unit (plain functions), integration (real PostgreSQL, in-process), e2e (real processes over
 * HTTP: subgraphs, gateway, PostgreSQL). `npm test` builds first: e2e tests start the compiled services.
 * @type {import('jest').Config}
 */
module.exports = {
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  testEnvironment: 'node',
  maxWorkers: 2,
  testTimeout: 60_000,
  // End-to-end tests start processes; a hung one must not hang CI.
  forceExit: false,
};
