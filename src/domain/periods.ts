import { Calendar, DayInfo } from './calendar';
import { addMonths, dateOf, dayNumber, endOfShanghaiDay, instantMs, shanghaiDay, toIso, yearOf } from './local-date';

export type Period = { workingDays: number } | { days: number } | { months: number } | { years: number };
export type ExtensionPeriod = { workingDays: number } | { days: number };

/** Time that by law does not count (docs/time-rules.md#suspension). `to` missing: the clock is still stopped. */
export interface ClockSuspension {
  from: string;
  to?: string;
  reason?: string;
}

/** docs/time-rules.md#extension: granted by a supervisor before the deadline passed. */
export interface ClockExtension {
  period: ExtensionPeriod;
  reason?: string;
  grantedAt?: string;
  grantedBy?: string;
}

export interface DeadlineInput {
  /** The event the period runs from; its Asia/Shanghai date is not counted (Civil Code Art. 201). */
  start: string;
  period: Period;
  suspensions?: ClockSuspension[];
  extensions?: ClockExtension[];
  /** Name of the start event, for the explanation. */
  startEvent?: string;
  /**
   * Why the Civil Code Art. 203 roll-forward does not apply: a period that only ends a burden on the subject (a listing)
   * is not lengthened past a rest day (docs/decisions/0012-no-roll-forward-for-burdens.md).
   */
  noRestDayRoll?: string;
}

export interface SkippedDay {
  date: string;
  reason: 'weekend' | 'holiday' | 'suspended';
  name?: string;
}

export interface DeadlineExplanation {
  rule: 'working-days' | 'calendar-days' | 'months' | 'years';
  basis: string[];
  startEvent?: string;
  startAt: string;
  startDate: string;
  period: Period;
  countedDays: string[];
  makeupWorkdaysCounted: { date: string; name: string }[];
  skippedDays: SkippedDay[];
  suspensions: (ClockSuspension & { daysNotCounted: string[] })[];
  extensions: (ClockExtension & { dueDateBefore: string | null })[];
  rolledForward?: { from: string; to: string; basis: string; skipped: SkippedDay[] };
  /** Set when the rest-day roll-forward was not applied, with the reason. */
  noRestDayRoll?: string;
  dueDate: string | null;
  dueAt: string | null;
  endsAt: '24:00 Asia/Shanghai';
  suspendedNow: boolean;
  provisional: boolean;
  provisionalYears: number[];
  calendarVersion: string;
  summary: string;
  /** The same in Chinese (explanations computed before it was added have none). */
  summaryZh?: string;
}

export interface ComputedDeadline {
  dueDate: string | null;
  dueAt: string | null;
  provisional: boolean;
  calendarVersion: string;
  /** An open suspension stops the clock: no due date exists until it is resumed. */
  suspended: boolean;
  explanation: DeadlineExplanation;
}

/** Guards against a runaway count (e.g. a suspension list that never lets a day count). */
const MAX_SCAN_DAYS = 366 * 30;

const BASIS = {
  startNotCounted: 'Civil Code Art. 201 (the starting day is not counted)',
  workingDays: 'Administrative Licensing Law Art. 82 (working days exclude statutory holidays)',
  monthEnd: 'Civil Code Art. 202 (corresponding day of the final month, or its last day)',
  restDayRoll: 'Civil Code Art. 203 (a period ending on a statutory rest day ends on the next working day)',
  endOfDay: 'Civil Code Art. 203 (the last day ends at 24:00)',
  suspension: 'docs/time-rules.md#suspension (a day counts only if the clock runs at its close)',
  calendar: 'State Council holiday notices (official holidays and make-up working days)',
};

interface Interval {
  from: number;
  to: number;
  source: ClockSuspension;
  daysNotCounted: string[];
}

class Scan {
  readonly skipped: SkippedDay[] = [];
  readonly counted: string[] = [];
  readonly makeup: { date: string; name: string }[] = [];
  readonly provisionalYears = new Set<number>();

  constructor(
    private readonly calendar: Calendar,
    private readonly intervals: Interval[],
  ) {}

