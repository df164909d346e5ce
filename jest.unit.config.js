/**
 * Unit tests only (tests/unit): pure functions — no PostgreSQL, no Temporal — so none of the global
 * setup/teardown of jest.config.js runs. Used by the mutation-testing script (stryker.config.json).
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');
module.exports = {
  testEnvironment: base.testEnvironment,
  transform: base.transform,
  roots: ['<rootDir>/tests/unit'],
  testMatch: ['**/*.spec.ts'],
  setupFiles: base.setupFiles,
  testTimeout: 10000,
  maxWorkers: 1,
};
