import { z } from 'zod';
import { BadInputError } from '../cases/errors';
import { isStorableText, issueInChinese, saying } from '../domain/kernel/schema';
import { isIsoDate, isIsoInstant } from '../domain/local-date';

// Every query parameter is parsed by a schema here: a value the database could not take (a year 0 date, a NUL, a case
// id of dashes inside a cursor) is a 400 naming the parameter, never a failed query answered 5xx.

/** The dates a parameter may name: PostgreSQL has no year 0, and no deadline the service counts falls outside. */
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2999-12-31';
const inRange = (date: string) => date >= EARLIEST_DATE && date <= LATEST_DATE;
/** An instant (ISO with offset) or date whose UTC date lies in the range a parameter may name. */
export const inDateRange = (value: string) => {
  const t = Date.parse(value);
  return Number.isFinite(t) && inRange(new Date(t).toISOString().slice(0, 10));
};
const RANGE_RULE = saying({ en: `must be between ${EARLIEST_DATE} and ${LATEST_DATE}`, zh: `须在 ${EARLIEST_DATE} 至 ${LATEST_DATE} 之间` });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A filter text: at most `max` characters PostgreSQL can hold. */
export const queryText = (max = 200) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine(isStorableText, saying({ en: 'must not contain NUL characters or unpaired UTF-16 surrogates', zh: '不能含 NUL 字符或不成对的 UTF-16 代理项' }));

/** A date YYYY-MM-DD (Asia/Shanghai). */
export const dateParam = () => z.string().refine(isIsoDate, saying({ en: 'must be a date YYYY-MM-DD', zh: '须为日期 YYYY-MM-DD' })).refine(inRange, RANGE_RULE);

/** An ISO 8601 instant with offset, as a Date. */
export const instantParam = () =>
  z
    .string()
    .refine(isIsoInstant, saying({ en: 'must be an ISO 8601 instant with offset', zh: '须为带时区偏移的 ISO 8601 时刻' }))
    .transform((s) => new Date(Date.parse(s)))
    .refine((d) => !Number.isNaN(d.getTime()) && inRange(d.toISOString().slice(0, 10)), RANGE_RULE);

/** A whole number written in digits (no sign, exponent or fraction), min–max. */
export const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,20}$/, `must be an integer ${min}–${max}`)
    .transform(Number)
    .refine((n) => Number.isSafeInteger(n) && n >= min && n <= max, saying({ en: `must be an integer ${min}–${max}`, zh: `须为 ${min}–${max} 之间的整数` }));

export const boolParam = () => z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

/** An instant as the service writes it in a cursor (Date.toISOString()). */
const cursorInstant = () =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
    .refine((s) => isIsoInstant(s) && inRange(s.slice(0, 10)));

/** A base64url JSON cursor of a previous page, checked part by part against `shape`. */
const cursorOf = <T extends z.ZodType>(shape: T) =>
  z
    .string()
    .max(2000)
    .regex(/^[A-Za-z0-9_-]+$/)
    .transform((s, ctx) => {
      try {
        return JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not a cursor' });
        return z.NEVER;
      }
    })
    .pipe(shape);

/** nextCursor of GET /supervision/overdue: [due instant, case id, deadline key]. */
export const overdueCursor = () => cursorOf(z.tuple([cursorInstant(), z.string().regex(UUID), queryText(200)]));
/** nextCursor of GET /me/inbox: [created instant, notification id]. */
export const inboxCursor = () => cursorOf(z.tuple([cursorInstant(), queryText(1000)]));

const CURSOR_RULE = 'must be the nextCursor of a previous page';

/**
 * Parses a query by its schema: an unknown parameter, one given twice or a value its schema refuses is a 400 naming
 * the parameter (a cursor is refused as a whole: its parts are the service's, not the client's).
 */
export function parseQuery<S extends Record<string, z.ZodType>>(q: Record<string, unknown>, shape: S): { [K in keyof S]?: z.output<S[K]> } {
  const known = Object.keys(shape);
  const extra = Object.keys(q).find((k) => !known.includes(k));
  if (extra) throw new BadInputError({ field: extra, message: `${extra} is not a parameter; use ${known.join(', ')}`, messageZh: `${extra} 不是可接受的参数；可用：${known.join('、')}` });
  for (const k of known) if (Array.isArray(q[k])) throw new BadInputError({ field: k, message: `${k} may be given once`, messageZh: `${k} 只能给出一次` });
  const optional = Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, s.optional()]));
  const parsed = z.object(optional).safeParse(q);
  if (parsed.success) return parsed.data as { [K in keyof S]?: z.output<S[K]> };
  const issue = parsed.error.issues[0];
  const field = String(issue.path[0] ?? 'query');
  const message = field === 'cursor' ? CURSOR_RULE : issue.message;
  const messageZh = field === 'cursor' ? '须为上一页的 nextCursor' : issueInChinese(issue);
  throw new BadInputError({ field, message: `${field} ${message}`, messageZh: `${field}：${messageZh}` });
}
