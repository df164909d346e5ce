/**
 * The period engine's explanation (src/domain/periods.ts): which days were counted, skipped, suspended and rolled over,
 * which legal basis applied, the summary line, extensions, the bounds it refuses, and warningAt.
 * One row per rule branch; every date worked out by hand from prisma/calendar/cn-2004-2026.json:
 *
 *   March 2026: no holidays. Mon 03-02, Tue 03-03 … Fri 03-06, Sat 03-07, Sun 03-08, Mon 03-09 … Sat 03-14, Sun 03-15,
 *               Mon 03-16 … Sat 03-21, Sun 03-22, Mon 03-23.
 *   2026-04-02 Thu, 04-03 Fri, 04-04..06 清明节 Qingming (holidays), 04-07 Tue.
 *   2026-05-01..05 劳动节 Labour Day (holidays), 05-06 Wed.
 *   2026-09-18 Fri, 09-19 Sat (rest), 09-20 Sun 国庆节调休 make-up working day, 09-21 Mon, 09-22 Tue, 09-23 Wed,
 *   09-24 Thu, 09-25..27 中秋节 Mid-Autumn (holidays, Fri–Sun), 09-28 Mon, 09-29 Tue, 09-30 Wed,
 *   10-01..07 国庆节 National Day (holidays), 10-08 Thu, 10-09 Fri, 10-10 Sat make-up working day.
 *   2026-02-28 Sat 春节调休 make-up working day (a working day).
 *
 * Times are Asia/Shanghai (+08:00); the close of day D (24:00) is D T16:00:00.000Z. A suspended day is one whose close
 * falls in (from, to].
 */
import * as fs from 'fs';
import * as path from 'path';
import { withProvisionalYears } from '../../src/db/calendar-store';
import { Calendar } from '../../src/domain/calendar';
import { computeDeadline, type DeadlineInput, warningAt } from '../../src/domain/periods';

type Seed = Parameters<typeof Calendar.fromSeed>[0];
const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')) as Seed;
const calendar = Calendar.fromSeed(seed);
const VERSION = 'cn-official-2004-2026.1';

const at = (date: string, time = '10:00') => `${date}T${time}:00+08:00`;
const utc = (date: string, time = '10:00') => new Date(at(date, time)).toISOString();

const B = {
  start: 'Civil Code Art. 201 (the starting day is not counted)',
  working: 'Administrative Licensing Law Art. 82 (working days exclude statutory holidays)',
  monthEnd: 'Civil Code Art. 202 (corresponding day of the final month, or its last day)',
  roll: 'Civil Code Art. 203 (a period ending on a statutory rest day ends on the next working day)',
  end: 'Civil Code Art. 203 (the last day ends at 24:00)',
  suspension: 'docs/time-rules.md#suspension (a day counts only if the clock runs at its close)',
  calendar: 'State Council holiday notices (official holidays and make-up working days)',
};
const MID_AUTUMN = '中秋节 Mid-Autumn Festival';
const NATIONAL_DAY = '国庆节 National Day';
const QINGMING = '清明节 Qingming Festival';
const LABOUR_DAY = '劳动节 Labour Day';
const hol = (date: string, name: string) => ({ date, reason: 'holiday', name });
const wkd = (date: string) => ({ date, reason: 'weekend', name: undefined });
const sus = (date: string, name = 'testing') => ({ date, reason: 'suspended', name });
const tail = (due: string) => `ends ${due} at 24:00 Asia/Shanghai. Calendar ${VERSION}.`;

interface Row {
  label: string;
  input: DeadlineInput;
  due: string | null;
  rule: string;
  basis: string[];
  counted?: string[];
  skipped?: unknown[];
  makeup?: unknown[];
  rolled?: unknown;
  daysNotCounted?: string[][];
  summary: string;
}