  info(day: number): DayInfo {
    const info = this.calendar.dayInfo(day);
    if (info.provisional) this.provisionalYears.add(yearOf(day));
    return info;
  }

  /** The stopping interval covering the close of `day`, if any: from < 24:00 <= to. */
  suspensionAtClose(day: number): Interval | undefined {
    const close = endOfShanghaiDay(day);
    return this.intervals.find((i) => i.from < close && close <= i.to);
  }

  /** Counts `n` days after `startDay` that satisfy `counts`; returns the last one, or null while the clock is stopped. */
  count(startDay: number, n: number, workingOnly: boolean): number | null {
    let day = startDay;
    let counted = 0;
    while (counted < n) {
      day += 1;
      if (day - startDay > MAX_SCAN_DAYS) throw new RangeError('period exceeds the supported range');
      const info = this.info(day);
      if (workingOnly && !info.working) {
        this.skipped.push({ date: info.date, reason: info.kind === 'holiday' ? 'holiday' : 'weekend', name: info.name });
        continue;
      }
      const stop = this.suspensionAtClose(day);
      if (stop) {
        if (stop.to === Infinity) return null;
        stop.daysNotCounted.push(info.date);
        this.skipped.push({ date: info.date, reason: 'suspended', name: stop.source.reason });
        continue;
      }
      counted += 1;
      this.counted.push(info.date);
      if (info.kind === 'makeup-workday') this.makeup.push({ date: info.date, name: info.name ?? '' });
    }
    return day;
  }

  /**
   * Civil Code Art. 203: a period that ends on a rest day ends on the first working day after it. docs/time-rules.md#suspension: a
   * suspension that starts before the due instant stops the clock also on a day the roll-forward added, so the period
   * ends on the first working day the clock runs through (null while it is stopped).
   */
  rollForward(day: number): { day: number | null; skipped: SkippedDay[] } {
    const skipped: SkippedDay[] = [];
    let current = day;
    for (;;) {
      const info = this.info(current);
      if (info.working) {
        const stop = current === day ? undefined : this.suspensionAtClose(current);
        if (!stop) return { day: current, skipped };
        if (stop.to === Infinity) return { day: null, skipped };
        stop.daysNotCounted.push(info.date);
        skipped.push({ date: info.date, reason: 'suspended', name: stop.source.reason });
      } else {
        const stop = this.suspensionAtClose(current);
        if (stop?.to === Infinity) return { day: null, skipped };
        if (stop) stop.daysNotCounted.push(info.date);
        skipped.push({ date: info.date, reason: info.kind === 'holiday' ? 'holiday' : 'weekend', name: info.name });
      }
      current += 1;
    }
  }
}

