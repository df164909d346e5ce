import fs from 'node:fs';
import path from 'node:path';
import { getSolarDateFromLunar, getSolarTermDate } from 'chinese-days';
import { fixedHolidays, provisionalCalendar, PROVISIONAL_YEARS_AHEAD } from '../../src/domain/fixed-holidays';
import type { CalendarSeed } from '../../src/domain/calendar';

// docs/time-rules.md#calendar-coverage: the holidays the national holiday regulation fixes, known before the State Council's notice.
// Hand-known dates: 2027 is the year of the goat (丁未), 春节 = Sat 6 Feb 2027, 除夕 Fri 5 Feb; 2028 (戊申) 春节 =
// Wed 26 Jan 2028; 清明 2027 = 5 Apr, 2028 = 4 Apr; 端午 2027 = Wed 9 Jun, 2028 = Sun 28 May; 中秋 2027 = Wed 15 Sep,
// 2028 = Tue 3 Oct (within National Day).
const shipped = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')) as CalendarSeed;

describe('holidays fixed by the holiday regulation', () => {
  it('2027 (2024 revision: eve and three days of Spring Festival, 1–2 May)', () => {
    const days = fixedHolidays(2027);
    expect(Object.keys(days)).toEqual([
      '2027-01-01',
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-04-05',
      '2027-05-01',
      '2027-05-02',
      '2027-06-09',
      '2027-09-15',
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
    ]);
    expect(days['2027-02-05']).toContain('除夕');
    expect(days['2027-02-06']).toContain('春节');
    expect(days['2027-04-05']).toContain('清明');
    expect(days['2027-06-09']).toContain('端午');
    expect(days['2027-09-15']).toContain('中秋');
  });

  it('2028: Spring Festival on 26 Jan, Mid-Autumn on a National Day (one day, both names)', () => {
    const days = fixedHolidays(2028);
    expect(Object.keys(days)).toEqual([
      '2028-01-01',
      '2028-01-25',
      '2028-01-26',
      '2028-01-27',
      '2028-01-28',
      '2028-04-04',
      '2028-05-01',
      '2028-05-02',
      '2028-05-28',
      '2028-10-01',
      '2028-10-02',
      '2028-10-03',
    ]);
    expect(days['2028-10-03']).toBe('国庆节 National Day、中秋节 Mid-Autumn Festival');
  });

  it('agrees with an independent lunar table (chinese-days) for 2025–2045', () => {
    for (let year = 2025; year <= 2045; year++) {
      const days = fixedHolidays(year);
      const springFestival = getSolarDateFromLunar(`${year}-01-01`).date;
      const expected = [
        springFestival,
        getSolarDateFromLunar(`${year}-05-05`).date,
        getSolarDateFromLunar(`${year}-08-15`).date,
        getSolarTermDate(year, 4, 'pure_brightness'),
      ];
      for (const date of expected) expect({ year, date, fixed: date in days }).toEqual({ year, date, fixed: true });
      const eve = new Date(Date.parse(`${springFestival}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      expect(days[eve]).toContain('除夕');
    }
  });

  it('every fixed holiday of 2004–2026 is a holiday in that year\'s official notice (each revision of the regulation)', () => {
    const official = new Map<string, string>();
    for (const data of Object.values(shipped.years)) for (const [date, name] of Object.entries(data.holidays)) official.set(date, name);
    for (let year = 2004; year <= 2026; year++) {
      for (const date of Object.keys(fixedHolidays(year))) expect({ date, official: official.has(date) }).toEqual({ date, official: true });
    }
    // The revisions differ: 2007 had 1–3 May and no Qingming; 2010 had the eve; 2014 had no eve; 2025 has 2 May.
    expect(Object.keys(fixedHolidays(2007)).filter((d) => d.startsWith('2007-05-'))).toEqual(['2007-05-01', '2007-05-02', '2007-05-03']);
    expect(Object.values(fixedHolidays(2007)).some((n) => n.includes('清明'))).toBe(false);
    expect(fixedHolidays(2010)['2010-02-13']).toContain('除夕');
    expect(Object.values(fixedHolidays(2014)).some((n) => n.includes('除夕'))).toBe(false);
    expect(fixedHolidays(2025)['2025-05-02']).toContain('劳动节');
    expect(fixedHolidays(2024)['2024-05-02']).toBeUndefined();
  });

  it(`covers the years without a notice up to ${PROVISIONAL_YEARS_AHEAD} years past the last loaded one`, () => {
    const provisional = provisionalCalendar([2024, 2026]);
    expect(Object.keys(provisional).map(Number)).toEqual([2004, 2005, 2006, 2007, 2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2025, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035, 2036]);
    expect(provisional['2027'].holidays).toEqual(fixedHolidays(2027));
  });
});
