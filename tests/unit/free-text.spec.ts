import { caseIdFor, legacyCaseIdFor, parseCaseFiling } from '../../src/cases/filing';
import { problemOf, text } from '../../src/domain/kernel/schema';

// Free texts (the schemas' text() helper and the subject's name): NFC, at least one visible character, no bidi controls.
describe('text()', () => {
  const parse = (s: string) => {
    const r = text(200).safeParse(s);
    return r.success ? { ok: true as const, value: r.data } : { ok: false as const, message: problemOf(r.error, 'note').message };
  };

  it('normalises to NFC and trims', () => {
    expect(parse(' Cafe\u0301 ')).toEqual({ ok: true, value: 'Café' });
    expect(parse('\u54c8\u5c14\u6ee8')).toEqual({ ok: true, value: '哈尔滨' });
  });

  it.each([
    ['a zero-width space', '\u200b'],
    ['zero-width joiners and a BOM', '\u200d\u200c\ufeff'],
    ['a Hangul filler', '\u3164'],
    ['a combining mark alone', '\u0301'],
    ['a no-break space', '\u00a0'],
  ])('refuses %s as the only content', (_what, s) => {
    expect(parse(s)).toEqual({ ok: false, message: expect.stringMatching(/visible character|must not be empty/) });
  });

  it.each(['202A', '202B', '202C', '202D', '202E', '2066', '2067', '2068', '2069', '200E', '200F', '061C'])(
    'refuses the bidi control U+%s, naming the rule',
    (hex) => {
      expect(parse(`abc${String.fromCodePoint(parseInt(hex, 16))}def`)).toEqual({ ok: false, message: expect.stringContaining('note must not contain bidirectional control characters') });
    },
  );

  it('keeps a visible text with a zero-width joiner inside (emoji sequences)', () => {
    expect(parse('报告 👩\u200d💻')).toEqual({ ok: true, value: '报告 👩\u200d💻' });
  });
});

describe('the subject name of a filing', () => {
  const now = new Date('2026-11-27T02:00:00Z');
  const file = (name: string) =>
    parseCaseFiling({ procedure: 'objection-review', grounds: ['error'], reasons: '记录有误', idempotencyKey: 'k-1', receivedAt: '2026-11-26', subject: { name, uscc: '91350100M000100Y43' } }, now);

  it('refuses invisible and bidi-controlled names naming subject.name, and keeps the NFC form', () => {
    expect(file('\u200b')).toMatchObject({ ok: false, problem: { field: 'subject.name', message: expect.stringContaining('visible character') } });
    expect(file('某某\u202e公司')).toMatchObject({ ok: false, problem: { field: 'subject.name', message: expect.stringContaining('bidirectional') } });
    expect(file('Cafe\u0301 Ltd')).toMatchObject({ ok: true, value: { subject: { name: 'Café Ltd' } } });
  });
});

describe('case ids', () => {
  it('derive from procedure, unit and key for new filings: the same key of two units names two cases', () => {
    expect(caseIdFor('objection-review', 'a', '2026-0001')).not.toBe(caseIdFor('objection-review', 'b', '2026-0001'));
    expect(caseIdFor('objection-review', 'a', '2026-0001')).toBe(caseIdFor('objection-review', 'a', '2026-0001'));
    // No separator games: the parts are JSON-encoded.
    expect(caseIdFor('credit-repair', 'a/b', 'c')).not.toBe(caseIdFor('credit-repair', 'a', 'b/c'));
  });

  it('keep the derivation of cases filed before, so they are still found', () => {
    // Values of the derivation in use until 2026-12-04 (procedure and key only; objection review the key alone).
    expect(legacyCaseIdFor('objection-review', '2026-0001')).toBe(LEGACY_OBJECTION);
    expect(legacyCaseIdFor('credit-repair', '2026-0001')).toBe(LEGACY_REPAIR);
  });
});

const LEGACY_OBJECTION = '3cf56c75-99dd-5abb-8098-353137217efb';
const LEGACY_REPAIR = '203dcc44-c049-533e-999f-55dd739896ba';
