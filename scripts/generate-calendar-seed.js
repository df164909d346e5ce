#!/usr/bin/env node
/*
 * Generates prisma/calendar/cn-2004-2026.json, the official PRC holiday calendar seed
 * (TIME-RULES.md "Sources" / rules 2 and 8), from the raw data of the npm package
 * chinese-days@1.5.7 (devDependency only; the runtime reads the committed JSON).
 *
 *   node scripts/generate-calendar-seed.js            # write the file and print a summary
 *   node scripts/generate-calendar-seed.js --check    # fail if the committed file is stale
 *
 * Data taken from the package:
 *   dist/chinese-days.json            { holidays, workdays, inLieuDays }: date -> "English,中文,n"
 *                                      holidays   = every day off of each block (weekends included)
 *                                      workdays   = weekend days declared working days (调休上班)
 *                                      inLieuDays = weekdays off that are paid back (subset of holidays;
 *                                                   not needed by the working-day rule)
 *   src/holidays/generate.ts          one comment per year citing the notice (URL, sometimes a title)
 *
 * Corrections (printed on every run): CORRECTIONS below adds days the quoted notices declare but
 * the package's data omits; weekend days inside a block the package lists only at its ends are
 * filled with the block's name.
 *
 * Grouping: a date is filed under its own calendar year, as the package does (e.g. the 2019
 * notice's 2018-12-29 make-up day and 2018-12-30/31 holidays are under "2018"); such a year's
 * `notice` also names the following year's notice.
 */
'use strict';

const fs = require('fs');
const path = require('path');

const PKG = 'chinese-days';
const PKG_VERSION = '1.5.7';
const FIRST_YEAR = 2004;
const LAST_YEAR = 2026;
const VERSION = `cn-official-${FIRST_YEAR}-${LAST_YEAR}.1`;
const OUT = path.join(__dirname, '..', 'prisma', 'calendar', `cn-${FIRST_YEAR}-${LAST_YEAR}.json`);

const pkgDir = path.dirname(require.resolve(`${PKG}/package.json`, { paths: [path.join(__dirname, '..')] }));
const pkgJson = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
if (pkgJson.version !== PKG_VERSION) {
  throw new Error(`expected ${PKG}@${PKG_VERSION}, found ${pkgJson.version}`);
}
const raw = JSON.parse(fs.readFileSync(path.join(pkgDir, 'dist', 'chinese-days.json'), 'utf8'));
const generateSrc = fs.readFileSync(path.join(pkgDir, 'src', 'holidays', 'generate.ts'), 'utf8');

// The package's holiday labels ("English,中文") -> our "中文 English" names.
const NAMES = {
  "New Year's Day,元旦": ['元旦', "New Year's Day"],
  'Spring Festival,春节': ['春节', 'Spring Festival'],
  'Tomb-sweeping Day,清明': ['清明节', 'Qingming Festival'],
  'Labour Day,劳动节': ['劳动节', 'Labour Day'],
  'Dragon Boat Festival,端午': ['端午节', 'Dragon Boat Festival'],
  'Mid-autumn Festival,中秋': ['中秋节', 'Mid-Autumn Festival'],
  'National Day,国庆节': ['国庆节', 'National Day'],
  'Anti-Fascist 70th Day,中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日': [
    '抗战胜利纪念日',
    'War of Resistance Victory 70th Anniversary',
  ],
};

// Supplementary notices the package's comments cite by URL only (title not given there).
const SUPPLEMENTARY_TITLES = {
  2019: '国务院办公厅关于调整2019年劳动节假期安排的通知', // gov.cn content_5375877 (Labour Day 1-4 May)
  2020: '国务院办公厅关于延长2020年春节假期的通知', // gov.cn content_5472352 (Spring Festival to 2 Feb)
};

// Days the notices (as quoted in the package's own comments) declare but the package's data
// omits. Each entry cites the quoted notice text.
const CORRECTIONS = [
  {
    date: '2005-12-31',
    kind: 'makeupWorkdays',
    label: "New Year's Day,元旦",
    why: '2006 notice (generate.ts comment for 2006): "12月31日(星期六)上班" - the Saturday before 1 Jan 2006',
  },
  {
    date: '2015-09-05',
    kind: 'holidays',
    label: 'Anti-Fascist 70th Day,中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日',
    why: '2015 Victory Day notice (generate.ts comment for 2015): "9月3日至5日调休放假，共3天" - the package lists 3-4 Sep only',
  },
];

const standardTitle = (y) => `国务院办公厅关于${y}年部分节假日安排的通知`;

function festival(label, date) {
  const key = label.split(',').slice(0, 2).join(',');
  const name = NAMES[key];
  if (!name) throw new Error(`unknown holiday label "${label}" on ${date}`);
  return name;
}

const dow = (iso) => new Date(`${iso}T00:00:00Z`).getUTCDay(); // 0 = Sunday
const addDays = (iso, n) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
const isWeekend = (iso) => dow(iso) === 0 || dow(iso) === 6;
const sortKeys = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

