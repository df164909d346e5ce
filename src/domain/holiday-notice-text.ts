import { dateOf, dayNumber, daysInMonth, weekday } from './local-date';

// Reads the text of a State Council holiday notice (国务院办公厅关于20XX年部分节假日安排的通知) into the days
// PUT /calendar/years/{year} loads. Only the numbered arrangement lines are read ("一、元旦：1月1日（周四）至3日（周六）
// 放假调休，共3天。1月4日（周日）上班。"); the preamble and closing are ignored. Everything the notice states twice is
// checked against itself — the weekday in brackets, "共N天" — so a mistyped date stops the load instead of moving
// deadlines. A line it cannot read is an error naming that line.

export interface NoticeTextItem {
  /** 1-based line of the pasted text. */
  line: number;
  name: string;
  holidays: string[];
  makeupWorkdays: string[];
}

export interface ParsedNoticeText {
  notice: string;
  holidays: Record<string, string>;
  makeupWorkdays: Record<string, string>;
  items: NoticeTextItem[];
}

export class NoticeTextError extends Error {
  constructor(
    readonly line: number | null,
    message: string,
  ) {
    super(line === null ? message : `line ${line}: ${message}`);
  }
}

/** English names beside the Chinese, as the shipped calendar names its days (prisma/calendar). */
const ENGLISH: Record<string, string> = {
  元旦: "New Year's Day",
  春节: 'Spring Festival',
  清明节: 'Qingming Festival',
  劳动节: 'Labour Day',
  端午节: 'Dragon Boat Festival',
  中秋节: 'Mid-Autumn Festival',
  国庆节: 'National Day',
};
const WEEKDAY: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };
const ITEM = /^([一二三四五六七八九十]+)、([^:]+):(.+)$/;
const TITLE = /国务院办公厅关于(\d{4})年部分节假日安排的通知/;
/** A date as notices write it: [YYYY年][M月]D日, then an optional bracket (农历…、周X). */
const DATE = String.raw`(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^)]*)\))?`;
const RANGE = new RegExp(`^${DATE}(?:至${DATE})?放假(?:调休|公休)?(?:,?共(\\d+)天|(\\d+)天)(?:,?不调休)?$`);
const MAKEUP_DAY = new RegExp(`^${DATE}$`);

/** Full-width punctuation and spaces as typed or pasted from a web page. */
function normalise(line: string): string {
  return line
    .replace(/[（]/g, '(')
    .replace(/[）]/g, ')')
    .replace(/[：]/g, ':')
    .replace(/[，]/g, ',')
    .replace(/[\s\u3000]/g, '');
}

const nameOf = (heading: string, suffix: '' | 'make-up') => {
  const english = heading.split('、').map((n) => ENGLISH[n]).filter(Boolean).join(', ');
  if (suffix === '') return english ? `${heading} ${english}` : heading;
  return english ? `${heading}调休 ${english} make-up working day` : `${heading}调休`;
};

export function parseHolidayNoticeText(year: number, text: string): ParsedNoticeText {
  const lines = text.split(/\r?\n/);
  const title = TITLE.exec(text);
  if (title && Number(title[1]) !== year) throw new NoticeTextError(null, `the notice is for ${title[1]}, not ${year}`);
  const holidays: Record<string, string> = {};
  const makeupWorkdays: Record<string, string> = {};
  const items: NoticeTextItem[] = [];
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const m = ITEM.exec(normalise(raw));
    if (!m) return;
    const heading = m[2];
    const fail = (why: string): never => {
      throw new NoticeTextError(lineNo, `${why} — "${raw.trim()}"`);
    };
    const item: NoticeTextItem = { line: lineNo, name: heading, holidays: [], makeupWorkdays: [] };
    const sentences = m[3].split('。').filter((s) => s !== '');
    if (!sentences.length) fail('no arrangement after the colon');
    sentences.forEach((sentence, i) => {
      if (i === 0) {
        const r = RANGE.exec(sentence);
        if (!r) fail(`cannot read "${sentence}" as "M月D日（周X）至D日（周X）放假调休，共N天" or "M月D日（周X）放假1天"`);
        const start = dateFrom(r![1], r![2], r![3], year, null, fail);
        checkWeekday(start, r![4], fail);
        let end = start;
        if (r![7] !== undefined) {
          end = dateFrom(r![5], r![6], r![7], year, start, fail);
          checkWeekday(end, r![8], fail);
        }
        const count = Number(r![9] ?? r![10]);
        const span = dayNumber(end) - dayNumber(start) + 1;
        if (span < 1) fail(`${end} is before ${start}`);
        if (span !== count) fail(`${start} to ${end} is ${span} day(s), but the line says ${count}`);
        for (let d = dayNumber(start); d <= dayNumber(end); d++) {
          const date = dateOf(d);
          if (date in holidays) fail(`${date} is already a holiday of an earlier line`);
          holidays[date] = nameOf(heading, '');
          item.holidays.push(date);
        }
        return;
      }
      if (!sentence.endsWith('上班')) fail(`cannot read "${sentence}": expected "M月D日（周X）上班"`);
      for (const part of sentence.slice(0, -2).split('、')) {
        const d = MAKEUP_DAY.exec(part);
        if (!d || d[2] === undefined) fail(`cannot read "${part}" as a date "M月D日（周X）"`);
        const date = dateFrom(d![1], d![2], d![3], year, null, fail);
        checkWeekday(date, d![4], fail);
        const wd = weekday(dayNumber(date));
        if (wd !== 0 && wd !== 6) fail(`${date} is not a Saturday or Sunday, so it cannot be a make-up working day`);
        makeupWorkdays[date] = nameOf(heading, 'make-up');
        item.makeupWorkdays.push(date);
      }
    });
    items.push(item);
  });
  if (!items.length) throw new NoticeTextError(null, 'no arrangement line found: expected lines like "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。"');
  const clash = Object.keys(makeupWorkdays).find((d) => d in holidays);
  if (clash) throw new NoticeTextError(items.find((i) => i.makeupWorkdays.includes(clash))!.line, `${clash} is both a holiday and a make-up working day`);
  return { notice: title ? title[0] : `国务院办公厅关于${year}年部分节假日安排的通知`, holidays, makeupWorkdays, items };
}

/** A date of the notice: the year is the notice's unless written; an end date without a month is in the start's month. */
function dateFrom(y: string | undefined, m: string | undefined, d: string, noticeYear: number, start: string | null, fail: (why: string) => never): string {
  let year = y ? Number(y) : start ? Number(start.slice(0, 4)) : noticeYear;
  let month: number;
  if (m !== undefined) month = Number(m);
  else if (start) month = Number(start.slice(5, 7));
  else return fail(`the date "${d}日" has no month`);
  // "12月31日至1月2日" without years crosses into the next year.
  if (start && !y && month < Number(start.slice(5, 7))) year += 1;
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) fail(`${year}年${month}月${day}日 is not a real date`);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The bracket's 周X / 星期X must be the date's weekday; a bracket without one (农历 only) is not checked. */
function checkWeekday(date: string, bracket: string | undefined, fail: (why: string) => never): void {
  const w = bracket && /(?:周|星期)([日天一二三四五六])/.exec(bracket);
  if (!w) return;
  const actual = weekday(dayNumber(date));
  if (WEEKDAY[w[1]] !== actual) fail(`${date} is a ${['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][actual]}, but the notice says ${w[0]}`);
}
