import { dateOf, dayNumber, weekday, yearOf } from './local-date';

/**
 * One year of the State Council's holiday notices: the days they set, after supplements. A notice for year Y may set
 * days of Y-1 (a late-December make-up working day or holiday); those are listed under Y.
 */
export interface CalendarYearSeed {
  notice: string;
  holidays: Record<string, string>;
  makeupWorkdays: Record<string, string>;
}

/** Plain data, so it can travel in workflow inputs and activity results. */
export interface CalendarSeed {
  version: string;
  source?: string;
  years: Record<string, CalendarYearSeed>;
  /** Years without a notice: the holidays the national holiday regulation fixes (src/domain/fixed-holidays.ts). */
  provisional?: Record<string, { holidays: Record<string, string> }>;
}

export type DayKind = 'weekday' | 'weekend' | 'holiday' | 'makeup-workday';

export interface DayInfo {
  date: string;
  working: boolean;
  kind: DayKind;
  name?: string;
  /**
   * The year has no loaded notice (docs/time-rules.md#calendar-coverage): only the holidays fixed by the regulation are known, bridge
   * days and make-up working days are not.
   */
  provisional: boolean;
}

const PROVISIONAL_NAME_SUFFIX = ' (fixed by the holiday regulation; provisional)';

export class Calendar {
  private readonly holidays = new Map<string, string>();
  private readonly makeupWorkdays = new Map<string, string>();
  private readonly fixedHolidays = new Map<string, string>();
  private readonly years = new Set<number>();

  private constructor(readonly version: string) {}

  static fromSeed(seed: CalendarSeed): Calendar {
    const calendar = new Calendar(seed.version);
    // In year order, so that a later year's notice setting a December day of the year before wins.
    for (const year of Object.keys(seed.years).sort()) {
      const data = seed.years[year];
      calendar.years.add(Number(year));
      for (const [date, name] of Object.entries(data.holidays)) {
        calendar.makeupWorkdays.delete(date);
        calendar.holidays.set(date, name);
      }
      for (const [date, name] of Object.entries(data.makeupWorkdays)) {
        calendar.holidays.delete(date);
        calendar.makeupWorkdays.set(date, name);
      }
    }
    for (const [year, data] of Object.entries(seed.provisional ?? {})) {
      if (calendar.years.has(Number(year))) continue;
      for (const [date, name] of Object.entries(data.holidays)) calendar.fixedHolidays.set(date, name + PROVISIONAL_NAME_SUFFIX);
    }
    return calendar;
  }

  covers(year: number): boolean {
    return this.years.has(year);
  }

  coveredYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  /** docs/time-rules.md#working-days: (Mon–Fri and not a listed holiday) or a listed make-up working day. */
  dayInfo(day: number): DayInfo {
    const date = dateOf(day);
    const provisional = !this.years.has(yearOf(day));
    const makeup = this.makeupWorkdays.get(date);
    if (makeup !== undefined) return { date, working: true, kind: 'makeup-workday', name: makeup, provisional };
    const holiday = this.holidays.get(date);
    if (holiday !== undefined) return { date, working: false, kind: 'holiday', name: holiday, provisional };
    const fixed = provisional ? this.fixedHolidays.get(date) : undefined;
    if (fixed !== undefined) return { date, working: false, kind: 'holiday', name: fixed, provisional };
    const dow = weekday(day);
    const weekend = dow === 0 || dow === 6;
    return { date, working: !weekend, kind: weekend ? 'weekend' : 'weekday', provisional };
  }

  isWorkingDay(date: string): boolean {
    return this.dayInfo(dayNumber(date)).working;
  }

  /** Every date the calendar says something about; any other date is an ordinary weekday or weekend day. */
  listedDates(): string[] {
    return [...new Set([...this.holidays.keys(), ...this.makeupWorkdays.keys(), ...this.fixedHolidays.keys()])];
  }
}

/**
 * The dates on which two calendars disagree (working or not, kind, name), sorted. A fixed holiday that a loaded
 * notice confirms is no change; the deadlines of a year that stops being provisional are provisional, and are
 * recomputed for that reason.
 */
export function changedDates(before: Calendar, after: Calendar): string[] {
  const dates = new Set([...before.listedDates(), ...after.listedDates()]);
  const changed: string[] = [];
  for (const date of dates) {
    const day = dayNumber(date);
    const a = before.dayInfo(day);
    const b = after.dayInfo(day);
    const name = (info: DayInfo) => info.name?.replace(PROVISIONAL_NAME_SUFFIX, '');
    if (a.working !== b.working || a.kind !== b.kind || name(a) !== name(b)) changed.push(date);
  }
  return changed.sort();
}

/** A content hash (days, names, provisional years), so that the same data always yields the same version wherever it is loaded. */
export function calendarVersionOf(years: CalendarSeed['years'], provisional: CalendarSeed['provisional'] = {}): string {
  const keys = Object.keys(years).sort();
  let hash = 0x811c9dc5;
  const feed = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  };
  for (const year of keys) {
    const data = years[year];
    feed(`${year}|`);
    for (const date of Object.keys(data.holidays).sort()) feed(`h${date}=${data.holidays[date]};`);
    for (const date of Object.keys(data.makeupWorkdays).sort()) feed(`w${date}=${data.makeupWorkdays[date]};`);
  }
  for (const year of Object.keys(provisional).sort()) {
    feed(`p${year}|`);
    for (const date of Object.keys(provisional[year].holidays).sort()) feed(`f${date}=${provisional[year].holidays[date]};`);
  }
  const span = keys.length ? `${keys[0]}-${keys[keys.length - 1]}` : 'empty';
  return `cn-${span}-${hash.toString(16).padStart(8, '0')}`;
}
