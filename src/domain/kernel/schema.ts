import type { z as zod } from 'zod';
import type { InputProblem } from '../case-model';
import { isIsoDate, isIsoInstant } from '../local-date';
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
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(isStorableText, 'must not contain NUL characters or unpaired UTF-16 surrogates')
    .refine((s) => !hasBidiControl(s), BIDI_RULE)
    .refine(hasVisibleCharacter, VISIBLE_RULE);
}

export function isoInstant() {
  return z
    .string()
    .refine(isIsoInstant, 'must be an ISO 8601 instant with an offset, e.g. 2026-11-27T10:00:00+08:00')
    .transform((s) => new Date(Date.parse(s)).toISOString());
}

export function isoDate() {
  return z.string().refine(isIsoDate, 'must be a real date YYYY-MM-DD');
}

export function list<T extends zod.ZodType>(item: T, max = MAX_LIST) {
  return z.array(item).min(1, 'must not be empty').max(max, `must have at most ${max} items`);
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
    return { field, message: `${field} is not a known field` };
  }
  const field = path || 'body';
  return { field, message: `${field} ${issue.message}` };
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