const rows: Row[] = [
  {
    label: 'working days: Wed 09-23 + 2 skips the three Mid-Autumn holidays by name',
    input: { start: at('2026-09-23'), period: { workingDays: 2 } },
    due: '2026-09-28',
    rule: 'working-days',
    basis: [B.start, B.working, B.calendar, B.end],
    counted: ['2026-09-24', '2026-09-28'],
    skipped: [hol('2026-09-25', MID_AUTUMN), hol('2026-09-26', MID_AUTUMN), hol('2026-09-27', MID_AUTUMN)],
    makeup: [],
    summary: `2 working day(s) from the start event on 2026-09-23 (not counted); skipping holidays 2026-09-25 (${MID_AUTUMN}), 2026-09-26 (${MID_AUTUMN}), 2026-09-27 (${MID_AUTUMN}); ${tail('2026-09-28')}`,
  },
  {
    label: 'working days: Fri 09-18 + 3 skips Sat 09-19 and counts the make-up Sun 09-20',
    input: { start: at('2026-09-18'), period: { workingDays: 3 }, startEvent: 'received' },
    due: '2026-09-22',
    rule: 'working-days',
    basis: [B.start, B.working, B.calendar, B.end],
    counted: ['2026-09-20', '2026-09-21', '2026-09-22'],
    skipped: [wkd('2026-09-19')],
    makeup: [{ date: '2026-09-20', name: '国庆节调休 National Day make-up working day' }],
    summary: `3 working day(s) from received on 2026-09-18 (not counted); skipping 1 weekend day(s); counting make-up working days 2026-09-20 (国庆节调休 National Day make-up working day); ${tail('2026-09-22')}`,
  },
  {
    label: 'working days: 0 ends on the start date itself',
    input: { start: at('2026-03-03'), period: { workingDays: 0 } },
    due: '2026-03-03',
    rule: 'working-days',
    basis: [B.start, B.working, B.calendar, B.end],
    counted: [],
    skipped: [],
    summary: `0 working day(s) from the start event on 2026-03-03 (not counted); ${tail('2026-03-03')}`,
  },
  {
    label: 'calendar days: 30 from 09-01 end on National Day 10-01, rolled to Thu 10-08 (Art. 203)',
    input: { start: at('2026-09-01'), period: { days: 30 } },
    due: '2026-10-08',
    rule: 'calendar-days',
    basis: [B.start, B.roll, B.calendar, B.end],
    counted: Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2026, 8, 2 + i)).toISOString().slice(0, 10)),
    skipped: [],
    rolled: {
      from: '2026-10-01',
      to: '2026-10-08',
      basis: B.roll,
      skipped: ['01', '02', '03', '04', '05', '06', '07'].map((d) => hol(`2026-10-${d}`, NATIONAL_DAY)),
    },
    // A calendar-day count lists the make-up working day it passes (Sun 09-20) too.
    makeup: [{ date: '2026-09-20', name: '国庆节调休 National Day make-up working day' }],
    summary: `30 day(s) from the start event on 2026-09-01 (not counted); counting make-up working days 2026-09-20 (国庆节调休 National Day make-up working day); rolled forward from rest day 2026-10-01 to 2026-10-08; ${tail('2026-10-08')}`,
  },
  {
    label: 'calendar days without the roll-forward (a burden ends): 30 from 09-01 end on the holiday 10-01',
    input: { start: at('2026-09-01'), period: { days: 30 }, noRestDayRoll: 'a listing only ends a burden' },
    due: '2026-10-01',
    rule: 'calendar-days',
    basis: [B.start, B.calendar, B.end],
    skipped: [],
    rolled: undefined,
    summary: `30 day(s) from the start event on 2026-09-01 (not counted); counting make-up working days 2026-09-20 (国庆节调休 National Day make-up working day); ${tail('2026-10-01')}`,
  },
  {
    label: 'calendar days ending on a working day are not rolled: 4 from Mon 03-02 = Fri 03-06',
    input: { start: at('2026-03-02'), period: { days: 4 } },
    due: '2026-03-06',
    rule: 'calendar-days',
    basis: [B.start, B.roll, B.calendar, B.end],
    counted: ['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'],
    rolled: undefined,
    summary: `4 day(s) from the start event on 2026-03-02 (not counted); ${tail('2026-03-06')}`,
  },
  {
    label: 'months: 6 from 08-31 end on the last day of February, 02-28, a make-up Saturday (working, not rolled)',
    input: { start: at('2025-08-31'), period: { months: 6 } },
    due: '2026-02-28',
    rule: 'months',
    basis: [B.start, B.monthEnd, B.roll, B.calendar, B.end],
    counted: [],
    skipped: [],
    rolled: undefined,
    summary: `6 month(s) from the start event on 2025-08-31 (not counted); ${tail('2026-02-28')}`,
  },
  {
    label: 'years: 1 from 2025-05-01 ends on Labour Day 2026-05-01, rolled to Wed 05-06',
    input: { start: at('2025-05-01'), period: { years: 1 } },
    due: '2026-05-06',
    rule: 'years',
    basis: [B.start, B.monthEnd, B.roll, B.calendar, B.end],
    counted: [],
    rolled: { from: '2026-05-01', to: '2026-05-06', basis: B.roll, skipped: ['01', '02', '03', '04', '05'].map((d) => hol(`2026-05-${d}`, LABOUR_DAY)) },
    summary: `1 year(s) from the start event on 2025-05-01 (not counted); rolled forward from rest day 2026-05-01 to 2026-05-06; ${tail('2026-05-06')}`,
  },
  {
    label: 'years without the roll-forward: 1 from 2025-05-01 ends on the holiday 2026-05-01',
    input: { start: at('2025-05-01'), period: { years: 1 }, noRestDayRoll: 'a listing only ends a burden' },
    due: '2026-05-01',
    rule: 'years',
    basis: [B.start, B.monthEnd, B.calendar, B.end],
    rolled: undefined,
    summary: `1 year(s) from the start event on 2025-05-01 (not counted); ${tail('2026-05-01')}`,
  },
  {
    label: 'suspension Tue 10:00 → Wed 10:00 stops Tue only (its close is inside, Wednesday’s is after): 5 wd from Mon 03-02 = Tue 03-10',
    input: {
      start: at('2026-03-02'),
      period: { workingDays: 5 },
      startEvent: 'received',
      suspensions: [{ from: at('2026-03-03'), to: at('2026-03-04'), reason: 'testing' }],
    },
    due: '2026-03-10',
    rule: 'working-days',
    basis: [B.start, B.working, B.calendar, B.suspension, B.end],
    counted: ['2026-03-04', '2026-03-05', '2026-03-06', '2026-03-09', '2026-03-10'],
    skipped: [sus('2026-03-03'), wkd('2026-03-07'), wkd('2026-03-08')],
    daysNotCounted: [['2026-03-03']],
    summary: `5 working day(s) from received on 2026-03-02 (not counted); skipping 2 weekend day(s); not counting 1 day(s) of clock suspension; ${tail('2026-03-10')}`,
  },
  {
    label: 'suspension ending exactly at the close of Tue 03-03 (24:00) stops Tue: 1 wd from Mon = Wed 03-04',
    input: { start: at('2026-03-02'), period: { workingDays: 1 }, suspensions: [{ from: at('2026-03-03'), to: at('2026-03-04', '00:00'), reason: 'testing' }] },
    due: '2026-03-04',
    rule: 'working-days',
    basis: [B.start, B.working, B.calendar, B.suspension, B.end],
    daysNotCounted: [['2026-03-03']],
    summary: `1 working day(s) from the start event on 2026-03-02 (not counted); not counting 1 day(s) of clock suspension; ${tail('2026-03-04')}`,
  },
  {
    label: 'suspension starting exactly at the close of Tue 03-03 does not stop Tue: 1 wd from Mon = Tue 03-03',
    input: { start: at('2026-03-02'), period: { workingDays: 1 }, suspensions: [{ from: at('2026-03-04', '00:00'), to: at('2026-03-05'), reason: 'testing' }] },
    due: '2026-03-03',
    rule: 'working-days',
    basis: [B.start, B.working, B.calendar, B.suspension, B.end],
    daysNotCounted: [[]],
    summary: `1 working day(s) from the start event on 2026-03-02 (not counted); ${tail('2026-03-03')}`,
  },
  {
    label: 'a zero-length suspension (from = to) stops nothing',
    input: { start: at('2026-03-02'), period: { workingDays: 1 }, suspensions: [{ from: at('2026-03-03'), to: at('2026-03-03') }] },
    due: '2026-03-03',
    rule: 'working-days',
    basis: [B.start, B.working, B.calendar, B.suspension, B.end],
    daysNotCounted: [[]],
    summary: `1 working day(s) from the start event on 2026-03-02 (not counted); ${tail('2026-03-03')}`,
  },
  {
    label: 'an open suspension from Tue 03-03: no due date while the clock is stopped',
    input: { start: at('2026-03-02'), period: { workingDays: 5 }, suspensions: [{ from: at('2026-03-03'), reason: 'testing' }] },
    due: null,
    rule: 'working-days',
    basis: [B.start, B.working, B.calendar, B.suspension, B.end],
    counted: [],
    skipped: [],
    summary: `5 working day(s) from the start event on 2026-03-02 (not counted); has no due date while the clock is suspended. Calendar ${VERSION}.`,
  },
  {
    label: 'a suspension in the roll-forward: 7 days from Thu 09-24 = 10-01, suspended 10-03 10:00 → 10-09 10:00: Thu 10-08 not counted, ends Fri 10-09',
    input: { start: at('2026-09-24'), period: { days: 7 }, suspensions: [{ from: at('2026-10-03'), to: at('2026-10-09'), reason: 'testing' }] },
    due: '2026-10-09',
    rule: 'calendar-days',
    basis: [B.start, B.roll, B.calendar, B.suspension, B.end],
    skipped: [],
    rolled: {
      from: '2026-10-01',
      to: '2026-10-09',
      basis: B.roll,
      skipped: [...['01', '02', '03', '04', '05', '06', '07'].map((d) => hol(`2026-10-${d}`, NATIONAL_DAY)), sus('2026-10-08')],
    },
    daysNotCounted: [['2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08']],
    summary: `7 day(s) from the start event on 2026-09-24 (not counted); rolled forward from rest day 2026-10-01 to 2026-10-09; ${tail('2026-10-09')}`,
  },
  {
    label: 'months with suspended days: 1 month from Mon 03-02 (nominal Thu 04-02) + 2 suspended days = Sat 04-04 (Qingming), rolled to Tue 04-07',
    input: { start: at('2026-03-02'), period: { months: 1 }, suspensions: [{ from: at('2026-03-03'), to: at('2026-03-05'), reason: 'testing' }] },
    due: '2026-04-07',
    rule: 'months',
    basis: [B.start, B.monthEnd, B.roll, B.calendar, B.suspension, B.end],
    counted: [],
    skipped: [sus('2026-03-03'), sus('2026-03-04')],
    rolled: { from: '2026-04-04', to: '2026-04-07', basis: B.roll, skipped: ['04', '05', '06'].map((d) => hol(`2026-04-${d}`, QINGMING)) },
    daysNotCounted: [['2026-03-03', '2026-03-04']],
    summary: `1 month(s) from the start event on 2026-03-02 (not counted); not counting 2 day(s) of clock suspension; rolled forward from rest day 2026-04-04 to 2026-04-07; ${tail('2026-04-07')}`,
  },
  {
    label: 'months, a suspension in the added stretch pushes the end again: nominal 04-02, +1 (03-03) = Fri 04-03, which is suspended too: 04-04, rolled to 04-07',
    input: {
      start: at('2026-03-02'),
      period: { months: 1 },
      suspensions: [
        { from: at('2026-03-03'), to: at('2026-03-04'), reason: 'testing' },
        { from: at('2026-04-03', '09:00'), to: at('2026-04-04', '09:00'), reason: 'appraisal' },
      ],
    },
    due: '2026-04-07',
    rule: 'months',
    basis: [B.start, B.monthEnd, B.roll, B.calendar, B.suspension, B.end],
    skipped: [sus('2026-03-03'), sus('2026-04-03', 'appraisal')],
    daysNotCounted: [['2026-03-03'], ['2026-04-03']],
    summary: `1 month(s) from the start event on 2026-03-02 (not counted); not counting 2 day(s) of clock suspension; rolled forward from rest day 2026-04-04 to 2026-04-07; ${tail('2026-04-07')}`,
  },
  {
    label: 'months with an open suspension: no due date',
    input: { start: at('2026-03-02'), period: { months: 1 }, suspensions: [{ from: at('2026-03-10') }] },
    due: null,
    rule: 'months',
    basis: [B.start, B.monthEnd, B.roll, B.calendar, B.suspension, B.end],
    summary: `1 month(s) from the start event on 2026-03-02 (not counted); has no due date while the clock is suspended. Calendar ${VERSION}.`,
  },
];

