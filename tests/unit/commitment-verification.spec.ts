/**
 * Commitment verification (Heilongjiang Social Credit Regulation 2022, Arts. 45-46): the two-month verification period
 * by Civil Code month arithmetic, and the eligibility bars at filing.
 *
 * Calendar facts the dated rows rely on (prisma/calendar/cn-2004-2026.json): 2026-02-28 is a make-up working Saturday
 * (Spring Festival); 2026-10-31 is an ordinary Saturday and 2026-11-01 a Sunday, so the period rolls to Mon 2026-11-02.
 */
import * as fs from 'fs';
import * as path from 'path';
import { commitmentVerificationV1 as def, CommitmentData } from '../../procedures/commitment-verification/v1';
import { Calendar } from '../../src/domain/calendar';
import { fileKernelCase } from '../../src/domain/kernel/case-kernel';
import type { CreditStatus, FilingFacts } from '../../src/domain/kernel/ops';
import { jsonSchemaOf } from '../../src/domain/kernel/schema';
import { computeDeadline } from '../../src/domain/periods';

type Seed = Parameters<typeof Calendar.fromSeed>[0];
const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')) as Seed;
const calendar = Calendar.fromSeed(seed);

const ORG = { kind: 'organisation' as const, name: 'Test Co', idNumber: '91350100M000100Y43' };

function file(filing: unknown, receivedAt: string) {
  return fileKernelCase<CommitmentData>(def, calendar, {
    caseId: 'c-1',
    idempotencyKey: 'k-1',
    procedure: def.procedure,
    definitionVersion: def.version,
    variant: def.defaultVariant,
    unitId: 'unit-test',
    subject: ORG,
    receivedAt,
    filedAt: receivedAt,
    actor: 'tester',
    filing: def.filing.parse(filing),
  });
}

describe('commitment verification: two months from the decision (Art. 46; Civil Code Arts. 201-203)', () => {
  it.each([
    { label: 'month end (Art. 202): 31 Dec + 2 months = 28 Feb, a make-up working Saturday that stays', decidedAt: '2025-12-31', due: '2026-02-28', rolled: false },
    { label: 'Art. 202 then Art. 203: 31 Aug + 2 months = Sat 31 Oct, rolls to Mon 2 Nov', decidedAt: '2026-08-31', due: '2026-11-02', rolled: true },
    { label: 'corresponding day: 31 Jan + 2 months = Tue 31 Mar', decidedAt: '2026-01-31', due: '2026-03-31', rolled: false },
  ])('$label', ({ decidedAt, due, rolled }) => {
    const start = new Date(`${decidedAt}T00:00:00+08:00`).toISOString();
    const computed = computeDeadline(calendar, { start, period: { months: 2 } });
    expect(computed.dueDate).toBe(due);
    expect(computed.provisional).toBe(false);
    expect(!!computed.explanation.rolledForward).toBe(rolled);

    // The definition itself: a date and the same day as an instant give the same verification deadline.
    for (const form of [decidedAt, `${decidedAt}T09:30:00+08:00`]) {
      const c = file({ licence: { number: 'L-1', decidedAt: form } }, start);
      const verification = c.deadlines.find((d) => d.key === 'verification')!;
      expect(verification).toMatchObject({ kind: 'legal', dueDate: due, status: 'running' });
      expect(verification.dueAt).toBe(`${due}T16:00:00.000Z`); // 24:00 Asia/Shanghai
      expect(verification.reminders.map((r) => r.level)).toEqual(['reminder-10', 'reminder-3']);
    }
  });

  it('normalises a decision date to 00:00 Asia/Shanghai and keeps an instant as given', () => {
    expect(def.filing.parse({ licence: { number: 'L-1', decidedAt: '2026-03-02' } }).licence.decidedAt).toBe('2026-03-01T16:00:00.000Z');
    expect(def.filing.parse({ licence: { number: 'L-1', decidedAt: '2026-03-02T10:00:00+08:00' } }).licence.decidedAt).toBe('2026-03-02T02:00:00.000Z');
    expect(def.filing.safeParse({ licence: { number: 'L-1', decidedAt: '2026-02-30' } }).success).toBe(false);
    expect(def.filing.safeParse({ licence: { number: 'L-1', decidedAt: '2026-03-02T10:00:00' } }).success).toBe(false);
    expect(def.filing.safeParse({ licence: { number: 'L-1', decidedAt: '2026-03-02' }, extra: 1 }).success).toBe(false);
    expect(def.filing.safeParse({ licence: { number: 'L-1', decidedAt: '2026-03-02' }, materialsDue: { items: Array(51).fill('x'), period: { days: 5 } } }).success).toBe(false);
  });

  it('describes its filing and actions as JSON Schema (GET /procedures)', () => {
    expect(jsonSchemaOf(def.filing)).toMatchObject({ type: 'object', required: ['licence'], additionalProperties: false });
    for (const a of Object.values(def.actions)) expect(jsonSchemaOf(a.schema)).toMatchObject({ type: 'object', additionalProperties: false });
  });

  it('starts the subject clock for promised materials from receipt, with reminders 3 and 1 working days before', () => {
    const c = file({ licence: { number: 'L-1', decidedAt: '2026-03-09' }, materialsDue: { items: ['fire safety certificate'], period: { workingDays: 5 } } }, '2026-03-09T10:00:00+08:00');
    const materials = c.deadlines.find((d) => d.key === 'materials')!;
    expect(materials).toMatchObject({ kind: 'subject', owner: 'subject', dueDate: '2026-03-16', yellowAt: null });
    expect(materials.reminders.map((r) => r.level)).toEqual(['reminder-3', 'reminder-1']);
  });
});

