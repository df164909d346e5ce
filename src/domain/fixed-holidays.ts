import { Lunar, Solar } from 'lunar-javascript';
import type { CalendarSeed } from './calendar';

/**
 * The holidays the national holiday regulation (全国年节及纪念日放假办法) fixes for every year, before the State
 * Council's notice adds bridge days and make-up working days (docs/time-rules.md#calendar-coverage). Lunar dates and the Qingming solar
 * term come from lunar-javascript, which is why this module is used only on the API/database side and its result
 * travels to workflows as data (CalendarSeed.provisional).
 */

/** How far past the last loaded notice the provisional calendar reaches; later years are weekdays only. */
export const PROVISIONAL_YEARS_AHEAD = 10;

const NAMES = {
  newYear: '元旦 New Year\'s Day',
  springFestivalEve: '除夕 Spring Festival Eve',
  springFestival: '春节 Spring Festival',
  qingming: '清明节 Qingming Festival',
  labourDay: '劳动节 Labour Day',
  dragonBoat: '端午节 Dragon Boat Festival',
  midAutumn: '中秋节 Mid-Autumn Festival',
  nationalDay: '国庆节 National Day',
};

/** The revision of the regulation in force in `year`: they differ in Spring Festival Eve and the May and October days. */
function rulesFor(year: number) {
  // 2024 revision (State Council Decree 795, from 2025): eve + 3 days of Spring Festival, 1–2 May.
  if (year >= 2025) return { eve: true, springDays: 3, mayDays: 2, traditional: true };
  // 2013 revision (Decree 644, from 2014): 1st–3rd of the first lunar month, 1 May.
  if (year >= 2014) return { eve: false, springDays: 3, mayDays: 1, traditional: true };
  // 2007 revision (Decree 513, from 2008): eve, 1st and 2nd; Qingming, Dragon Boat, Mid-Autumn added; 1 May.
  if (year >= 2008) return { eve: true, springDays: 2, mayDays: 1, traditional: true };
  // 1999 revision (Decree 270): 1st–3rd of the first lunar month, 1–3 May.
  return { eve: false, springDays: 3, mayDays: 3, traditional: false };
}

export function fixedHolidays(year: number): Record<string, string> {
  const rules = rulesFor(year);
  const days = new Map<string, string[]>();
  const add = (date: string, name: string) => days.set(date, [...(days.get(date) ?? []), name]);
  const solar = (month: number, day: number) => Solar.fromYmd(year, month, day).toYmd();

  add(solar(1, 1), NAMES.newYear);
  const springFestival = Lunar.fromYmd(year, 1, 1).getSolar();
  // The eve is the last day of the twelfth lunar month, whether it has 29 or 30 days.
  if (rules.eve) add(springFestival.next(-1).toYmd(), NAMES.springFestivalEve);
  for (let i = 0; i < rules.springDays; i++) add(springFestival.next(i).toYmd(), NAMES.springFestival);
  for (let i = 1; i <= rules.mayDays; i++) add(solar(5, i), NAMES.labourDay);
  for (let i = 1; i <= 3; i++) add(solar(10, i), NAMES.nationalDay);
  if (rules.traditional) {
    add(Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()['清明'].toYmd(), NAMES.qingming);
    add(Lunar.fromYmd(year, 5, 5).getSolar().toYmd(), NAMES.dragonBoat);
    add(Lunar.fromYmd(year, 8, 15).getSolar().toYmd(), NAMES.midAutumn);
  }
  // Mid-Autumn can fall on a National Day (2020-10-01): one day, both names.
  const out: Record<string, string> = {};
  for (const date of [...days.keys()].sort()) out[date] = days.get(date)!.join('、');
  return out;
}

/**
 * Fixed holidays for every year without a loaded notice, from the first loaded year (or `firstYear`) to
 * PROVISIONAL_YEARS_AHEAD years past the last loaded one.
 */
export function provisionalCalendar(loadedYears: number[], firstYear = 2004): NonNullable<CalendarSeed['provisional']> {
  const loaded = new Set(loadedYears);
  const from = loadedYears.length ? Math.min(firstYear, ...loadedYears) : firstYear;
  const to = (loadedYears.length ? Math.max(...loadedYears) : firstYear) + PROVISIONAL_YEARS_AHEAD;
  const out: NonNullable<CalendarSeed['provisional']> = {};
  for (let year = from; year <= to; year++) if (!loaded.has(year)) out[String(year)] = { holidays: fixedHolidays(year) };
  return out;
}
