import { DAY_MS, SHANGHAI_OFFSET_MS } from './local-date';

/**
 * What the service says to a person, in both of its languages: Chinese, what the API answers by default, and English
 * (Accept-Language: en). Built where the sentence is known, so no message is ever left untranslated.
 */
export interface Said {
  en: string;
  zh: string;
}

export const said = (en: string, zh: string): Said => ({ en, zh });

/** The languages the API speaks: Chinese by default, English when the caller prefers it (Accept-Language). */
export type Language = 'zh' | 'en';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** A UTC instant as the API shows it: the same instant in Beijing time, `2026-12-26T00:00:00.000+08:00`. */
export function beijingIso(iso: string): string {
  if (!ISO_UTC.test(iso)) return iso;
  const local = new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString();
  return `${local.slice(0, -1)}+08:00`;
}

/** Whether a string is an instant the API should show in Beijing time (a UTC ISO instant as the service stores them). */
export const isUtcInstant = (value: string): boolean => ISO_UTC.test(value);

function parts(iso: string): { date: string; time: string } {
  const local = new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString();
  const time = local.slice(11, 19);
  return { date: local.slice(0, 10), time: time.endsWith(':00') ? time.slice(0, 5) : time };
}

/** An instant in a sentence, in Beijing time: `2026-12-26 09:30 (Beijing time)`, `2026年12月26日 09:30（北京时间）`. */
export function atBeijing(iso: string): Said {
  if (!Number.isFinite(Date.parse(iso))) return { en: iso, zh: iso };
  const { date, time } = parts(iso);
  return { en: `${date} ${time} (Beijing time)`, zh: `${zhDate(date)} ${time}（北京时间）` };
}

/**
 * The end of a period in a sentence: a deadline at Beijing midnight is the end of the day before (`2026-12-25 24:00`),
 * as the law counts it (Civil Code Art. 203 ¶2: "期间的最后一日的截止时间为二十四时").
 */
export function untilBeijing(iso: string): Said {
  if (!Number.isFinite(Date.parse(iso))) return { en: iso, zh: iso };
  const { time } = parts(iso);
  if (time !== '00:00') return atBeijing(iso);
  const dayBefore = new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS - DAY_MS).toISOString().slice(0, 10);
  return { en: `the end of ${dayBefore} (Beijing time)`, zh: `${zhDate(dayBefore)}24时（北京时间）` };
}

/** `2026-12-25` → `2026年12月25日`. */
export function zhDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}
