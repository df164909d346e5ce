// The mutation run's test environment: once a test has failed, the mutant is detected, so the rest of the run is
// skipped (Jest's own `bail` counts failed files, and the mutation run is one file: tests/unit/all-unit-specs.mutation.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Jest loads a test environment by path, as CommonJS
const { TestEnvironment } = require('jest-environment-node');

class BailOnFirstFailure extends TestEnvironment {
  failed = false;

  async handleTestEvent(event, state) {
    if (event.name === 'test_done' && event.test.errors.length > 0) this.failed = true;
    if (event.name === 'test_start' && this.failed) event.test.mode = 'skip';
    await super.handleTestEvent?.(event, state);
  }
}

module.exports = BailOnFirstFailure;