describe('commitment verification: eligibility at filing (Art. 45 ¶1)', () => {
  const clean: CreditStatus = { listed: false, listings: [], repairs: [], commitmentBreaches: [] };
  const facts = (o: { decidedAt?: string; receivedAt?: string; creditStatus?: CreditStatus } = {}) => {
    const filing = def.filing.parse({ licence: { number: 'L-9', decidedAt: o.decidedAt ?? '2026-03-09' } });
    return { filing, variant: 'standard', receivedAt: o.receivedAt ?? '2026-03-09T02:00:00.000Z', subject: ORG, creditStatus: o.creditStatus ?? clean } satisfies FilingFacts<typeof filing>;
  };

  it('accepts a subject with a clean record, and one whose listing and breach were repaired', () => {
    expect(def.eligibility!(facts())).toBeNull();
    const repaired: CreditStatus = {
      listed: false,
      listings: [{ caseId: 'L1', procedure: 'dishonesty-listing', at: '2025-01-01T00:00:00.000Z', until: null, active: false, endedAt: '2025-06-01T00:00:00.000Z' }],
      repairs: [{ caseId: 'R1', at: '2025-06-01T00:00:00.000Z', listingCaseId: 'L1', commitmentCaseId: null }],
      commitmentBreaches: [{ caseId: 'B1', at: '2025-02-01T00:00:00.000Z', kind: 'false', repaired: true }],
    };
    expect(def.eligibility!(facts({ creditStatus: repaired }))).toBeNull();
  });

  it('commitment-verification/listed-subject: a subject on the serious-dishonesty list', () => {
    const creditStatus: CreditStatus = {
      ...clean,
      listed: true,
      listings: [{ caseId: 'case-listed-1', procedure: 'dishonesty-listing', at: '2026-01-01T00:00:00.000Z', until: null, active: true, endedAt: null }],
    };
    const hit = def.eligibility!(facts({ creditStatus }))!;
    expect(def.rules[hit.rule].id).toBe('commitment-verification/listed-subject');
    expect(hit.message).toContain('case-listed-1');
    expect(hit.message).toContain('credit repair');
  });

  it.each(['false', 'unkept'])('commitment-verification/unkept-commitment: an unrepaired %s commitment', (kind) => {
    const creditStatus: CreditStatus = { ...clean, commitmentBreaches: [{ caseId: 'case-breach-1', at: '2026-01-01T00:00:00.000Z', kind, repaired: false }] };
    const hit = def.eligibility!(facts({ creditStatus }))!;
    expect(def.rules[hit.rule].id).toBe('commitment-verification/unkept-commitment');
    expect(hit.message).toContain('case-breach-1');
    expect(hit.message).toContain(kind);
    expect(hit.message).toContain('credit repair');
  });

  it('commitment-verification/before-regulation: a licence decided before 2022-07-01', () => {
    const hit = def.eligibility!(facts({ decidedAt: '2022-06-30T23:59:00+08:00', receivedAt: '2022-06-01T02:00:00.000Z' }))!;
    expect(def.rules[hit.rule].id).toBe('commitment-verification/before-regulation');
    expect(def.eligibility!(facts({ decidedAt: '2022-07-01', receivedAt: '2022-07-01T02:00:00.000Z' }))).toBeNull();
  });

  it('commitment-verification/decided-before-receipt: a licence dated before the commitment was received', () => {
    const hit = def.eligibility!(facts({ decidedAt: '2026-03-08', receivedAt: '2026-03-09T02:00:00.000Z' }))!;
    expect(def.rules[hit.rule].id).toBe('commitment-verification/decided-before-receipt');
    // The same Asia/Shanghai day is fine: a date-only decision means that day.
    expect(def.eligibility!(facts({ decidedAt: '2026-03-09', receivedAt: '2026-03-09T08:00:00.000Z' }))).toBeNull();
  });
});
