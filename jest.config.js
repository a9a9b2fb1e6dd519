/**
 * Tests by kind: unit (plain functions), integration (real PostgreSQL, in-process), e2e (real processes over
 * HTTP: subgraphs, gateway, PostgreSQL). Jest runs the tests as `tsc` compiled them (`npm test` builds first):
 * type-graphql and TypeORM need tsc's decorator metadata, and the e2e tests start the same compiled services.
 * Stack traces point at the TypeScript sources through the emitted source maps.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '.',
  roots: ['<rootDir>/dist/tests'],
  testMatch: ['**/*.test.js'],
  transform: {},
  testEnvironment: 'node',
  maxWorkers: 2,
  testTimeout: 60_000,
};