describe('period engine: the explanation, one row per branch (hand-computed from the official calendar)', () => {
  it.each(rows)('$label', (row) => {
    const r = computeDeadline(calendar, row.input);
    const e = r.explanation;
    expect(r.dueDate).toBe(row.due);
    expect(r.dueAt).toBe(row.due === null ? null : `${row.due}T16:00:00.000Z`);
    expect(r.suspended).toBe(row.due === null);
    expect(r.provisional).toBe(false);
    expect(r.calendarVersion).toBe(VERSION);
    expect(e.dueDate).toBe(row.due);
    expect(e.dueAt).toBe(r.dueAt);
    expect(e.suspendedNow).toBe(row.due === null);
    expect(e.provisional).toBe(false);
    expect(e.provisionalYears).toEqual([]);
    expect(e.calendarVersion).toBe(VERSION);
    expect(e.endsAt).toBe('24:00 Asia/Shanghai');
    expect(e.rule).toBe(row.rule);
    expect(e.basis).toEqual(row.basis);
    expect(e.period).toEqual(row.input.period);
    expect(e.startEvent).toBe(row.input.startEvent);
    expect(e.startAt).toBe(new Date(row.input.start).toISOString());
    expect(e.startDate).toBe(row.input.start.slice(0, 10));
    expect(e.noRestDayRoll).toBe(row.input.noRestDayRoll);
    expect('noRestDayRoll' in e).toBe(row.input.noRestDayRoll !== undefined);
    if (row.counted) expect(e.countedDays).toEqual(row.counted);
    if (row.skipped) expect(e.skippedDays).toEqual(row.skipped);
    if (row.makeup) expect(e.makeupWorkdaysCounted).toEqual(row.makeup);
    if ('rolled' in row) expect(e.rolledForward).toEqual(row.rolled);
    if (row.daysNotCounted) expect(e.suspensions.map((s) => s.daysNotCounted)).toEqual(row.daysNotCounted);
    expect(e.suspensions.map(({ daysNotCounted: _, ...s }) => s)).toEqual(row.input.suspensions ?? []);
    expect(e.extensions).toEqual([]);
    expect(e.summary).toBe(row.summary);
  });
});

