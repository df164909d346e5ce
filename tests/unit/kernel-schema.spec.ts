/** The schema helpers every filing and action is built from: limits at their boundary, the first problem named. */
import { z } from 'zod';
import { upgradeKernelCase } from '../../src/domain/kernel/case-kernel';
import type { KernelCase } from '../../src/domain/kernel/ops';
import { MAX_LIST, MAX_NAME, MAX_TEXT, empty, forgetLazySchemas, isStorableText, isoDate, isoInstant, jsonSchemaOf, lazy, list, problemOf, text } from '../../src/domain/kernel/schema';
import { english } from './kernel-harness';

/** The first problem of a value, its Chinese message checked and left out (see `english`). */
const problem = (schema: z.ZodType, value: unknown, prefix?: string) => {
  const parsed = schema.safeParse(value);
  if (parsed.success) return null;
  return english(problemOf(parsed.error, prefix));
};

describe('limits', () => {
  it('are 2,000 characters of text, 200 of a name and 50 items of a list', () => {
    expect([MAX_TEXT, MAX_NAME, MAX_LIST]).toEqual([2000, 200, 50]);
  });

  it('text() accepts exactly its maximum and refuses one more', () => {
    expect(text(5).parse('abcde')).toBe('abcde');
    expect(problem(text(5), 'abcdef')).toEqual({ field: 'body', message: 'body must be at most 5 characters' });
    expect(text().safeParse('x'.repeat(2000)).success).toBe(true);
    expect(problem(text(), 'x'.repeat(2001))).toEqual({ field: 'body', message: 'body must be at most 2000 characters' });
  });

  it('text() counts after trimming and refuses what is empty once trimmed', () => {
    expect(text(3).parse('  abc  ')).toBe('abc');
    expect(problem(text(), '   ')).toEqual({ field: 'body', message: 'body must not be empty' });
  });

  it('list() needs one item and at most its maximum', () => {
    expect(problem(list(z.string()), [])).toEqual({ field: 'body', message: 'body must not be empty' });
    expect(list(z.string(), 2).parse(['a', 'b'])).toEqual(['a', 'b']);
    expect(problem(list(z.string(), 2), ['a', 'b', 'c'])).toEqual({ field: 'body', message: 'body must have at most 2 items' });
    expect(list(z.string()).safeParse(Array(50).fill('a')).success).toBe(true);
    expect(list(z.string()).safeParse(Array(51).fill('a')).success).toBe(false);
  });
});

describe('storable text', () => {
  it.each([
    ['a NUL character', 'a\u0000b', false],
    ['a lone high surrogate', 'a\uD83Db', false],
    ['a high surrogate at the end', 'ab\uD83D', false],
    ['a lone low surrogate', 'a\uDE00b', false],
    ['a low surrogate at the start', '\uDE00ab', false],
    ['a surrogate pair (an emoji)', 'a\uD83D\uDE00b', true],
    ['plain Chinese', '哈尔滨', true],
  ])('%s → %s', (_, value, storable) => {
    expect(isStorableText(value)).toBe(storable);
  });

  it('is a rule of text(), named in the problem', () => {
    expect(problem(text(), 'a\u0000b')).toEqual({ field: 'body', message: 'body must not contain NUL characters or unpaired UTF-16 surrogates' });
  });
});

describe('instants and dates', () => {
  it('isoInstant() keeps the instant and writes it in UTC', () => {
    expect(isoInstant().parse('2026-11-27T10:00:00+08:00')).toBe('2026-11-27T02:00:00.000Z');
    expect(problem(isoInstant(), '2026-11-27')).toEqual({ field: 'body', message: 'body must be an ISO 8601 instant with an offset, e.g. 2026-11-27T10:00:00+08:00' });
  });

  it('isoDate() refuses a date that does not exist', () => {
    expect(isoDate().parse('2028-02-29')).toBe('2028-02-29');
    expect(problem(isoDate(), '2026-02-29')).toEqual({ field: 'body', message: 'body must be a real date YYYY-MM-DD' });
  });
});

