/**
 * The unit suite as one test file (tests/unit/all-unit-specs.mutation.ts), for the mutation-testing script only:
 * Stryker runs the covering tests of each mutant, and loading the module graph once per run instead of once per
 * spec file makes a mutant about ten times cheaper.
 * @type {import('jest').Config}
 */
const unit = require('./jest.unit.config.js');
module.exports = { ...unit, testMatch: ['**/tests/unit/all-unit-specs.mutation.ts'] };