describe('period engine: a provisional year (no State Council notice loaded) is named in the summary', () => {
  const provisional = Calendar.fromSeed(withProvisionalYears({ version: 'x', years: seed.years }));
  const NEW_YEAR = "元旦 New Year's Day (fixed by the holiday regulation; provisional)";

  it.each([
    {
      label: '1 wd from Thu 2026-12-31: 2027-01-01 holiday, 01-02/03 weekend, Mon 01-04',
      input: { start: at('2026-12-31'), period: { workingDays: 1 } },
      due: '2027-01-04',
      years: [2027],
      summary: `1 working day(s) from the start event on 2026-12-31 (not counted); skipping holidays 2027-01-01 (${NEW_YEAR}); skipping 2 weekend day(s); ends 2027-01-04 at 24:00 Asia/Shanghai — provisional: no holiday notice loaded for 2027 (bridge days and make-up working days not known yet). Calendar ${provisional.version}.`,
    },
    {
      label: '1 year from Mon 2026-12-28 = Tue 2027-12-28 (no holiday in the provisional December): one provisional year',
      input: { start: at('2026-12-28'), period: { years: 1 } },
      due: '2027-12-28',
      years: [2027],
      summary: `1 year(s) from the start event on 2026-12-28 (not counted); ends 2027-12-28 at 24:00 Asia/Shanghai — provisional: no holiday notice loaded for 2027 (bridge days and make-up working days not known yet). Calendar ${provisional.version}.`,
    },
  ] as { label: string; input: DeadlineInput; due: string; years: number[]; summary: string }[])('$label', ({ input, due, years, summary }) => {
    const r = computeDeadline(provisional, input);
    expect(r.dueDate).toBe(due);
    expect(r.provisional).toBe(true);
    expect(r.explanation.provisional).toBe(true);
    expect(r.explanation.provisionalYears).toEqual(years);
    expect(r.explanation.summary).toBe(summary);
  });
});

