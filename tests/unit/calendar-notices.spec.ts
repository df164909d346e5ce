import fs from 'node:fs';
import path from 'node:path';
import { calendarFrom, withProvisionalYears } from '../../src/db/calendar-store';
import { Calendar, CalendarSeed, calendarVersionOf, changedDates } from '../../src/domain/calendar';
import { dayNumber } from '../../src/domain/local-date';
import { computeDeadline } from '../../src/domain/periods';

// docs/time-rules.md#calendar-coverage. Hand-worked: 2027-01-01 is a Friday (New Year's Day); Spring Festival 2027 is Sat 02-06, its eve
// Fri 02-05, and the holiday runs to Mon 02-08 (初三); the shipped calendar ends with 2026.
const shipped = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')) as CalendarSeed;
const at = (date: string) => `${date}T10:00:00+08:00`;

describe('provisional calendar of a year without a notice', () => {
  const seed = withProvisionalYears({ version: 'x', years: shipped.years });
  const calendar = Calendar.fromSeed(seed);

  it('a working-day deadline in 2027 skips New Year and the Spring Festival days, and stays provisional', () => {
    // 2026-12-31 (Thu, not counted); 01-01 holiday, 01-02/03 weekend; 01-04 is the 1st working day.
    const newYear = computeDeadline(calendar, { start: at('2026-12-31'), period: { workingDays: 1 } });
    expect(newYear).toMatchObject({ dueDate: '2027-01-04', provisional: true });
    expect(newYear.explanation.provisionalYears).toEqual([2027]);
    expect(newYear.explanation.skippedDays[0]).toEqual({ date: '2027-01-01', reason: 'holiday', name: "元旦 New Year's Day (fixed by the holiday regulation; provisional)" });

    // Thu 02-04 + 2: 02-05 eve, 02-06/07 weekend and Spring Festival, 02-08 初三, then Tue 02-09, Wed 02-10.
    const spring = computeDeadline(calendar, { start: at('2027-02-04'), period: { workingDays: 2 } });
    expect(spring).toMatchObject({ dueDate: '2027-02-10', provisional: true });
    expect(spring.explanation.skippedDays.filter((d) => d.reason === 'holiday').map((d) => d.date)).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']);
    expect(spring.explanation.summary).toContain('2027-02-05 (除夕 Spring Festival Eve (fixed by the holiday regulation; provisional))');

    // Without the regulation's holidays (bare weekdays) the same period would end on Mon 02-08.
    const bare = computeDeadline(Calendar.fromSeed(shipped), { start: at('2027-02-04'), period: { workingDays: 2 } });
    expect(bare.dueDate).toBe('2027-02-08');
  });

  it('a loaded year is not provisional, and its notice wins over the regulation', () => {
    expect(calendar.dayInfo(dayNumber('2026-02-17'))).toMatchObject({ kind: 'holiday', provisional: false, name: '春节 Spring Festival' });
    expect(calendar.dayInfo(dayNumber('2027-02-09'))).toMatchObject({ kind: 'weekday', working: true, provisional: true });
  });

  it('the version covers the provisional data', () => {
    const without = calendarVersionOf(shipped.years);
    const withFixed = calendarVersionOf(shipped.years, seed.provisional);
    expect(withFixed).not.toBe(without);
    expect(seed.version).toBe(withFixed);
    const edited = { ...seed.provisional, '2027': { holidays: { ...seed.provisional!['2027'].holidays, '2027-02-09': 'x' } } };
    expect(calendarVersionOf(shipped.years, edited)).not.toBe(withFixed);
  });
});

describe('a notice for a year setting days of the year before', () => {
  const base: CalendarSeed['years'] = {
    '2030': { notice: 'notice 2030', holidays: { '2030-12-30': 'old' }, makeupWorkdays: { '2030-12-28': '元旦调休' } },
  };
  // The notice for 2031 moves the New Year bridge: 12-28 (Sat) is a rest day again, 12-30 becomes a make-up working day.
  const next: CalendarSeed['years'] = {
    ...base,
    '2031': { notice: 'notice 2031', holidays: { '2030-12-28': '元旦 New Year', '2031-01-01': '元旦 New Year' }, makeupWorkdays: { '2030-12-29': '元旦调休' } },
  };

  it('wins over the earlier notice for those days, also for a case filed in the year before', () => {
    const seed = { version: 'v', years: next };
    const filedIn2030 = Calendar.fromSeed(calendarFrom(seed, 2030));
    expect(filedIn2030.dayInfo(dayNumber('2030-12-28'))).toMatchObject({ kind: 'holiday', working: false, name: '元旦 New Year' });
    expect(filedIn2030.dayInfo(dayNumber('2030-12-29'))).toMatchObject({ kind: 'makeup-workday', working: true });
    expect(filedIn2030.dayInfo(dayNumber('2030-12-30'))).toMatchObject({ kind: 'holiday', name: 'old' });
  });

  it('changed dates: only the days on which the calendars disagree', () => {
    expect(changedDates(Calendar.fromSeed({ version: 'a', years: base }), Calendar.fromSeed({ version: 'b', years: next }))).toEqual([
      '2030-12-28',
      '2030-12-29',
      '2031-01-01',
    ]);
  });

  it('a notice confirming a fixed holiday changes no date; a bridge day does', () => {
    const before = Calendar.fromSeed(withProvisionalYears({ version: 'a', years: base }));
    const loaded = withProvisionalYears({ version: 'b', years: { ...base, '2031': { notice: 'n', holidays: { '2031-01-01': "元旦 New Year's Day", '2031-01-02': '元旦 New Year (bridge)' }, makeupWorkdays: {} } } });
    const changed = changedDates(before, Calendar.fromSeed(loaded));
    expect(changed).toContain('2031-01-02');
    expect(changed).not.toContain('2031-01-01');
    // The provisional range moved on with the last loaded year.
    expect(changed.some((d) => d.startsWith('2041-'))).toBe(true);
  });

  it('calendarFrom keeps the provisional years a case can reach', () => {
    const seed = withProvisionalYears({ version: 'v', years: shipped.years });
    const cut = calendarFrom(seed, 2026);
    expect(Object.keys(cut.years)).toEqual(['2026']);
    expect(Object.keys(cut.provisional ?? {})[0]).toBe('2027');
    expect(cut.version).toBe(seed.version);
  });
});
