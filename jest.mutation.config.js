/**
 * The unit suite as one test file (tests/unit/all-unit-specs.mutation.ts), for the mutation-testing script only:
 * Stryker runs the covering tests of each mutant, and loading the module graph once per run instead of once per
 * spec file makes a mutant about ten times cheaper. After the first failing test the rest are skipped (the mutant is
 * detected already).
 * @type {import('jest').Config}
 */
const unit = require('./jest.unit.config.js');
module.exports = {
  ...unit,
  testEnvironment: require('node:path').join(__dirname, 'tests/support/bail-environment.js'),
  testMatch: ['**/tests/unit/all-unit-specs.mutation.ts'],
};