// ---- notice citations, one comment block per year in generate.ts -------------------------
function citations() {
  const out = {};
  const re = /\/\*\*([\s\S]*?)\*\/\s*arrangement\s*\.y\((\d{4})\)/g;
  let m;
  while ((m = re.exec(generateSrc))) {
    const year = Number(m[2]);
    const comment = m[1];
    const urls = [...comment.matchAll(/https?:\/\/\S+/g)].map((u) => u[0]);
    const titles = new Set();
    for (const t of comment.matchAll(/《(国务院[^》]*?通知)》/g)) titles.add(t[1]);
    for (const u of urls) {
      const t = decodeURIComponent(u).match(/(国务院[^/\s]*?通知)$/);
      if (t) titles.add(t[1]);
    }
    out[year] = { urls, titles: [...titles] };
  }
  return out;
}

function noticeFor(year, cited, hasPrevYearNewYear) {
  const c = cited[year] || { titles: [] };
  const main = c.titles.find((t) => t.includes(`${year}年部分节假日`)) || standardTitle(year);
  const parts = [main, ...c.titles.filter((t) => t !== main)];
  if (SUPPLEMENTARY_TITLES[year]) parts.push(SUPPLEMENTARY_TITLES[year]);
  if (hasPrevYearNewYear) parts.push(`${standardTitle(year + 1)}（${year}年12月的元旦安排）`);
  return parts.join('；');
}

// ---- build ---------------------------------------------------------------------------------
function build() {
  const cited = citations();
  const years = {};
  for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) years[y] = { holidays: {}, makeupWorkdays: {} };

  const inRange = (d) => Number(d.slice(0, 4)) >= FIRST_YEAR && Number(d.slice(0, 4)) <= LAST_YEAR;
  for (const [date, label] of Object.entries(raw.holidays)) {
    if (!inRange(date)) continue;
    const [zh, en] = festival(label, date);
    years[date.slice(0, 4)].holidays[date] = `${zh} ${en}`;
  }
  for (const [date, label] of Object.entries(raw.workdays)) {
    if (!inRange(date)) continue;
    const [zh, en] = festival(label, date);
    years[date.slice(0, 4)].makeupWorkdays[date] = `${zh}调休 ${en} make-up working day`;
  }

  for (const c of CORRECTIONS) {
    const target = raw[c.kind === 'makeupWorkdays' ? 'workdays' : 'holidays'];
    if (target[c.date]) throw new Error(`correction ${c.date} no longer needed: the package lists it`);
    const [zh, en] = festival(c.label, c.date);
    years[c.date.slice(0, 4)][c.kind][c.date] =
      c.kind === 'makeupWorkdays' ? `${zh}调休 ${en} make-up working day` : `${zh} ${en}`;
  }

  // A block the notice states as "X日至Y日" but the package lists only the ends of
  // (2011 and 2012 端午, and the 2015 端午 weekend between the holiday and its 补休 day):
  // fill weekend days lying strictly between two days of the same festival.
  const filled = [];
  for (const y of Object.keys(years)) {
    const h = years[y].holidays;
    const dates = Object.keys(h).sort();
    for (let i = 1; i < dates.length; i++) {
      const a = dates[i - 1];
      const b = dates[i];
      if (h[a] !== h[b]) continue;
      const gap = [];
      for (let d = addDays(a, 1); d < b; d = addDays(d, 1)) gap.push(d);
      if (gap.length > 0 && gap.length <= 2 && gap.every((d) => isWeekend(d) && !years[y].makeupWorkdays[d])) {
        for (const d of gap) {
          h[d] = h[a];
          filled.push(`${d} ${h[a]}`);
        }
      }
    }
  }

  const out = {};
  for (const y of Object.keys(years).sort()) {
    const hasPrevYearNewYear = Object.entries(years[y].holidays)
      .concat(Object.entries(years[y].makeupWorkdays))
      .some(([d, n]) => d.slice(5, 7) === '12' && n.startsWith('元旦'));
    out[y] = {
      notice: noticeFor(Number(y), cited, hasPrevYearNewYear),
      holidays: sortKeys(years[y].holidays),
      makeupWorkdays: sortKeys(years[y].makeupWorkdays),
    };
  }
  return {
    seed: {
      version: VERSION,
      source: `State Council General Office holiday notices ${FIRST_YEAR}-${LAST_YEAR} (via ${PKG} ${PKG_VERSION})`,
      years: out,
    },
    cited,
    filled,
  };
}