describe('period engine: extensions (docs/time-rules.md#extension)', () => {
  it.each([
    {
      label: '5 wd from Mon 03-09 = Mon 03-16, extended by 3 wd = Thu 03-19',
      input: { start: at('2026-03-09'), period: { workingDays: 5 }, extensions: [{ period: { workingDays: 3 }, reason: 'complex case' }] },
      due: '2026-03-19',
      before: ['2026-03-16'],
      rolled: undefined,
      summary: `5 working day(s) from the start event on 2026-03-09 (not counted); skipping 2 weekend day(s); extended by 3 working day(s) (complex case); ${tail('2026-03-19')}`,
    },
    {
      label: '5 days from Mon 03-09 = Sat 03-14, rolled to Mon 03-16; extended by 5 days = Sat 03-21, rolled to Mon 03-23',
      input: { start: at('2026-03-09'), period: { days: 5 }, extensions: [{ period: { days: 5 } }] },
      due: '2026-03-23',
      before: ['2026-03-16'],
      rolled: { from: '2026-03-21', to: '2026-03-23', basis: B.roll, skipped: [wkd('2026-03-21'), wkd('2026-03-22')] },
      summary: `5 day(s) from the start event on 2026-03-09 (not counted); rolled forward from rest day 2026-03-21 to 2026-03-23; extended by 5 day(s); ${tail('2026-03-23')}`,
    },
    {
      label: 'two extensions in order: 1 wd from Mon 03-09 = Tue 03-10, +1 wd = Wed 03-11, +2 days = Fri 03-13',
      input: { start: at('2026-03-09'), period: { workingDays: 1 }, extensions: [{ period: { workingDays: 1 } }, { period: { days: 2 } }] },
      due: '2026-03-13',
      before: ['2026-03-10', '2026-03-11'],
      rolled: undefined,
      summary: `1 working day(s) from the start event on 2026-03-09 (not counted); extended by 1 working day(s); extended by 2 day(s); ${tail('2026-03-13')}`,
    },
    {
      label: 'an extension while the clock is stopped changes nothing: no due date before or after',
      input: { start: at('2026-03-09'), period: { workingDays: 5 }, suspensions: [{ from: at('2026-03-10') }], extensions: [{ period: { workingDays: 3 } }] },
      due: null,
      before: [null],
      rolled: undefined,
      summary: `5 working day(s) from the start event on 2026-03-09 (not counted); extended by 3 working day(s); has no due date while the clock is suspended. Calendar ${VERSION}.`,
    },
  ] as { label: string; input: DeadlineInput; due: string | null; before: (string | null)[]; rolled: unknown; summary: string }[])('$label', (row) => {
    const r = computeDeadline(calendar, row.input);
    expect(r.dueDate).toBe(row.due);
    expect(r.explanation.extensions).toEqual(row.input.extensions!.map((x, i) => ({ ...x, dueDateBefore: row.before[i] })));
    expect(r.explanation.rolledForward).toEqual(row.rolled);
    expect(r.explanation.summary).toBe(row.summary);
  });
});