export function computeDeadline(calendar: Calendar, input: DeadlineInput): ComputedDeadline {
  const startMs = instantMs(input.start);
  const startDay = shanghaiDay(startMs);
  const intervals: Interval[] = (input.suspensions ?? []).map((s) => ({
    from: instantMs(s.from),
    to: s.to === undefined ? Infinity : instantMs(s.to),
    source: s,
    daysNotCounted: [],
  }));
  for (const i of intervals) {
    if (i.to < i.from) throw new RangeError(`suspension ends before it starts: ${i.source.from} → ${i.source.to}`);
  }
  const scan = new Scan(calendar, intervals);
  const period = input.period;
  const basis = [BASIS.startNotCounted];
  let rule: DeadlineExplanation['rule'];
  let due: number | null;
  let rolled: DeadlineExplanation['rolledForward'];

  const roll = (day: number | null): number | null => {
    if (day === null || input.noRestDayRoll) return day;
    const r = scan.rollForward(day);
    if (r.day !== null && r.day !== day) rolled = { from: dateOf(day), to: dateOf(r.day), basis: BASIS.restDayRoll, skipped: r.skipped };
    return r.day;
  };

  if ('workingDays' in period) {
    assertCount(period.workingDays, 'workingDays');
    rule = 'working-days';
    basis.push(BASIS.workingDays, BASIS.calendar);
    due = scan.count(startDay, period.workingDays, true);
  } else if ('days' in period) {
    assertCount(period.days, 'days');
    rule = 'calendar-days';
    basis.push(...(input.noRestDayRoll ? [] : [BASIS.restDayRoll]), BASIS.calendar);
    due = roll(scan.count(startDay, period.days, false));
  } else {
    const months = 'months' in period ? period.months : period.years * 12;
    assertCount('months' in period ? period.months : period.years, 'months' in period ? 'months' : 'years');
    rule = 'months' in period ? 'months' : 'years';
    basis.push(BASIS.monthEnd, ...(input.noRestDayRoll ? [] : [BASIS.restDayRoll]), BASIS.calendar);
    due = roll(monthEnd(scan, startDay, months));
  }
  if (intervals.length) basis.push(BASIS.suspension);
  basis.push(BASIS.endOfDay);

  const extensions: DeadlineExplanation['extensions'] = [];
  for (const ext of input.extensions ?? []) {
    const before = due;
    if (due !== null) {
      if ('workingDays' in ext.period) {
        assertCount(ext.period.workingDays, 'extension workingDays');
        due = scan.count(due, ext.period.workingDays, true);
      } else {
        assertCount(ext.period.days, 'extension days');
        due = roll(scan.count(due, ext.period.days, false));
      }
    }
    extensions.push({ ...ext, dueDateBefore: before === null ? null : dateOf(before) });
  }

  const dueDate = due === null ? null : dateOf(due);
  const dueAt = due === null ? null : toIso(endOfShanghaiDay(due));
  const provisionalYears = [...scan.provisionalYears].sort((a, b) => a - b);
  const explanation: DeadlineExplanation = {
    rule,
    basis,
    startEvent: input.startEvent,
    startAt: toIso(startMs),
    startDate: dateOf(startDay),
    period,
    countedDays: rule === 'working-days' || rule === 'calendar-days' ? scan.counted : [],
    makeupWorkdaysCounted: scan.makeup,
    skippedDays: scan.skipped,
    suspensions: intervals.map((i) => ({ ...i.source, daysNotCounted: i.daysNotCounted })),
    extensions,
    rolledForward: rolled,
    ...(input.noRestDayRoll ? { noRestDayRoll: input.noRestDayRoll } : {}),
    dueDate,
    dueAt,
    endsAt: '24:00 Asia/Shanghai',
    suspendedNow: due === null,
    provisional: provisionalYears.length > 0,
    provisionalYears,
    calendarVersion: calendar.version,
    summary: '',
  };
  explanation.summary = summarize(explanation);
  explanation.summaryZh = summarizeZh(explanation);
  return {
    dueDate,
    dueAt,
    provisional: explanation.provisional,
    calendarVersion: calendar.version,
    suspended: due === null,
    explanation,
  };
}

function monthEnd(scan: Scan, startDay: number, months: number): number | null {
  const nominal = addMonths(startDay, months);
  // Suspended days push the end back by as many calendar days; days in the added stretch can be suspended too.
  let end = nominal;
  for (;;) {
    let stopped = 0;
    for (let day = startDay + 1; day <= end; day++) {
      const stop = scan.suspensionAtClose(day);
      if (stop?.to === Infinity) return null;
      if (stop) stopped++;
    }
    if (nominal + stopped === end) break;
    end = nominal + stopped;
  }
  for (let day = startDay + 1; day <= end; day++) {
    const stop = scan.suspensionAtClose(day);
    if (stop) {
      stop.daysNotCounted.push(dateOf(day));
      scan.skipped.push({ date: dateOf(day), reason: 'suspended', name: stop.source.reason });
    }
  }
  scan.info(end);
  return end;
}

