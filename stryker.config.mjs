// Mutation testing — `npm run mutation`, run on demand (not part of `npm test` or CI).
// Mutates the case kernel, the period engine and the procedure definitions, and judges each mutant by the unit
// tests only (jest.unit.config.js: pure functions, no PostgreSQL, no Temporal). Fails below 85 % (thresholds.break).
// Incremental: the result of the last run is kept in reports/stryker-incremental-<area>.json (gitignored, a local cache:
// a rerun only tests the mutants whose code or covering tests changed).
// MUTATION_AREA=kernel|periods|procedures runs one area with its own report and incremental cache (the summary reads
// every area's report), so an area's survivors can be read while the next area runs.
const AREAS = {
  kernel: ['src/domain/kernel/**/*.ts'],
  periods: ['src/domain/periods.ts'],
  procedures: ['procedures/**/*.ts'],
};
const area = process.env.MUTATION_AREA;
if (area && !AREAS[area]) throw new Error(`MUTATION_AREA must be one of ${Object.keys(AREAS).join(', ')}`);
const name = area ?? 'all';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.mutation.config.js', enableFindRelatedTests: false },
  mutate: area ? AREAS[area] : Object.values(AREAS).flat(),
  // The sandbox copy skips the big local folders (Temporal binaries, data, builds, reports).
  ignorePatterns: ['.tools', '.data', 'dist', 'coverage', 'reports'],
  coverageAnalysis: 'perTest',
  // Static mutants — code run at module load, such as the object literals of the procedure definitions — would each
  // need the whole unit suite (measured: 56 % of the mutants of periods.ts before citations.spec gathered its texts in
  // its tests, 94 % of the time). They are reported as Ignored and not counted in the score.
  ignoreStatic: true,
  concurrency: 2,
  // Generous: a mutant counted as a timeout counts as detected, so a run slowed by a busy machine must not pass for one.
  timeoutMS: 15000,
  timeoutFactor: 2,
  incremental: true,
  incrementalFile: `reports/stryker-incremental-${name}.json`,
  thresholds: { high: 90, low: 85, break: 85 },
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