describe('problemOf', () => {
  const schema = z.object({ subject: z.object({ name: text(MAX_NAME) }).strict() }).strict();

  it('names the field as a dotted path under the prefix', () => {
    expect(problem(schema, { subject: { name: '' } }, 'filing')).toEqual({ field: 'filing.subject.name', message: 'filing.subject.name must not be empty' });
    expect(problem(schema, { subject: { name: '' } })).toEqual({ field: 'subject.name', message: 'subject.name must not be empty' });
  });

  it('names the first unknown field, with and without a path', () => {
    expect(problem(schema, { subject: { name: 'a', extra: 1 } })).toEqual({ field: 'subject.extra', message: 'subject.extra is not a known field' });
    expect(problem(empty(), { stray: true })).toEqual({ field: 'stray', message: 'stray is not a known field' });
    expect(problem(empty(), { stray: true }, 'input')).toEqual({ field: 'input.stray', message: 'input.stray is not a known field' });
  });

  it('names the body when the whole value is wrong', () => {
    expect(problem(schema, 'not an object')?.field).toBe('body');
  });
});

describe('lazy()', () => {
  it('builds its schema once, on first use, and behaves as it', () => {
    let builds = 0;
    const schema = lazy(() => {
      builds += 1;
      return z.object({ a: z.string() }).strict();
    });
    expect(builds).toBe(0);
    expect(schema.parse({ a: 'x' })).toEqual({ a: 'x' });
    expect(schema.safeParse({ a: 1 }).success).toBe(false);
    expect(builds).toBe(1);
    expect('shape' in schema).toBe(true);
    expect('nothing-like-this' in schema).toBe(false);
    expect(Object.keys(schema.shape)).toEqual(['a']);
    expect(Reflect.ownKeys(schema)).toEqual(expect.arrayContaining(['_zod', 'def', 'parse', 'shape']));
    expect(Object.getPrototypeOf(schema)).toBe(Object.getPrototypeOf(z.object({})));
    expect(Object.getOwnPropertyDescriptor(schema, 'nothing-like-this')).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(schema, '_zod')?.configurable).toBe(true);
    expect(builds).toBe(1);
  });

  it('builds again after forgetLazySchemas (the mutation run forgets before each test)', () => {
    let builds = 0;
    const schema = lazy(() => {
      builds += 1;
      return z.string();
    });
    schema.parse('a');
    schema.parse('b');
    forgetLazySchemas();
    schema.parse('c');
    expect(builds).toBe(2);
  });

  it('binds the methods of what it builds (a Map reads its own entries)', () => {
    const map = lazy(() => new Map([['a', 1]]));
    expect(map.get('a')).toBe(1);
    expect(map.size).toBe(1);
  });

  it('gives the same JSON Schema as the schema it builds', () => {
    const built = z.object({ when: isoDate() }).strict();
    expect(jsonSchemaOf(lazy(() => built))).toEqual(jsonSchemaOf(built));
    expect(jsonSchemaOf(built)).toMatchObject({ type: 'object', properties: { when: { type: 'string' } }, required: ['when'], additionalProperties: false });
  });
});

describe('jsonSchemaOf', () => {
  it('describes what a caller sends (the input of a transform) and lets what JSON Schema cannot say be anything', () => {
    expect(jsonSchemaOf(isoInstant())).toMatchObject({ type: 'string' });
    expect(jsonSchemaOf(z.object({ at: z.date() }).strict())).toMatchObject({ properties: { at: {} } });
  });
});

describe('upgradeKernelCase', () => {
  it('gives a case carried over from an older run its parties and extension requests, and keeps those it has', () => {
    const older = { caseId: 'c-1' } as unknown as KernelCase<unknown>;
    const upgraded = upgradeKernelCase(older);
    expect(upgraded).toBe(older);
    expect(upgraded.parties).toEqual([]);
    expect(upgraded.extensionRequests).toEqual([]);
    const current = { caseId: 'c-2', parties: ['unit-a'], extensionRequests: [{ id: 'r' }] } as unknown as KernelCase<unknown>;
    expect(upgradeKernelCase(current)).toMatchObject({ parties: ['unit-a'], extensionRequests: [{ id: 'r' }] });
  });
});
