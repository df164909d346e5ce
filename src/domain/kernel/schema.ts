import { z } from 'zod';
import type { InputProblem } from '../case-model';
import { isIsoDate, isIsoInstant } from '../local-date';

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

export function text(max = MAX_TEXT) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(isStorableText, 'must not contain NUL characters or unpaired UTF-16 surrogates');
}

export const isoInstant = z
  .string()
  .refine(isIsoInstant, 'must be an ISO 8601 instant with an offset, e.g. 2026-11-27T10:00:00+08:00')
  .transform((s) => new Date(Date.parse(s)).toISOString());

export const isoDate = z.string().refine(isIsoDate, 'must be a real date YYYY-MM-DD');

export function list<T extends z.ZodType>(item: T, max = MAX_LIST) {
  return z.array(item).min(1, 'must not be empty').max(max, `must have at most ${max} items`);
}

export const empty = z.object({}).strict();

/** The first problem of a failed parse, naming the field as a dotted path. */
export function problemOf(error: z.ZodError, prefix = ''): InputProblem {
  const issue = error.issues[0];
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  if (issue.code === 'unrecognized_keys') {
    const field = [path, issue.keys[0]].filter(Boolean).join('.');
    return { field, message: `${field} is not a known field` };
  }
  const field = path || 'body';
  return { field, message: `${field} ${issue.message}` };
}

export function jsonSchemaOf(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}
