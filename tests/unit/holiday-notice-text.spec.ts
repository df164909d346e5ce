import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CalendarSeed } from '../../src/domain/calendar';
import { NoticeTextError, parseHolidayNoticeText } from '../../src/domain/holiday-notice-text';

// The real notice texts (tests/fixtures/holiday-notices, as Xinhua published them) read into exactly the days of the
// shipped calendar, which was built from another source (chinese-days): two sources agreeing on every date.
const shipped = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')) as CalendarSeed;
const text = (year: number) => readFileSync(path.join(__dirname, '..', 'fixtures', 'holiday-notices', `${year}.txt`), 'utf8');
const sorted = (o: Record<string, string>) => Object.keys(o).sort();

describe.each([2025, 2026])('the %i notice text', (year) => {
  const parsed = parseHolidayNoticeText(year, text(year));

  it('reads the same holidays and make-up working days as the shipped calendar', () => {
    expect(parsed.notice).toBe(shipped.years[String(year)].notice);
    expect(sorted(parsed.holidays)).toEqual(sorted(shipped.years[String(year)].holidays));
    expect(sorted(parsed.makeupWorkdays)).toEqual(sorted(shipped.years[String(year)].makeupWorkdays));
  });

  it('names each day after its line, as the shipped calendar does where the line names one festival', () => {
    for (const [date, name] of Object.entries(parsed.holidays)) {
      if (!name.includes('、')) expect(name).toBe(shipped.years[String(year)].holidays[date]);
    }
    for (const [date, name] of Object.entries(parsed.makeupWorkdays)) {
      if (!name.includes('、')) expect(name).toBe(shipped.years[String(year)].makeupWorkdays[date]);
    }
  });
});

describe('the 2026 notice text, line by line', () => {
  const parsed = parseHolidayNoticeText(2026, text(2026));

  it('keeps the line of each arrangement', () => {
    const national = parsed.items.find((i) => i.name === '国庆节')!;
    expect(text(2026).split('\n')[national.line - 1]).toMatch(/^七、国庆节/);
    expect(national.holidays).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']);
    expect(national.makeupWorkdays).toEqual(['2026-09-20', '2026-10-10']);
    expect(parsed.items.map((i) => i.name)).toEqual(['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节']);
  });

  it('reads half-width punctuation and spaces as pasted from a web page', () => {
    const ascii = text(2026).replace(/（/g, '(').replace(/）/g, ')').replace(/：/g, ': ').replace(/，/g, ', ');
    expect(parseHolidayNoticeText(2026, ascii)).toEqual(parsed);
  });
});

describe('a text it cannot read is refused, naming the line', () => {
  const lines = text(2026).split('\n');
  const lineOf = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix)) + 1;
  const refusal = (year: number, t: string): NoticeTextError => {
    try {
      parseHolidayNoticeText(year, t);
    } catch (error) {
      if (error instanceof NoticeTextError) return error;
      throw error;
    }
    throw new Error('not refused');
  };

  it('a weekday that is not the date’s', () => {
    const e = refusal(2026, text(2026).replace('1月4日（周日）上班', '1月4日（周一）上班'));
    expect(e.line).toBe(lineOf('一、元旦'));
    expect(e.message).toMatch(/^line \d+: 2026-01-04 is a Sunday, but the notice says 周一/);
  });

  it('a day count that is not the range’s', () => {
    const e = refusal(2026, text(2026).replace('放假调休，共7天', '放假调休，共8天'));
    expect(e.line).toBe(lineOf('七、国庆节'));
    expect(e.message).toContain('2026-10-01 to 2026-10-07 is 7 day(s), but the line says 8');
  });

  it('a sentence in no known form', () => {
    const e = refusal(2026, text(2026).replace('5月9日（周六）上班', '5月9日（周六）补班'));
    expect(e.line).toBe(lineOf('四、劳动节'));
    expect(e.message).toContain('补班');
  });

  it('a make-up working day on a weekday, a date that does not exist, a day both off and worked', () => {
    expect(refusal(2026, '一、元旦：1月1日（周四）放假1天。1月5日（周一）上班。').message).toContain('2026-01-05 is not a Saturday or Sunday');
    expect(refusal(2026, '一、元旦：2月30日至3月1日放假，共1天。').message).toContain('2026年2月30日 is not a real date');
    expect(refusal(2026, '一、元旦：1月3日（周六）放假1天。1月3日（周六）上班。')).toMatchObject({ line: 1, message: expect.stringContaining('both a holiday and a make-up working day') });
  });

  it('a notice of another year, or a text with no arrangement line', () => {
    expect(refusal(2025, text(2026)).message).toBe('the notice is for 2026, not 2025');
    expect(refusal(2026, '国务院办公厅关于2026年部分节假日安排的通知\n放假安排另行通知')).toMatchObject({ line: null, message: expect.stringContaining('no arrangement line found') });
  });

  it('a year written on a date (a December day of the year before) is that year, and a range may cross into January', () => {
    const p = parseHolidayNoticeText(2019, '一、元旦：2018年12月30日（周日）至2019年1月1日（周二）放假调休，共3天。2018年12月29日（周六）上班。');
    expect(sorted(p.holidays)).toEqual(['2018-12-30', '2018-12-31', '2019-01-01']);
    expect(sorted(p.makeupWorkdays)).toEqual(['2018-12-29']);
  });
});
