/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS module Jest loads by path */
// The mutation run's test environment (jest.mutation.config.js), for tests/unit/all-unit-specs.mutation.ts:
// - once a test has failed the mutant is detected, so the rest of the run is skipped (Jest's own `bail` counts failed
//   files, and the mutation run is one file);
// - a run of every test (Stryker's first, coverage-measuring run) records which spec file registers which test, and a
//   run asked for some tests only (each mutant's run: a test-name pattern) tells the aggregate file which spec files
//   hold them, so that it loads only those: loading every spec and the modules they import was most of each mutant's
//   cost.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { TestEnvironment } = require('jest-environment-node');

const ROOT = 'ROOT_DESCRIBE_BLOCK';

class MutationRunEnvironment extends TestEnvironment {
  failed = false;
  specOfTest = {};

  constructor(config, context) {
    super(config, context);
    const rootDir = config.projectConfig.rootDir;
    this.mapFile = path.join(os.tmpdir(), `mutation-spec-map-${crypto.createHash('sha256').update(rootDir).digest('hex').slice(0, 16)}.json`);
    this.pattern = config.globalConfig.testNamePattern || null;
    this.global.__mutationRun = { mapFile: this.mapFile, pattern: this.pattern };
  }

  async handleTestEvent(event, state) {
    if (event.name === 'add_test' && !this.pattern) {
      const names = [event.testName];
      for (let block = state.currentDescribeBlock; block && block.name !== ROOT; block = block.parent) names.unshift(block.name);
      const spec = this.global.__currentSpec;
      if (spec) (this.specOfTest[spec] ??= []).push(names.join(' '));
    }
    if (event.name === 'run_finish' && !this.pattern && Object.keys(this.specOfTest).length) {
      fs.writeFileSync(this.mapFile, JSON.stringify(this.specOfTest));
    }
    if (event.name === 'test_done' && event.test.errors.length > 0) this.failed = true;
    if (event.name === 'test_start' && this.failed) event.test.mode = 'skip';
    await super.handleTestEvent?.(event, state);
  }
}

module.exports = MutationRunEnvironment;
