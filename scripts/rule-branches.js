#!/usr/bin/env node
// `npm run rule-branches`: rule coverage counted per branch, not by rule id. Runs the pure unit tests with branch
// coverage over the procedures that file new cases (the newest version of each) and the case kernel, prints each
// file's branch figure, and fails when one is below RULE_BRANCHES_MIN (default 75 %). Every `refuse` branch of a
// definition is a branch here: a rule only named in a test, never reached, counts as uncovered.
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const min = Number(process.env.RULE_BRANCHES_MIN ?? 75);
const out = mkdtempSync(path.join(os.tmpdir(), 'ldl-rule-branches-'));
try {
  const newest = newestDefinitionFiles();
  const kernel = ['case-kernel', 'built-in-actions', 'access', 'rules', 'parse', 'case-ops', 'deadlines', 'escalation'].map((f) => `src/domain/kernel/${f}.ts`);
  const files = [...newest, ...kernel];
  run(
    'npx',
    ['jest', 'tests/unit', '--coverage', '--coverageReporters=json-summary', `--coverageDirectory=${out}`, ...files.map((f) => `--collectCoverageFrom=${f}`)],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } },
  );
  const summary = JSON.parse(readFileSync(path.join(out, 'coverage-summary.json'), 'utf8'));
  const rows = Object.entries(summary)
    .filter(([file, s]) => file !== 'total' && s.branches.total > 0)
    .map(([file, s]) => ({ file: path.relative(root, file), pct: s.branches.pct, covered: s.branches.covered, total: s.branches.total }))
    .sort((a, b) => a.pct - b.pct);
  for (const r of rows) console.log(`${r.pct.toFixed(1).padStart(6)} %  ${String(r.covered).padStart(4)}/${String(r.total).padEnd(4)} ${r.file}`);
  const low = rows.filter((r) => r.pct < min);
  console.log(`rule branches: ${summary.total.branches.pct} % overall; ${low.length} of ${rows.length} files below ${min} %`);
  process.exit(low.length ? 1 : 0);
} finally {
  rmSync(out, { recursive: true, force: true });
}

/** Runs the unit tests; their output is shown only when they fail. */
function run(command, args, options) {
  try {
    execFileSync(command, args, options);
  } catch (error) {
    process.stderr.write(`${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw error;
  }
}

/** The file of the newest version of each procedure: the one new cases are filed under. */
function newestDefinitionFiles() {
  const dir = path.join(root, 'procedures');
  return require('node:fs')
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'sources')
    .map((d) => {
      const versions = require('node:fs').readdirSync(path.join(dir, d.name)).filter((f) => /^v\d+\.ts$/.test(f)).sort((a, b) => Number(b.slice(1, -3)) - Number(a.slice(1, -3)));
      return `procedures/${d.name}/${versions[0]}`;
    });
}
