/**
 * Legal examples: an independent oracle for deadline computation (docs/time-rules.md).
 *
 * Every expected date below was worked out by hand from the official calendar
 * (prisma/calendar/cn-2004-2026.json, i.e. the State Council holiday notices), not by calling
 * any implementation. The calendar facts each row relies on:
 *
 *   2026 holidays      元旦 01-01..01-03 | 春节 02-15..02-23 | 清明 04-04..04-06 | 劳动节 05-01..05-05
 *                      端午 06-19..06-21 | 中秋 09-25..09-27 | 国庆 10-01..10-07
 *   2026 make-up days  01-04 Sun, 02-14 Sat, 02-28 Sat, 05-09 Sat, 09-20 Sun, 10-10 Sat
 *   2015               抗战胜利纪念日 09-03..09-05, make-up 09-06 Sun
 *   2027+ / pre-2004   no notice loaded: weekdays only, provisional
 *
 * A date D ends at 24:00 Asia/Shanghai = D T16:00:00.000Z.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Calendar } from '../../src/domain/calendar';
import { computeDeadline } from '../../src/domain/periods';

type Seed = Parameters<typeof Calendar.fromSeed>[0];
type Input = Parameters<typeof computeDeadline>[1];

const seed = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8'),
) as Seed & { version: string };
const calendar = Calendar.fromSeed(seed);

interface Row {
  label: string;
  start: string;
  period: Input['period'];
  suspensions?: NonNullable<Input['suspensions']>;
  /** YYYY-MM-DD (Asia/Shanghai), or null while the clock is stopped. */
  due: string | null;
  /** Omitted for rows without a due date. */
  provisional?: boolean;
}

const SH = '+08:00';
const at = (date: string, time = '10:00:00') => `${date}T${time}${SH}`;