// ---- verification against known facts -------------------------------------------------------
function verify(seed) {
  const errors = [];
  const expect = (cond, msg) => {
    if (!cond) errors.push(msg);
  };
  const years = Object.keys(seed.years);
  expect(years.length === LAST_YEAR - FIRST_YEAR + 1, `years ${years[0]}..${years[years.length - 1]}`);
  for (const y of years) {
    const { holidays, makeupWorkdays, notice } = seed.years[y];
    expect(notice && notice.includes(`${y}年`), `${y}: notice "${notice}"`);
    expect(Object.keys(holidays).length > 0, `${y}: no holidays`);
    for (const d of Object.keys(holidays)) {
      expect(d.startsWith(`${y}-`), `${y}: holiday ${d} filed under the wrong year`);
      expect(!makeupWorkdays[d], `${d}: both holiday and make-up working day`);
    }
    for (const d of Object.keys(makeupWorkdays)) {
      expect(d.startsWith(`${y}-`), `${y}: make-up day ${d} filed under the wrong year`);
      expect(isWeekend(d), `${d}: make-up working day is not a Saturday/Sunday`);
    }
  }
  const y26 = seed.years['2026'];
  const range = (a, b) => {
    const r = [];
    for (let d = a; d <= b; d = addDays(d, 1)) r.push(d);
    return r;
  };
  for (const d of range('2026-10-01', '2026-10-07')) expect(y26.holidays[d]?.startsWith('国庆节'), `2026 National Day ${d}`);
  expect(!y26.holidays['2026-10-08'], '2026-10-08 must be a working day (Thursday)');
  for (const d of range('2026-02-15', '2026-02-23')) expect(y26.holidays[d]?.startsWith('春节'), `2026 Spring Festival ${d}`);
  for (const d of ['2026-09-20', '2026-10-10']) expect(y26.makeupWorkdays[d]?.startsWith('国庆节'), `2026 make-up ${d}`);
  for (const d of ['2026-02-14', '2026-02-28']) expect(y26.makeupWorkdays[d]?.startsWith('春节'), `2026 make-up ${d}`);
  expect(dow('2026-09-20') === 0 && dow('2026-10-10') === 6 && dow('2026-02-28') === 6, 'weekday of 2026 make-up days');
  // a few older facts
  expect(seed.years['2015'].holidays['2015-09-03']?.startsWith('抗战胜利纪念日'), '2015-09-03 Victory Day');
  expect(seed.years['2015'].makeupWorkdays['2015-09-06'], '2015-09-06 make-up');
  expect(seed.years['2015'].holidays['2015-09-05'], '2015-09-05 Victory Day block (Saturday)');
  expect(seed.years['2020'].holidays['2020-02-02'] && !seed.years['2020'].makeupWorkdays['2020-02-01'], '2020 Spring Festival extension');
  expect(seed.years['2019'].makeupWorkdays['2019-05-05'], '2019 Labour Day adjustment');
  expect(seed.years['2018'].makeupWorkdays['2018-12-29'] && seed.years['2018'].holidays['2018-12-31'], '2019 New Year across years');
  expect(seed.years['2005'].makeupWorkdays['2005-12-31'], '2006 New Year make-up day 2005-12-31');
  expect(seed.years['2024'].holidays['2024-02-10'] && seed.years['2024'].makeupWorkdays['2024-02-04'], '2024 Spring Festival');
  return errors;
}

function main() {
  const { seed, cited, filled } = build();
  const errors = verify(seed);
  if (errors.length) {
    console.error('verification failed:\n  ' + errors.join('\n  '));
    process.exit(1);
  }
  const text = JSON.stringify(seed, null, 2) + '\n';

  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), OUT)} is stale; run node scripts/generate-calendar-seed.js`);
      process.exit(1);
    }
    console.log(`${path.relative(process.cwd(), OUT)} is up to date (${seed.version})`);
    return;
  }

  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, text);

  const wd = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  console.log(`wrote ${path.relative(process.cwd(), OUT)}  version ${seed.version}`);
  console.log('year  holidays  make-up  notice');
  for (const [y, v] of Object.entries(seed.years)) {
    const src = (cited[y]?.urls || []).join(' ');
    console.log(
      `${y}  ${String(Object.keys(v.holidays).length).padStart(8)}  ${String(Object.keys(v.makeupWorkdays).length).padStart(7)}  ${v.notice}${src ? `  [${src}]` : ''}`,
    );
  }
  for (const c of CORRECTIONS) console.log(`added ${c.kind} ${c.date} missing from the package: ${c.why}`);
  if (filled.length) console.log(`filled weekend days inside a block the package lists only partly: ${filled.join('; ')}`);

  console.log('\n2026 holiday blocks:');
  const h = seed.years['2026'].holidays;
  const dates = Object.keys(h);
  let start = dates[0];
  for (let i = 1; i <= dates.length; i++) {
    const prev = dates[i - 1];
    const cur = dates[i];
    if (cur && cur === addDays(prev, 1) && h[cur] === h[prev]) continue;
    const n = (Date.parse(prev) - Date.parse(start)) / 86400000 + 1;
    console.log(`  ${h[start].padEnd(32)} ${start} (${wd[dow(start)]}) .. ${prev} (${wd[dow(prev)]})  ${n} days`);
    start = cur;
  }
  console.log('2026 make-up working days:');
  for (const [d, n] of Object.entries(seed.years['2026'].makeupWorkdays)) console.log(`  ${d} (${wd[dow(d)]})  ${n}`);
  console.log('\nchecks passed: 2026 National Day 10-01..10-07 (10-08 is a working day), Spring Festival 02-15..02-23,');
  console.log('make-up working days 2026-02-14 Sat, 2026-02-28 Sat, 2026-09-20 Sun, 2026-10-10 Sat.');
}

main();