describe('period engine: what it refuses', () => {
  it.each([
    { label: 'negative working days', input: { period: { workingDays: -1 } }, message: 'workingDays must be a non-negative integer, got -1' },
    { label: 'fractional days', input: { period: { days: 1.5 } }, message: 'days must be a non-negative integer, got 1.5' },
    { label: 'negative months', input: { period: { months: -1 } }, message: 'months must be a non-negative integer, got -1' },
    { label: 'fractional years', input: { period: { years: 0.5 } }, message: 'years must be a non-negative integer, got 0.5' },
    { label: 'a negative working-day extension', input: { period: { workingDays: 1 }, extensions: [{ period: { workingDays: -1 } }] }, message: 'extension workingDays must be a non-negative integer, got -1' },
    { label: 'a fractional day extension', input: { period: { workingDays: 1 }, extensions: [{ period: { days: 0.5 } }] }, message: 'extension days must be a non-negative integer, got 0.5' },
    {
      label: 'a suspension that ends before it starts',
      input: { period: { workingDays: 1 }, suspensions: [{ from: '2026-03-04T02:00:00.000Z', to: '2026-03-03T02:00:00.000Z' }] },
      message: 'suspension ends before it starts: 2026-03-04T02:00:00.000Z → 2026-03-03T02:00:00.000Z',
    },
    { label: 'a count beyond 30 × 366 days', input: { period: { days: 366 * 30 + 1 } }, message: 'period exceeds the supported range' },
  ] as { label: string; input: Omit<DeadlineInput, 'start'>; message: string }[])('refuses $label', ({ input, message }) => {
    expect(() => computeDeadline(calendar, { start: at('2026-03-02'), ...input })).toThrow(new RangeError(message));
  });

  it('counts up to exactly 30 × 366 days (10,980 days from 2000-01-01 = 2030-01-23, a provisional year)', () => {
    // 2000-01-01 + 10,980 days: 30 years of 365 days plus 8 leap days (2000 … 2028) = 10,958 to 2030-01-01, then 22
    // more: 2030-01-23. No roll-forward asked, so the provisional 2030 calendar does not move it.
    const r = computeDeadline(calendar, { start: at('2000-01-01'), period: { days: 366 * 30 }, noRestDayRoll: 'count only' });
    expect(r.explanation.countedDays).toHaveLength(366 * 30);
    expect(r.dueDate).toBe('2030-01-23');
    expect(r.provisional).toBe(true);
  });
});