function assertCount(n: number, field: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${field} must be a non-negative integer, got ${n}`);
}

function describePeriod(period: Period): string {
  if ('workingDays' in period) return `${period.workingDays} working day(s)`;
  if ('days' in period) return `${period.days} day(s)`;
  if ('months' in period) return `${period.months} month(s)`;
  return `${period.years} year(s)`;
}

function summarize(e: DeadlineExplanation): string {
  const parts = [`${describePeriod(e.period)} from ${e.startEvent ?? 'the start event'} on ${e.startDate} (not counted)`];
  const holidays = e.skippedDays.filter((d) => d.reason === 'holiday');
  const weekends = e.skippedDays.filter((d) => d.reason === 'weekend');
  const suspended = e.skippedDays.filter((d) => d.reason === 'suspended');
  if (holidays.length) parts.push(`skipping holidays ${holidays.map((d) => `${d.date} (${d.name})`).join(', ')}`);
  if (weekends.length) parts.push(`skipping ${weekends.length} weekend day(s)`);
  if (e.makeupWorkdaysCounted.length) {
    parts.push(`counting make-up working days ${e.makeupWorkdaysCounted.map((d) => `${d.date} (${d.name})`).join(', ')}`);
  }
  if (suspended.length) parts.push(`not counting ${suspended.length} day(s) of clock suspension`);
  if (e.rolledForward) parts.push(`rolled forward from rest day ${e.rolledForward.from} to ${e.rolledForward.to}`);
  for (const x of e.extensions) parts.push(`extended by ${describePeriod(x.period as Period)}${x.reason ? ` (${x.reason})` : ''}`);
  const end = e.dueDate
    ? `ends ${e.dueDate} at 24:00 Asia/Shanghai`
    : 'has no due date while the clock is suspended';
  const flag = e.provisional ? ` — provisional: no holiday notice loaded for ${e.provisionalYears.join(', ')} (bridge days and make-up working days not known yet)` : '';
  return `${parts.join('; ')}; ${end}${flag}. Calendar ${e.calendarVersion}.`;
}

function describePeriodZh(period: Period): string {
  if ('workingDays' in period) return `${period.workingDays} 个工作日`;
  if ('days' in period) return `${period.days} 日`;
  if ('months' in period) return `${period.months} 个月`;
  return `${period.years} 年`;
}

function summarizeZh(e: DeadlineExplanation): string {
  const parts = [`自 ${e.startDate} 起算 ${describePeriodZh(e.period)}（当日不计入）`];
  const holidays = e.skippedDays.filter((d) => d.reason === 'holiday');
  const weekends = e.skippedDays.filter((d) => d.reason === 'weekend');
  const suspended = e.skippedDays.filter((d) => d.reason === 'suspended');
  if (holidays.length) parts.push(`不计法定节假日 ${holidays.map((d) => `${d.date}（${d.name}）`).join('、')}`);
  if (weekends.length) parts.push(`不计休息日 ${weekends.length} 天`);
  if (e.makeupWorkdaysCounted.length) parts.push(`计入调休上班日 ${e.makeupWorkdaysCounted.map((d) => `${d.date}（${d.name}）`).join('、')}`);
  if (suspended.length) parts.push(`期限中止 ${suspended.length} 天不计入`);
  if (e.rolledForward) parts.push(`期间最后一日 ${e.rolledForward.from} 是休息日，顺延至 ${e.rolledForward.to}`);
  for (const x of e.extensions) parts.push(`延长${describePeriodZh(x.period as Period)}${x.reason ? `（${x.reason}）` : ''}`);
  const end = e.dueDate ? `届满日为 ${e.dueDate} 24 时（北京时间）` : '期限中止中，暂无届满日';
  const flag = e.provisional ? `——暂定：尚未载入 ${e.provisionalYears.join('、')} 年的节假日安排通知（调休与补班日未知）` : '';
  return `${parts.join('；')}；${end}${flag}。节假日日历 ${e.calendarVersion}。`;
}

/**
 * The moment from which only `workingDaysBefore` working days remain: the close of the working day
 * that precedes the last `workingDaysBefore` working days of the period.
 */
export function warningAt(calendar: Calendar, dueDate: string, workingDaysBefore: number, notBefore: string): string {
  let day = dayNumber(dueDate);
  let remaining = workingDaysBefore;
  while (remaining > 0) {
    day -= 1;
    if (calendar.dayInfo(day).working) remaining -= 1;
  }
  const moment = endOfShanghaiDay(day);
  const floor = instantMs(notBefore);
  return toIso(Math.max(moment, floor));
}
