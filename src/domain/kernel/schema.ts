import type { z as zod } from 'zod';
import type { InputProblem } from '../case-model';
import { isIsoDate, isIsoInstant } from '../local-date';
import type { Said } from '../said';
import { z } from './zod';

// One schema per filing and per action: the API's 400, the workflow validator and the OpenAPI document all come
// from it. Every object is strict (an unknown field at any depth is refused) and every list and text is capped, so a
// case's worst-case history stays bounded by design.

export const MAX_TEXT = 2000;
export const MAX_NAME = 200;
export const MAX_LIST = 50;

// PostgreSQL cannot store U+0000 in text or jsonb, nor an unpaired surrogate in jsonb.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

// Characters that reorder how text around them is displayed (Trojan Source, CVE-2021-42574): a name or note holding
// them can read differently from what it says. LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI; LRM, RLM; ALM.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
// A visible character: anything but white space, controls, format characters (zero-width space, joiners, BOM...),
// combining marks on their own, and the Hangul and Braille fillers that render as blanks.
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{M}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u2800]/u;

export const BIDI_RULE = 'must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C)';
export const VISIBLE_RULE = 'must contain at least one visible character';

/**
 * A schema's own message in both languages, for `.refine(check, saying(...))` and `ctx.addIssue({ ..., ...saying(...) })`:
 * the Chinese travels in the issue's params, where problemOf finds it.
 */
export const saying = (said: Said) => ({ message: said.en, params: { messageZh: said.zh } });

export function hasBidiControl(s: string): boolean {
  return BIDI_CONTROLS.test(s);
}

export function hasVisibleCharacter(s: string): boolean {
  return VISIBLE.test(s);
}

/**
 * A free text: NFC-normalised (one spelling of each character, so equal texts compare equal), trimmed, capped, and
 * holding at least one visible character (a zero-width space alone is no content) and no bidi controls.
 */
export function text(max = MAX_TEXT) {
  return z
    .string()
    .normalize('NFC')
    .trim()
    .min(1, saying({ en: 'must not be empty', zh: '不能为空' }))
    .max(max, saying({ en: `must be at most ${max} characters`, zh: `最多 ${max} 个字符` }))
    .refine(isStorableText, saying({ en: 'must not contain NUL characters or unpaired UTF-16 surrogates', zh: '不能含 NUL 字符或不成对的 UTF-16 代理项' }))
    .refine((s) => !hasBidiControl(s), saying({ en: BIDI_RULE, zh: '不能含双向文字控制字符（U+202A–U+202E、U+2066–U+2069、U+200E、U+200F、U+061C）' }))
    .refine(hasVisibleCharacter, saying({ en: VISIBLE_RULE, zh: '须至少含一个可见字符' }));
}

export function isoInstant() {
  return z
    .string()
    .refine(isIsoInstant, saying({ en: 'must be an ISO 8601 instant with an offset, e.g. 2026-11-27T10:00:00+08:00', zh: '须为带时区偏移的 ISO 8601 时刻，例如 2026-11-27T10:00:00+08:00' }))
    .transform((s) => new Date(Date.parse(s)).toISOString());
}

export function isoDate() {
  return z.string().refine(isIsoDate, saying({ en: 'must be a real date YYYY-MM-DD', zh: '须为真实存在的日期 YYYY-MM-DD' }));
}

export function list<T extends zod.ZodType>(item: T, max = MAX_LIST) {
  return z
    .array(item)
    .min(1, saying({ en: 'must not be empty', zh: '不能为空' }))
    .max(max, saying({ en: `must have at most ${max} items`, zh: `最多 ${max} 项` }));
}

export function empty() {
  return z.object({}).strict();
}

/** The first problem of a failed parse, naming the field as a dotted path. */
export function problemOf(error: zod.ZodError, prefix = ''): InputProblem {
  const issue = error.issues[0];
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  if (issue.code === 'unrecognized_keys') {
    const field = [path, issue.keys[0]].filter(Boolean).join('.');
    return { field, message: `${field} is not a known field`, messageZh: `${field} 不是可接受的字段` };
  }
  const field = path || 'body';
  return { field, message: `${field} ${issue.message}`, messageZh: `${field}：${issueInChinese(issue)}` };
}

const TYPE_ZH: Record<string, string> = { string: '文本', number: '数字', int: '整数', boolean: '布尔值', object: '对象', array: '数组', null: '空值' };

/** zod's own issues in Chinese; a schema's own messages carry theirs (saying). */
export function issueInChinese(issue: zod.core.$ZodIssue): string {
  const own = (issue as { params?: { messageZh?: unknown } }).params?.messageZh;
  if (typeof own === 'string') return own;
  switch (issue.code) {
    case 'invalid_type':
      return / received undefined$/.test(issue.message) ? '为必填项' : `类型不对：应为${TYPE_ZH[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `须为以下之一：${issue.values.map(String).join('、')}`;
    case 'too_small':
      if (Number(issue.minimum) === 1 && (issue.origin === 'string' || issue.origin === 'array')) return '不能为空';
      return issue.origin === 'string' ? `至少 ${issue.minimum} 个字符` : issue.origin === 'array' ? `至少 ${issue.minimum} 项` : `不能小于 ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string' ? `最多 ${issue.maximum} 个字符` : issue.origin === 'array' ? `最多 ${issue.maximum} 项` : `不能大于 ${issue.maximum}`;
    case 'invalid_format':
      return issue.format === 'regex' ? '格式不对' : `格式不对：应为 ${issue.format}`;
    case 'invalid_union':
      return '不符合任何一种可接受的形式';
    default:
      return `无效（${issue.message}）`;
  }
}

export function jsonSchemaOf(schema: zod.ZodType): unknown {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

const builtLazily = new Set<() => void>();

/**
 * Forgets what `lazy` built, so the next use builds it again. The mutation run (tests/unit/all-unit-specs.mutation.ts)
 * calls it before each test: a schema's code then counts as covered by every test that uses it, not only by the first,
 * so the tests of its limits are the ones run against its mutants.
 */
export function forgetLazySchemas(): void {
  for (const forget of builtLazily) forget();
}

/**
 * A schema built on first use, for a definition's top-level schemas only (zod keys its bookkeeping by the schema
 * object, so a proxy must not be nested inside another schema: helpers shared by several schemas are functions). Workflow code evaluates every module anew for each case, and building every
 * procedure's schemas up front cost about 25 ms of each case's first workflow task, which needs none of them.
 */
export function lazy<T extends object>(build: () => T): T {
  let built: T | undefined;
  builtLazily.add(() => (built = undefined));
  const target = (): T => (built ??= build());
  return new Proxy({} as T, {
    get(_, prop) {
      const schema = target();
      const value: unknown = Reflect.get(schema, prop, schema);
      return typeof value === 'function' ? value.bind(schema) : value;
    },
    has: (_, prop) => Reflect.has(target(), prop),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor(_, prop) {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), prop);
      return descriptor && { ...descriptor, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(target()),
  });
}
