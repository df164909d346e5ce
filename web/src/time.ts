// Every time the app shows is Beijing time, whatever the browser's own zone.
const ZONE = 'Asia/Shanghai';

const dateFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const timeFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

/** YYYY-MM-DD of an instant in Beijing. */
export function beijingDate(instant: string | Date): string {
  const parts = Object.fromEntries(dateFormat.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** "2026-12-04 09:30" in Beijing. */
export function beijingDateTime(instant: string | Date | null | undefined): string {
  if (!instant) return '';
  const parts = Object.fromEntries(timeFormat.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}`;
}

const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
/** The weekday of a calendar date (no zone: a date is a date). */
export function weekday(date: string, lang: 'zh' | 'en'): string {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return lang === 'zh' ? WEEKDAYS_ZH[d] : ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d];
}

/** Whole days from Beijing today to a date (0 today, 1 tomorrow, negative past). */
export function daysFromToday(date: string, now = new Date()): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${beijingDate(now)}T00:00:00Z`)) / 86_400_000);
}