const rows: Row[] = [
  // ---- plain weeks (March 2026 has no holidays) -----------------------------------------------
  { label: 'plain: Mon + 1 working day = Tue', start: at('2026-03-09'), period: { workingDays: 1 }, due: '2026-03-10', provisional: false },
  { label: 'plain: Tue + 5 working days crosses one weekend', start: at('2026-03-10'), period: { workingDays: 5 }, due: '2026-03-17', provisional: false },
  { label: 'plain: Thu + 2 working days = Fri, Mon', start: at('2026-03-12'), period: { workingDays: 2 }, due: '2026-03-16', provisional: false },
  { label: 'event on Friday: weekend skipped, 1 wd = Mon', start: at('2026-03-13'), period: { workingDays: 1 }, due: '2026-03-16', provisional: false },
  { label: 'event on Friday: 3 wd = Mon, Tue, Wed', start: at('2026-03-13'), period: { workingDays: 3 }, due: '2026-03-18', provisional: false },
  { label: 'event on Saturday changes nothing: counting starts Mon', start: at('2026-03-14'), period: { workingDays: 1 }, due: '2026-03-16', provisional: false },
  { label: 'event on Sunday: 5 wd = Mon..Fri', start: at('2026-03-15'), period: { workingDays: 5 }, due: '2026-03-20', provisional: false },

  // ---- make-up working days (调休上班) count -----------------------------------------------------
  { label: 'make-up Sunday 2026-09-20 counts: Fri + 1 wd = Sun 09-20', start: at('2026-09-18'), period: { workingDays: 1 }, due: '2026-09-20', provisional: false },
  { label: 'event on ordinary Sat 09-19: next day is the make-up Sunday', start: at('2026-09-19'), period: { workingDays: 1 }, due: '2026-09-20', provisional: false },
  { label: 'event on the make-up Sunday itself: its date is not counted', start: at('2026-09-20'), period: { workingDays: 1 }, due: '2026-09-21', provisional: false },
  { label: '2 wd from Fri 09-18: Sun 09-20 (make-up), Mon 09-21', start: at('2026-09-18'), period: { workingDays: 2 }, due: '2026-09-21', provisional: false },
  { label: '2 wd from Wed 09-23 skip Mid-Autumn 09-25..27', start: at('2026-09-23'), period: { workingDays: 2 }, due: '2026-09-28', provisional: false },

  // ---- National Day 2026 (10-01..10-07, make-up Sat 10-10), event Wed 09-30 ------------------------
  { label: 'National Day: 1 wd = Thu 10-08', start: at('2026-09-30'), period: { workingDays: 1 }, due: '2026-10-08', provisional: false },
  { label: 'National Day: 2 wd = Fri 10-09', start: at('2026-09-30'), period: { workingDays: 2 }, due: '2026-10-09', provisional: false },
  { label: 'National Day: 3 wd lands on make-up Sat 10-10', start: at('2026-09-30'), period: { workingDays: 3 }, due: '2026-10-10', provisional: false },
  { label: 'National Day: 7 wd (08,09,10,12,13,14,15)', start: at('2026-09-30'), period: { workingDays: 7 }, due: '2026-10-15', provisional: false },
  { label: 'National Day: 20 wd = Tue 11-03', start: at('2026-09-30'), period: { workingDays: 20 }, due: '2026-11-03', provisional: false },
  { label: 'event on a National Day holiday (Sat 10-03): 1 wd = 10-08', start: at('2026-10-03'), period: { workingDays: 1 }, due: '2026-10-08', provisional: false },

  // ---- Spring Festival 2026 (02-15..02-23, make-up Sat 02-14 and 02-28), event Fri 02-13 ----------
  { label: 'Spring Festival: 1 wd = make-up Sat 02-14', start: at('2026-02-13'), period: { workingDays: 1 }, due: '2026-02-14', provisional: false },
  { label: 'Spring Festival: 3 wd = 02-14, 02-24, 02-25', start: at('2026-02-13'), period: { workingDays: 3 }, due: '2026-02-25', provisional: false },
  { label: 'Spring Festival: 7 wd counts make-up Sat 02-28, ends Mon 03-02', start: at('2026-02-13'), period: { workingDays: 7 }, due: '2026-03-02', provisional: false },
  { label: 'Spring Festival: 20 wd = Thu 03-19', start: at('2026-02-13'), period: { workingDays: 20 }, due: '2026-03-19', provisional: false },
  { label: 'event on the make-up Sat 02-14: next wd is after the holiday', start: at('2026-02-14'), period: { workingDays: 1 }, due: '2026-02-24', provisional: false },
  { label: 'event inside Spring Festival (02-17): 2 wd = 02-24, 02-25', start: at('2026-02-17'), period: { workingDays: 2 }, due: '2026-02-25', provisional: false },

  // ---- other notices ------------------------------------------------------------------------
  { label: 'New Year: 2025-12-31 + 1 wd = make-up Sun 2026-01-04', start: at('2025-12-31'), period: { workingDays: 1 }, due: '2026-01-04', provisional: false },
  { label: 'Labour Day: 04-30 + 5 wd counts make-up Sat 05-09', start: at('2026-04-30'), period: { workingDays: 5 }, due: '2026-05-11', provisional: false },
  { label: '2015 Victory Day: 09-02 + 1 wd = make-up Sun 2015-09-06', start: at('2015-09-02'), period: { workingDays: 1 }, due: '2015-09-06', provisional: false },

  // ---- the Asia/Shanghai date of the event is used, not the UTC date ----------------------------
  { label: '2026-09-29T16:30Z is 00:30 on 30 Sep in Shanghai: 1 wd = 10-08', start: '2026-09-29T16:30:00Z', period: { workingDays: 1 }, due: '2026-10-08', provisional: false },
  { label: '2026-02-13T16:30Z is 00:30 on make-up Sat 02-14 in Shanghai', start: '2026-02-13T16:30:00Z', period: { workingDays: 1 }, due: '2026-02-24', provisional: false },
  { label: '23:30 Shanghai on Fri 02-13 (15:30Z) is still 02-13', start: '2026-02-13T15:30:00Z', period: { workingDays: 1 }, due: '2026-02-14', provisional: false },
  { label: '2026-03-13T16:00Z is 00:00 Sat 03-14 Shanghai: 3 days = Tue 03-17', start: '2026-03-13T16:00:00Z', period: { days: 3 }, due: '2026-03-17', provisional: false },

  // ---- calendar days (Art. 203 roll-forward) --------------------------------------------------
  { label: 'days: 1 day after Wed = Thu (event date not counted)', start: at('2026-03-04'), period: { days: 1 }, due: '2026-03-05', provisional: false },
  { label: 'days: 15 days ends on an ordinary Tue, stays', start: at('2026-03-02'), period: { days: 15 }, due: '2026-03-17', provisional: false },
  { label: 'days: 10 days lands on ordinary Sat 03-14, rolls to Mon', start: at('2026-03-04'), period: { days: 10 }, due: '2026-03-16', provisional: false },
  { label: 'days: 10 days lands on National Day (Sat 10-03), rolls to 10-08', start: at('2026-09-23'), period: { days: 10 }, due: '2026-10-08', provisional: false },
  { label: 'days: 10 days lands on Spring Festival 02-15, rolls to 02-24', start: at('2026-02-05'), period: { days: 10 }, due: '2026-02-24', provisional: false },
  { label: 'days: 10 days lands on make-up Sun 09-20, stays', start: at('2026-09-10'), period: { days: 10 }, due: '2026-09-20', provisional: false },
  { label: 'days: 10 days lands on make-up Sat 02-28, stays', start: at('2026-02-18'), period: { days: 10 }, due: '2026-02-28', provisional: false },

  // ---- months / years (Art. 202 + Art. 203) ----------------------------------------------------
  { label: 'months: 2025-12-31 + 2 = 2026-02-28 (no 31 Feb; make-up Sat stays)', start: at('2025-12-31'), period: { months: 2 }, due: '2026-02-28', provisional: false },
  { label: 'months: 2026-01-31 + 1 = 02-28 (last day of Feb)', start: at('2026-01-31'), period: { months: 1 }, due: '2026-02-28', provisional: false },
  { label: 'months: leap year 2024-01-31 + 1 = 2024-02-29', start: at('2024-01-31'), period: { months: 1 }, due: '2024-02-29', provisional: false },
  { label: 'months: 2026-03-31 + 1 = 04-30 (no 31 Apr), Thu stays', start: at('2026-03-31'), period: { months: 1 }, due: '2026-04-30', provisional: false },
  { label: 'months: 2026-08-01 + 2 = 10-01 National Day, rolls to 10-08', start: at('2026-08-01'), period: { months: 2 }, due: '2026-10-08', provisional: false },
  { label: 'months: 2026-03-31 + 2 = Sun 05-31, rolls to Mon 06-01', start: at('2026-03-31'), period: { months: 2 }, due: '2026-06-01', provisional: false },
  { label: 'months: 2026-04-05 + 1 = 05-05 Labour Day, rolls to 05-06', start: at('2026-04-05'), period: { months: 1 }, due: '2026-05-06', provisional: false },
  { label: 'years: 2025-02-28 + 1 = 2026-02-28, make-up Sat stays', start: at('2025-02-28'), period: { years: 1 }, due: '2026-02-28', provisional: false },
  { label: 'years: 2024-02-29 + 1 = 2025-02-28 (no 29 Feb), Fri', start: at('2024-02-29'), period: { years: 1 }, due: '2025-02-28', provisional: false },
  { label: 'years: 2025-10-01 + 1 = 2026-10-01 National Day, rolls to 10-08', start: at('2025-10-01'), period: { years: 1 }, due: '2026-10-08', provisional: false },

  // ---- calendar coverage (docs/time-rules.md#calendar-coverage) ---------------------------------------------------------------
  { label: 'coverage: 2026-12-28 + 3 wd ends 12-31, inside 2026: not provisional', start: at('2026-12-28'), period: { workingDays: 3 }, due: '2026-12-31', provisional: false },
  { label: 'coverage: 2026-12-31 + 1 wd reaches 2027 (weekdays only: Fri 01-01 counts)', start: at('2026-12-31'), period: { workingDays: 1 }, due: '2027-01-01', provisional: true },
  { label: 'coverage: 2026-12-28 + 5 wd = 2027-01-04, provisional', start: at('2026-12-28'), period: { workingDays: 5 }, due: '2027-01-04', provisional: true },
  { label: 'coverage: 2026-12-17 + 15 days = Fri 2027-01-01, weekday stays, provisional', start: at('2026-12-17'), period: { days: 15 }, due: '2027-01-01', provisional: true },
  { label: 'coverage: 2026-12-15 + 1 month = 2027-01-15, provisional', start: at('2026-12-15'), period: { months: 1 }, due: '2027-01-15', provisional: true },
  { label: 'coverage: before 2004 (2003-12-29 + 2 wd), provisional', start: at('2003-12-29'), period: { workingDays: 2 }, due: '2003-12-31', provisional: true },

  // ---- clock suspensions (docs/time-rules.md#suspension), baseline Mon 2026-03-02 + 5 wd = 03-09 -------------------------
  { label: 'suspension baseline: Mon 03-02 + 5 wd = Mon 03-09', start: at('2026-03-02'), period: { workingDays: 5 }, due: '2026-03-09', provisional: false },
  {
    label: 'suspension 03-04 09:00 → 03-06 09:00: 04 and 05 not counted',
    start: at('2026-03-02'),
    period: { workingDays: 5 },
    suspensions: [{ from: at('2026-03-04', '09:00:00'), to: at('2026-03-06', '09:00:00'), reason: 'expert-review' }],
    due: '2026-03-11',
    provisional: false,
  },
  {
    label: 'suspension 10:00 → 15:00 the same day: clock runs at 24:00, day counts',
    start: at('2026-03-02'),
    period: { workingDays: 5 },
    suspensions: [{ from: at('2026-03-04', '10:00:00'), to: at('2026-03-04', '15:00:00'), reason: 'correction' }],
    due: '2026-03-09',
    provisional: false,
  },
  {
    label: 'suspension ending exactly at 00:00 on 03-05: 03-04 does not count',
    start: at('2026-03-02'),
    period: { workingDays: 5 },
    suspensions: [{ from: at('2026-03-04', '10:00:00'), to: at('2026-03-05', '00:00:00'), reason: 'correction' }],
    due: '2026-03-10',
    provisional: false,
  },
  {
    label: 'one-hour suspension across midnight (UTC instants) costs the day 03-04',
    start: at('2026-03-02'),
    period: { workingDays: 5 },
    suspensions: [{ from: '2026-03-04T15:30:00Z', to: '2026-03-04T16:30:00Z', reason: 'correction' }],
    due: '2026-03-10',
    provisional: false,
  },
  {
    label: 'two suspensions: 03-03 and 03-06 (plus its weekend) not counted',
    start: at('2026-03-02'),
    period: { workingDays: 5 },
    suspensions: [
      { from: at('2026-03-03', '10:00:00'), to: at('2026-03-04', '10:00:00'), reason: 'correction' },
      { from: at('2026-03-06', '12:00:00'), to: at('2026-03-09', '09:00:00'), reason: 'expert-review' },
    ],
    due: '2026-03-11',
    provisional: false,
  },
  {
    label: 'open suspension (no `to`): no due date',
    start: at('2026-03-02'),
    period: { workingDays: 5 },
    suspensions: [{ from: at('2026-03-04', '10:00:00'), reason: 'expert-review' }],
    due: null,
  },
  {
    label: 'suspension over National Day holidays only changes nothing',
    start: at('2026-09-30'),
    period: { workingDays: 3 },
    suspensions: [{ from: at('2026-10-01', '09:00:00'), to: at('2026-10-07', '18:00:00'), reason: 'correction' }],
    due: '2026-10-10',
    provisional: false,
  },
  {
    label: 'suspension from make-up Sat 02-14 to 02-24 noon: 02-14 lost, 3 wd = 02-26',
    start: at('2026-02-13'),
    period: { workingDays: 3 },
    suspensions: [{ from: at('2026-02-14', '08:00:00'), to: at('2026-02-24', '12:00:00'), reason: 'correction' }],
    due: '2026-02-26',
    provisional: false,
  },
  // ---- the procedures' month and day clocks (credit commitment, star rating, listing, repair, Art. 38, Art. 41) ----
  { label: 'commitment (Art. 46): licence 2025-12-31 + 2 months = Feb 28, a make-up Saturday, stays', start: at('2025-12-31'), period: { months: 2 }, due: '2026-02-28', provisional: false },
  { label: 'commitment: 2025-12-30 + 2 months: no Feb 30, last day Feb 28 (make-up Saturday)', start: at('2025-12-30'), period: { months: 2 }, due: '2026-02-28', provisional: false },
  { label: 'commitment: 2026-01-31 + 2 months = Tue Mar 31', start: at('2026-01-31'), period: { months: 2 }, due: '2026-03-31', provisional: false },
  { label: 'commitment: 2026-08-31 + 2 months = Sat Oct 31, rolled over the weekend to Mon Nov 2', start: at('2026-08-31'), period: { months: 2 }, due: '2026-11-02', provisional: false },
  { label: 'commitment: 2026-03-05 + 2 months = May 5 (Labour Day), rolled to Wed May 6', start: at('2026-03-05'), period: { months: 2 }, due: '2026-05-06', provisional: false },
  { label: 'commitment: 2026-08-01 + 2 months = Oct 1 (National Day), rolled to Thu Oct 8', start: at('2026-08-01'), period: { months: 2 }, due: '2026-10-08', provisional: false },
  { label: 'commitment: 2025-12-19 + 2 months = Feb 19 (Spring Festival), rolled to Tue Feb 24', start: at('2025-12-19'), period: { months: 2 }, due: '2026-02-24', provisional: false },
  { label: 'publicity (Jiangbei Art. 9): 7 days from Sep 24 end Oct 1 (National Day), rolled to Oct 8', start: at('2026-09-24'), period: { days: 7 }, due: '2026-10-08', provisional: false },
  { label: 'publicity: 7 days from Sun Sep 13 end on the make-up Sunday Sep 20, which stays', start: at('2026-09-13'), period: { days: 7 }, due: '2026-09-20', provisional: false },
  { label: 'publicity: 7 days from Sat Feb 7 end on the make-up Saturday Feb 14, which stays', start: at('2026-02-07'), period: { days: 7 }, due: '2026-02-14', provisional: false },
  { label: 'publicity: 7 days from Tue Feb 10 end Feb 17 (Spring Festival), rolled to Tue Feb 24', start: at('2026-02-10'), period: { days: 7 }, due: '2026-02-24', provisional: false },
  { label: 'publicity: 7 days from Tue Apr 28 end May 5 (Labour Day), rolled to Wed May 6', start: at('2026-04-28'), period: { days: 7 }, due: '2026-05-06', provisional: false },
  { label: 'nameplate (Art. 11): 1 month from Jan 31: no Feb 31, Feb 28 is a make-up Saturday', start: at('2026-01-31'), period: { months: 1 }, due: '2026-02-28', provisional: false },
  { label: 'nameplate: 1 month from Mar 31: no Apr 31, Thu Apr 30', start: at('2026-03-31'), period: { months: 1 }, due: '2026-04-30', provisional: false },
  { label: 'nameplate: 1 month from Sep 1 = Oct 1 (National Day), rolled to Oct 8', start: at('2026-09-01'), period: { months: 1 }, due: '2026-10-08', provisional: false },
  { label: 'rating validity (Art. 10): 2 years from 2024-02-29: no Feb 29 in 2026, Feb 28 (make-up Saturday)', start: at('2024-02-29'), period: { years: 2 }, due: '2026-02-28', provisional: false },
  { label: 'rating validity: 2 years from 2024-06-19 = Jun 19 2026 (Dragon Boat), rolled to Mon Jun 22', start: at('2024-06-19'), period: { years: 2 }, due: '2026-06-22', provisional: false },
  { label: 'second-year review: 1 year from 2025-10-01 = Oct 1 2026, rolled to Oct 8', start: at('2025-10-01'), period: { years: 1 }, due: '2026-10-08', provisional: false },
  { label: 'listing (Art. 28): 3 years from 2023-10-03 = Oct 3 2026 (National Day), rolled to Oct 8', start: at('2023-10-03'), period: { years: 3 }, due: '2026-10-08', provisional: false },
  { label: 'listing: 1 year from 2025-05-01 = May 1 2026 (Labour Day), rolled to May 6', start: at('2025-05-01'), period: { years: 1 }, due: '2026-05-06', provisional: false },
  { label: 'listing: 6 months from 2025-08-31: no Feb 31, Feb 28 (make-up Saturday)', start: at('2025-08-31'), period: { months: 6 }, due: '2026-02-28', provisional: false },
  { label: 'rectification: 30 days from Sep 1 = Oct 1 (National Day), rolled to Oct 8', start: at('2026-09-01'), period: { days: 30 }, due: '2026-10-08', provisional: false },
  { label: 'complaint reply (Art. 41): 20 wd from Mon Sep 21 over Mid-Autumn, National Day and the make-up Sat Oct 10', start: at('2026-09-21'), period: { workingDays: 20 }, due: '2026-10-26', provisional: false },
  { label: 'repair acceptance (local policy): 2 wd from Sep 30 = Oct 8, Oct 9', start: at('2026-09-30'), period: { workingDays: 2 }, due: '2026-10-09', provisional: false },
  { label: 'repair decision: 5 wd from Oct 9: make-up Sat Oct 10, then Oct 12–15', start: at('2026-10-09'), period: { workingDays: 5 }, due: '2026-10-15', provisional: false },
  { label: 'agency applies (Art. 38 ¶2): 1 wd from Fri Feb 13 = the make-up Saturday Feb 14', start: at('2026-02-13'), period: { workingDays: 1 }, due: '2026-02-14', provisional: false },
  { label: 'provider files (Art. 38 ¶2): 2 wd from Thu Apr 2 = Fri Apr 3, then Qingming 4–6, Tue Apr 7', start: at('2026-04-02'), period: { workingDays: 2 }, due: '2026-04-07', provisional: false },
  { label: 'docs/time-rules.md#suspension: a suspension starting Oct 3, a day the Art. 203 roll-forward added, still stops the clock (open: no due date)', start: at('2026-09-24'), period: { days: 7 }, suspensions: [{ from: at('2026-10-03') }], due: null },
  { label: 'docs/time-rules.md#suspension: the same suspension resumed Oct 9 10:00: the period ends on the first working day it runs through, Fri Oct 9', start: at('2026-09-24'), period: { days: 7 }, suspensions: [{ from: at('2026-10-03'), to: at('2026-10-09') }], due: '2026-10-09', provisional: false },
  { label: 'docs/time-rules.md#suspension: a suspension starting after the due instant changes nothing', start: at('2026-09-24'), period: { days: 7 }, suspensions: [{ from: at('2026-10-09'), to: at('2026-10-12') }], due: '2026-10-08', provisional: false },
];