describe('warningAt: the close of the working day before the last N working days, never before notBefore', () => {
  it.each([
    { label: '2 wd before Fri 10-09: Thu 10-08, then back over National Day to Wed 09-30', due: '2026-10-09', n: 2, notBefore: utc('2026-09-29'), expected: '2026-09-30T16:00:00.000Z' },
    { label: '1 wd before Thu 10-08: back over National Day to Wed 09-30', due: '2026-10-08', n: 1, notBefore: utc('2026-09-29'), expected: '2026-09-30T16:00:00.000Z' },
    { label: '1 wd before Mon 03-16: Fri 03-13 (weekend skipped)', due: '2026-03-16', n: 1, notBefore: utc('2026-03-09'), expected: '2026-03-13T16:00:00.000Z' },
    { label: '0 wd: the due date itself', due: '2026-03-16', n: 0, notBefore: utc('2026-03-09'), expected: '2026-03-16T16:00:00.000Z' },
    { label: 'floored at notBefore when the moment is earlier', due: '2026-10-09', n: 2, notBefore: '2026-10-01T00:00:00.000Z', expected: '2026-10-01T00:00:00.000Z' },
    { label: 'notBefore equal to the moment', due: '2026-03-16', n: 1, notBefore: '2026-03-13T16:00:00.000Z', expected: '2026-03-13T16:00:00.000Z' },
  ])('$label', ({ due, n, notBefore, expected }) => {
    expect(warningAt(calendar, due, n, notBefore)).toBe(expected);
  });
});

describe('period engine: the summary in Chinese, for the app in its default language', () => {
  const VERSION_ZH = `节假日日历 ${calendar.version}。`;
  it.each([
    [
      'working days over Mid-Autumn',
      { start: at('2026-09-23'), period: { workingDays: 2 } },
      `自 2026-09-23 起算 2 个工作日（当日不计入）；不计法定节假日 2026-09-25（${MID_AUTUMN}）、2026-09-26（${MID_AUTUMN}）、2026-09-27（${MID_AUTUMN}）；届满日为 2026-09-28 24 时（北京时间）。${VERSION_ZH}`,
    ],
    [
      'a weekend skipped and a make-up Sunday counted',
      { start: at('2026-09-18'), period: { workingDays: 3 } },
      `自 2026-09-18 起算 3 个工作日（当日不计入）；不计休息日 1 天；计入调休上班日 2026-09-20（国庆节调休 National Day make-up working day）；届满日为 2026-09-22 24 时（北京时间）。${VERSION_ZH}`,
    ],
    [
      'calendar days rolled forward past National Day',
      { start: at('2026-09-01'), period: { days: 30 } },
      `自 2026-09-01 起算 30 日（当日不计入）；计入调休上班日 2026-09-20（国庆节调休 National Day make-up working day）；期间最后一日 2026-10-01 是休息日，顺延至 2026-10-08；届满日为 2026-10-08 24 时（北京时间）。${VERSION_ZH}`,
    ],
  ] as [string, DeadlineInput, string][])('%s', (_, input, summaryZh) => {
    expect(computeDeadline(calendar, input).explanation.summaryZh).toBe(summaryZh);
  });
});
