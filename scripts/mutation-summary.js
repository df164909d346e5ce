// One line per area and overall from Stryker's JSON report (scripts/mutation.sh):
// score = detected (killed + timeout) / (detected + survived + no coverage); ignored and static mutants do not count.
const fs = require('node:fs');

// Usage: mutation-summary.js <seconds|-> <report.json> [more reports, e.g. one per area: merged by file]
const [seconds, ...files] = process.argv.slice(2);
const present = files.filter((file) => fs.existsSync(file));
if (!present.length) {
  console.log(`mutation: no report at ${files.join(', ')}`);
  process.exit(0);
}
const report = { files: Object.assign({}, ...present.map((file) => JSON.parse(fs.readFileSync(file, 'utf8')).files)) };
const AREAS = [
  ['kernel', (f) => f.startsWith('src/domain/kernel/')],
  ['periods', (f) => f === 'src/domain/periods.ts'],
  ['procedures', (f) => f.startsWith('procedures/')],
];
const tally = () => ({ detected: 0, undetected: 0, ignored: 0, errors: 0 });
const total = tally();
const byArea = new Map(AREAS.map(([name]) => [name, tally()]));
for (const [name, { mutants }] of Object.entries(report.files)) {
  const area = AREAS.find(([, test]) => test(name));
  for (const m of mutants) {
    for (const t of [total, area && byArea.get(area[0])].filter(Boolean)) {
      if (m.status === 'Killed' || m.status === 'Timeout') t.detected += 1;
      else if (m.status === 'Survived' || m.status === 'NoCoverage') t.undetected += 1;
      else if (m.status === 'Ignored') t.ignored += 1;
      else t.errors += 1;
    }
  }
}
const line = (name, t) => {
  const valid = t.detected + t.undetected;
  const score = valid ? ((100 * t.detected) / valid).toFixed(2) : 'n/a';
  return `${name}: ${score} % (${t.detected} of ${valid} mutants detected; ${t.ignored} ignored, ${t.errors} compile/runtime errors)`;
};
for (const [name, t] of byArea) if (t.detected + t.undetected + t.ignored + t.errors) console.log(`mutation score ${line(name, t)}`);
console.log(`mutation score ${line('overall', total)}${Number(seconds) ? ` in ${Math.round(Number(seconds) / 60)} min` : ''}`);