describe('legal examples (hand-computed from the official calendar)', () => {
  it('uses the seed calendar version', () => {
    expect(seed.version).toBe('cn-official-2004-2026.1');
  });

  it.each(rows)('$label', (row) => {
    const result = computeDeadline(calendar, {
      start: row.start,
      period: row.period,
      ...(row.suspensions ? { suspensions: row.suspensions } : {}),
    });

    expect(result.dueDate).toBe(row.due);
    // 24:00 Asia/Shanghai of D is D T16:00:00.000Z.
    expect(result.dueAt).toBe(row.due === null ? null : `${row.due}T16:00:00.000Z`);
    if (row.provisional !== undefined) expect(result.provisional).toBe(row.provisional);
    expect(result.calendarVersion).toBe(seed.version);
  });

  it('dueAt is 24:00 Asia/Shanghai of the due date, as a UTC instant', () => {
    const nationalDay = computeDeadline(calendar, { start: at('2026-09-30'), period: { workingDays: 1 } });
    expect(nationalDay.dueDate).toBe('2026-10-08');
    expect(nationalDay.dueAt).toBe('2026-10-08T16:00:00.000Z');
    expect(Date.parse(nationalDay.dueAt!)).toBe(Date.parse('2026-10-09T00:00:00+08:00'));

    const makeupSaturday = computeDeadline(calendar, { start: at('2025-12-31'), period: { months: 2 } });
    expect(makeupSaturday.dueAt).toBe('2026-02-28T16:00:00.000Z');
    expect(Date.parse(makeupSaturday.dueAt!)).toBe(Date.parse('2026-03-01T00:00:00+08:00'));
  });

  it('has enough rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(36);
    expect(new Set(rows.map((r) => r.label)).size).toBe(rows.length);
  });
});

