import { dateOf, dayNumber, weekday, yearOf } from './local-date';

/** One year of the State Council's holiday notice. */
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
}

export type DayKind = 'weekday' | 'weekend' | 'holiday' | 'makeup-workday';

export interface DayInfo {
  date: string;
  working: boolean;
  kind: DayKind;
  name?: string;
  /** The year has no loaded notice: weekdays-only was assumed (TIME-RULES rule 8). */
  provisional: boolean;
}

export class Calendar {
  private readonly holidays = new Map<string, string>();
  private readonly makeupWorkdays = new Map<string, string>();
  private readonly years = new Set<number>();

  private constructor(readonly version: string) {}

  static fromSeed(seed: CalendarSeed): Calendar {
    const calendar = new Calendar(seed.version);
    for (const [year, data] of Object.entries(seed.years)) {
      calendar.years.add(Number(year));
      for (const [date, name] of Object.entries(data.holidays)) calendar.holidays.set(date, name);
      for (const [date, name] of Object.entries(data.makeupWorkdays)) calendar.makeupWorkdays.set(date, name);
    }
    return calendar;
  }

  covers(year: number): boolean {
    return this.years.has(year);
  }

  coveredYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  /** TIME-RULES rule 2: (Mon–Fri and not a listed holiday) or a listed make-up working day. */
  dayInfo(day: number): DayInfo {
    const date = dateOf(day);
    const provisional = !this.years.has(yearOf(day));
    const makeup = this.makeupWorkdays.get(date);
    if (makeup !== undefined) return { date, working: true, kind: 'makeup-workday', name: makeup, provisional };
    const holiday = this.holidays.get(date);
    if (holiday !== undefined) return { date, working: false, kind: 'holiday', name: holiday, provisional };
    const dow = weekday(day);
    const weekend = dow === 0 || dow === 6;
    return { date, working: !weekend, kind: weekend ? 'weekend' : 'weekday', provisional };
  }

  isWorkingDay(date: string): boolean {
    return this.dayInfo(dayNumber(date)).working;
  }
}

/** A content hash, so that the same holiday data always yields the same version wherever it is loaded. */
export function calendarVersionOf(years: CalendarSeed['years']): string {
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
    for (const date of Object.keys(data.holidays).sort()) feed(`h${date};`);
    for (const date of Object.keys(data.makeupWorkdays).sort()) feed(`w${date};`);
  }
  const span = keys.length ? `${keys[0]}-${keys[keys.length - 1]}` : 'empty';
  return `cn-${span}-${hash.toString(16).padStart(8, '0')}`;
}
