// Plain dates ('YYYY-MM-DD') in Asia/Shanghai, handled as day numbers (days since 1970-01-01).
// Asia/Shanghai is UTC+8 with no DST, so the offset is a constant and no time-zone database is needed.

export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** An ISO 8601 instant with an explicit offset; a bare date or a local time would depend on the server's zone. */
export function isIsoInstant(value: string): boolean {
  if (!ISO_INSTANT.test(value)) return false;
  return isIsoDate(value.slice(0, 10)) && Number.isFinite(Date.parse(value));
}

export function dayNumber(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m || !isIsoDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function yearOf(day: number): number {
  return Number(dateOf(day).slice(0, 4));
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function instantMs(instant: string): number {
  if (!isIsoInstant(instant)) throw new RangeError(`not an ISO instant with offset: ${instant}`);
  return Date.parse(instant);
}

export function shanghaiDay(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** 24:00 Asia/Shanghai at the end of the given day, as epoch milliseconds. */
export function endOfShanghaiDay(day: number): number {
  return (day + 1) * DAY_MS - SHANGHAI_OFFSET_MS;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Civil Code Art. 202: the corresponding day of the final month, or its last day when there is none. */
export function addMonths(day: number, months: number): number {
  const [y, m, d] = dateOf(day).split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return Date.UTC(year, month - 1, Math.min(d, daysInMonth(year, month))) / DAY_MS;
}