// ---- the explanation is part of the legal answer: each row pins how the date was reached ----------------------
// Worked out by hand from the calendar facts in the header (国庆 10-01..10-07, make-up Sat 10-10; 2026-02-28 a make-up
// Saturday), not by calling the implementation.
const ND = '国庆节 National Day';
const ART201 = 'Civil Code Art. 201 (the starting day is not counted)';
const ART82 = 'Administrative Licensing Law Art. 82 (working days exclude statutory holidays)';
const ART202 = 'Civil Code Art. 202 (corresponding day of the final month, or its last day)';
const ROLL = 'Civil Code Art. 203 (a period ending on a statutory rest day ends on the next working day)';
const NOTICES = 'State Council holiday notices (official holidays and make-up working days)';
const END_OF_DAY = 'Civil Code Art. 203 (the last day ends at 24:00)';
const SUSPENSION = 'docs/time-rules.md#suspension (a day counts only if the clock runs at its close)';
const holidays = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ({ date: `2026-10-0${from + i}`, reason: 'holiday', name: ND }));

describe('the explanation of a date', () => {
  it.each([
    {
      label: '3 working days from Wed 09-30: the seven National Day holidays skipped by name, the make-up Saturday counted',
      input: { start: at('2026-09-30'), period: { workingDays: 3 }, startEvent: 'objection received' },
      expected: {
        rule: 'working-days',
        basis: [ART201, ART82, NOTICES, END_OF_DAY],
        countedDays: ['2026-10-08', '2026-10-09', '2026-10-10'],
        makeupWorkdaysCounted: [{ date: '2026-10-10', name: '国庆节调休 National Day make-up working day' }],
        skippedDays: holidays(1, 7),
        rolledForward: undefined,
        dueDate: '2026-10-10',
        provisional: false,
      },
    },
    {
      label: '5 calendar days from Mon 09-28 end on the holiday 10-03 and roll forward to Thu 10-08 (Art. 203)',
      input: { start: at('2026-09-28'), period: { days: 5 }, startEvent: 'publicity starts' },
      expected: {
        rule: 'calendar-days',
        basis: [ART201, ROLL, NOTICES, END_OF_DAY],
        countedDays: ['2026-09-29', '2026-09-30', '2026-10-01', '2026-10-02', '2026-10-03'],
        skippedDays: [],
        rolledForward: { from: '2026-10-03', to: '2026-10-08', basis: ROLL, skipped: holidays(3, 7) },
        dueDate: '2026-10-08',
      },
    },
    {
      label: '2 months from 2025-12-31 end on 02-28, a make-up Saturday: a working day, no roll-forward (Art. 202)',
      input: { start: at('2025-12-31'), period: { months: 2 }, startEvent: 'licence decided' },
      expected: { rule: 'months', basis: [ART201, ART202, ROLL, NOTICES, END_OF_DAY], countedDays: [], skippedDays: [], rolledForward: undefined, dueDate: '2026-02-28' },
    },
    {
      label: '3 working days from Mon 09-28 with testing 09-29 10:00 → 09-30 11:00: 09-29 not counted (stopped at its close), 09-30 counted',
      input: {
        start: at('2026-09-28'),
        period: { workingDays: 3 },
        startEvent: 'objection received',
        suspensions: [{ from: at('2026-09-29'), to: at('2026-09-30', '11:00:00'), reason: 'testing' }],
      },
      expected: {
        basis: [ART201, ART82, NOTICES, SUSPENSION, END_OF_DAY],
        countedDays: ['2026-09-30', '2026-10-08', '2026-10-09'],
        skippedDays: [{ date: '2026-09-29', reason: 'suspended', name: 'testing' }, ...holidays(1, 7)],
        suspensions: [{ from: at('2026-09-29'), to: at('2026-09-30', '11:00:00'), reason: 'testing', daysNotCounted: ['2026-09-29'] }],
        dueDate: '2026-10-09',
      },
    },
    {
      label: 'a listing that only burdens the subject is not rolled forward: 1 month from 09-05 ends on the holiday 10-05 itself (decision 0012)',
      input: { start: at('2026-09-05'), period: { months: 1 }, startEvent: 'listing decision', noRestDayRoll: 'a listing period only ends a burden on the subject' },
      expected: { rule: 'months', basis: [ART201, ART202, NOTICES, END_OF_DAY], rolledForward: undefined, noRestDayRoll: 'a listing period only ends a burden on the subject', dueDate: '2026-10-05' },
    },
  ])('$label', ({ input, expected }) => {
    expect(computeDeadline(calendar, input as Input).explanation).toMatchObject(expected);
  });
});
