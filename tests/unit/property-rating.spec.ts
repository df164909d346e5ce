/**
 * Property-service star rating (Jiangbei measures): the pure rules (score -> stars, eligibility dates, consequences)
 * and the dated examples, run on the kernel functions with the official calendar (prisma/calendar/cn-2004-2026.json).
 *
 * Calendar facts used: 2026 中秋 09-25..09-27, 国庆 10-01..10-07 (10-08 a Thursday, a working day);
 * 2026-11-08 is a Sunday; 2027 and 2028 have no notice loaded (weekdays only, provisional); 2028-10-08 is a Sunday.
 */
import * as fs from 'fs';
import * as path from 'path';
import { definitionForReceipt } from '../../procedures';
import { consequencesOf, eligibleFrom, starsFor } from '../../procedures/property-rating/rating';
import { MAX_DECLARATIONS, MAX_OBJECTIONS, propertyRatingV1 as def, RatingData, RatingFiling } from '../../procedures/property-rating/v1';
import { propertyRatingV2 as v2, RatingDataV2 } from '../../procedures/property-rating/v2';
import { parseCaseFiling } from '../../src/cases/filing';
import { Calendar } from '../../src/domain/calendar';
import { applyKernelAction, fileKernelCase, parseKernelAction, processDue, refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { KernelCase } from '../../src/domain/kernel/ops';

const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')) as Parameters<typeof Calendar.fromSeed>[0];
const calendar = Calendar.fromSeed(seed);
const ORG = { kind: 'organisation' as const, name: 'Test Property Co', idNumber: '91350100M000100Y43' };

describe('Art. 5: score -> stars at every boundary', () => {
  it.each([
    [0, 0],
    [69.9, 0],
    [69.99, 0],
    [70, 1],
    [79.9, 1],
    [79.99, 1],
    [80, 2],
    [89.9, 2],
    [90, 3],
    [92, 3],
    [99.9, 3],
    [100, 4],
    [104.9, 4],
    [105, 5],
    [110, 5],
  ])('score %p -> %p star(s)', (score, stars) => {
    expect(starsFor(score)).toBe(stars);
  });

  it.each([-0.1, 110.1, Number.NaN])('refuses score %p outside 0–110', (score) => {
    expect(() => starsFor(score)).toThrow(RangeError);
  });
});

describe('Art. 13: consequences by level', () => {
  it('five stars: certificate, 100,000 yuan, credit +5', () => {
    expect(consequencesOf(5)).toEqual({
      certificate: true,
      rewardYuan: 100_000,
      creditScoreChange: 5,
      intensifiedInspection: false,
      rectificationOrder: false,
      interviewOfCompanyHead: false,
      reEvaluationAfterRectification: false,
    });
  });
  it('four stars: certificate, 80,000 yuan, credit +3', () => {
    expect(consequencesOf(4)).toMatchObject({ certificate: true, rewardYuan: 80_000, creditScoreChange: 3, rectificationOrder: false });
  });
  it.each([3, 2] as const)('%p stars: no reward and no sanction', (stars) => {
    expect(consequencesOf(stars)).toMatchObject({ certificate: false, rewardYuan: 0, creditScoreChange: 0, intensifiedInspection: false, rectificationOrder: false });
  });
  it('one star: more frequent inspection and an order to rectify, no credit change', () => {
    expect(consequencesOf(1)).toMatchObject({ intensifiedInspection: true, rectificationOrder: true, creditScoreChange: 0, interviewOfCompanyHead: false, reEvaluationAfterRectification: false });
  });
  it('non-compliant: inspection, rectification, credit −3, interview of the company head, re-evaluation', () => {
    expect(consequencesOf(0)).toEqual({
      certificate: false,
      rewardYuan: 0,
      creditScoreChange: -3,
      intensifiedInspection: true,
      rectificationOrder: true,
      interviewOfCompanyHead: true,
      reEvaluationAfterRectification: true,
    });
  });
});

describe('Art. 2: eligibility (6 months, Civil Code month arithmetic, no roll-forward)', () => {
  const eligibility = (compound: Omit<RatingFiling['compound'], 'name'>, receivedAt: string) =>
    def.eligibility!({ filing: def.filing.parse({ compound: { name: '江北花园', ...compound } }), variant: 'standard', receivedAt, subject: ORG });

  it('eligible from the corresponding day 6 months later, or the month end (occupied 2026-08-31 -> 2027-02-28)', () => {
    expect(eligibleFrom('2026-08-31')).toBe('2027-02-28');
    expect(eligibleFrom('2027-08-31')).toBe('2028-02-29');
    expect(eligibleFrom('2026-05-28')).toBe('2026-11-28');
    // 2026-10-04 falls in the National Day holiday: a minimum elapsed time is not rolled forward to a working day.
    expect(eligibleFrom('2026-04-04')).toBe('2026-10-04');
  });

  it('refuses a compound occupied for less than 6 months (property-rating/occupied-under-6-months), month-end case', () => {
    const hit = eligibility({ occupiedSince: '2026-08-31' }, '2027-02-27T23:59:59+08:00');
    expect(hit?.rule).toBe('occupiedUnder6Months');
    expect(def.rules[hit!.rule].id).toBe('property-rating/occupied-under-6-months');
    expect(hit!.message).toContain('2027-02-28');
    // 2027-02-27T16:00Z is 2027-02-28 00:00 in Asia/Shanghai: eligible.
    expect(eligibility({ occupiedSince: '2026-08-31' }, '2027-02-27T16:00:00Z')).toBeNull();
    expect(eligibility({ occupiedSince: '2026-08-31' }, '2027-02-28T09:00:00+08:00')).toBeNull();
    // Receipt on a rest day that is the first eligible day is accepted (no roll-forward).
    expect(eligibility({ occupiedSince: '2026-04-04' }, '2026-10-03T10:00:00+08:00')?.rule).toBe('occupiedUnder6Months');
    expect(eligibility({ occupiedSince: '2026-04-04' }, '2026-10-04T10:00:00+08:00')).toBeNull();
  });

  it('refuses a new property company that has served less than 6 months (property-rating/service-under-6-months)', () => {
    const compound = { occupiedSince: '2020-01-15', serviceSince: '2026-05-31' };
    const hit = eligibility(compound, '2026-11-29T10:00:00+08:00');
    expect(hit?.rule).toBe('serviceUnder6Months');
    expect(def.rules[hit!.rule].id).toBe('property-rating/service-under-6-months');
    expect(hit!.message).toContain('2026-11-30');
    expect(eligibility(compound, '2026-11-30T00:00:00+08:00')).toBeNull();
    // The occupation rule is checked first.
    expect(eligibility({ occupiedSince: '2026-08-31', serviceSince: '2026-08-31' }, '2026-12-01T10:00:00+08:00')?.rule).toBe('occupiedUnder6Months');
  });

  it('Art. 15 (本办法自2022年7月1日起施行,有效期2年): v1 and v2 are valid 2022-07-01 to 2024-06-30; no version claims a continuation', () => {
    // Changed from "no end date, the operator continues the measures": no text contains such a continuation.
    expect(def.validFrom).toBe('2022-07-01');
    expect(def.validTo).toBe('2024-06-30');
    expect(v2.validTo).toBe('2024-06-30');
    for (const d of [def, v2]) {
      expect(d.basis.join(' ')).toContain('本办法自2022年7月1日起施行,有效期2年');
      expect(d.basis.join(' ')).not.toMatch(/continue/i);
    }
    expect(definitionForReceipt('property-rating', '2022-06-30')).toBeUndefined();
    expect(definitionForReceipt('property-rating', '2022-07-01')?.version).toBe(2);
    expect(definitionForReceipt('property-rating', '2024-06-30')?.version).toBe(2);
    expect(definitionForReceipt('property-rating', '2024-07-01')).toBeUndefined();
  });
});

describe('Art. 15: a receipt after 2024-06-30 needs a recorded renewal notice', () => {
  const NOW = new Date('2026-12-01T00:00:00Z');
  const body = (receivedAt: string) => ({
    procedure: 'property-rating',
    idempotencyKey: 'k',
    receivedAt,
    subject: { name: '某物业服务有限公司', uscc: '91350100M000100Y43' },
    compound: { name: '江北花园', occupiedSince: '2020-03-01' },
  });
  const renewal = { id: 1, document: '江北新区物业〔2024〕1号 (test)', issuedAt: '2024-06-20', validFrom: '2024-07-01', validTo: '2026-06-30', recordedBy: 'admin', recordedAt: '2024-06-21T02:00:00.000Z' };

  it.each([
    ['the last day of the measures', '2024-06-30T23:59:00+08:00', [], 'ok', undefined],
    ['the day after, no renewal', '2024-07-01T00:00:00+08:00', [], 'property-rating/measures-expired', undefined],
    ['inside a renewal', '2024-07-01T00:00:00+08:00', [renewal], 'ok', renewal.document],
    ['the last day of a renewal', '2026-06-30T12:00:00+08:00', [renewal], 'ok', renewal.document],
    ['after a renewal ended', '2026-07-01T12:00:00+08:00', [renewal], 'property-rating/measures-expired', undefined],
  ])('receipt on %s (%s) -> %s', (_what, receivedAt, renewals, expected, cited) => {
    const r = parseCaseFiling(body(receivedAt), NOW, renewals);
    if (expected === 'ok') {
      expect(r).toMatchObject({ ok: true, value: { definitionVersion: 2 } });
      expect(r.ok && r.value.renewal?.document).toBe(cited ?? undefined);
    } else {
      expect(r).toMatchObject({ ok: false, refusal: { rule: expected } });
      expect(!r.ok && 'refusal' in r && r.refusal.basis).toContain('Art. 15');
    }
  });

  it('a case filed under a renewal cites its document number in its data and audit trail', () => {
    const c = fileKernelCase<RatingDataV2>(v2, calendar, {
      caseId: 'c-r', idempotencyKey: 'k-r', procedure: 'property-rating', definitionVersion: 2, variant: 'standard', unitId: 'u', subject: ORG,
      receivedAt: '2025-03-03T02:00:00.000Z', filedAt: '2025-03-03T02:00:00.000Z', actor: 'tester', renewal,
      filing: v2.filing.parse({ compound: { name: '江北花园', occupiedSince: '2020-03-01' } }),
    });
    expect(c.data.measures).toMatchObject({ validTo: '2026-06-30', renewal: { document: renewal.document } });
    expect(c.data.measures.basis).toContain(renewal.document);
    expect(c.events.find((e) => e.type === 'measures.renewal-cited')?.data).toMatchObject({ document: renewal.document });
    expect(c.events[0].data).toMatchObject({ renewal: { document: renewal.document } });
  });
});

// ---------------------------------------------------------------- dated examples on the kernel (no Temporal)

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- v1 or v2
type Def = any;
function file<D = RatingData>(receivedAt: string, filing: object, d: Def = def): KernelCase<D> {
  return fileKernelCase<D>(d, calendar, {
    caseId: 'c-1',
    idempotencyKey: 'k-1',
    procedure: d.procedure,
    definitionVersion: d.version,
    variant: 'standard',
    unitId: 'unit-test',
    subject: ORG,
    receivedAt: new Date(receivedAt).toISOString(),
    filedAt: new Date(receivedAt).toISOString(),
    actor: 'tester',
    filing: d.filing.parse(filing),
  });
}

/** Performs an action at `now` the way the workflow does; returns the refusal's rule id, or null when applied. */
function act(c: KernelCase<RatingData>, at: string, body: object, d: Def = def): string | null {
  // The kernel compares instants as ISO strings in UTC, as the workflow's clock gives them.
  const now = new Date(at).toISOString();
  const parsed = parseKernelAction(d, body);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  processDue(d, calendar, c as KernelCase<unknown>, now);
  const refusal = refusalForAction(d, c as KernelCase<unknown>, parsed.value, now);
  if (refusal) return refusal.rule;
  applyKernelAction(d, calendar, c as KernelCase<unknown>, parsed.value, now);
  processDue(d, calendar, c as KernelCase<unknown>, now);
  return null;
}

const due = (c: KernelCase<RatingData>, key: string) => c.deadlines.find((d) => d.key === key)?.dueDate;

describe('dated examples (official calendar)', () => {
  it('published 2026-09-24: the 7-day publicity ends on 1 Oct, a holiday, and rolls forward to 2026-10-08', () => {
    const c = file('2026-09-21T10:00:00+08:00', { compound: { name: '江北花园', occupiedSince: '2020-03-01' }, evaluator: { name: 'Evaluator A' } });
    expect(act(c, '2026-09-22T10:00:00+08:00', { action: 'declare-recusal', evaluator: 'Evaluator A', conflict: false, statement: 'no ties' })).toBeNull();
    expect(act(c, '2026-09-24T10:00:00+08:00', { action: 'publish', score: 92 })).toBeNull();
    const publicity = c.deadlines.find((d) => d.key === 'publicity')!;
    expect(publicity).toMatchObject({ kind: 'window', dueDate: '2026-10-08', dueAt: '2026-10-08T16:00:00.000Z' });
    expect(publicity.explanation.rolledForward).toMatchObject({ from: '2026-10-01', to: '2026-10-08' });

    // The last instant of the window accepts an objection; 24:00 on 8 Oct closes it.
    expect(act(c, '2026-10-08T23:59:00+08:00', { action: 'owner-objection', objection: 'the lifts are often out of order' })).toBeNull();
    expect(act(c, '2026-10-09T00:00:00+08:00', { action: 'owner-objection', objection: 'too late' })).toBe('window-closed');

    // Effective from 2026-10-09; the periods run from the end of publicity (8 Oct not counted).
    expect(c.state).toBe('effective');
    expect(c.data.rating).toMatchObject({ stars: 3, effectiveFrom: '2026-10-09', validUntil: '2028-10-09' });
    // Two years: 2028-10-08 is a Sunday (2028 provisional, weekdays only) -> Monday 2028-10-09.
    expect(due(c, 'validity')).toBe('2028-10-09');
    // One month: 2026-11-08 is a Sunday -> 2026-11-09.
    expect(due(c, 'nameplate')).toBe('2026-11-09');
    // One year: 2027-10-08, a Friday (2027 provisional).
    expect(due(c, 'second-year-review')).toBe('2027-10-08');
  });

  it('caps the declarations per case (property-rating/declarations-full)', () => {
    const c = file('2026-09-21T10:00:00+08:00', { compound: { name: '江北花园', occupiedSince: '2020-03-01' } });
    for (let i = 1; i <= MAX_DECLARATIONS; i++) {
      expect(act(c, '2026-09-22T10:00:00+08:00', { action: 'declare-recusal', evaluator: `E${i}`, conflict: i % 2 === 0, statement: 's' })).toBeNull();
    }
    expect(act(c, '2026-09-22T10:00:00+08:00', { action: 'declare-recusal', evaluator: 'E21', conflict: false, statement: 's' })).toBe('property-rating/declarations-full');
    expect(c.data.declarations).toHaveLength(MAX_DECLARATIONS);
  });

  it('caps the objections per publicity (property-rating/objections-full)', () => {
    const c = file('2026-09-21T10:00:00+08:00', { compound: { name: '江北花园', occupiedSince: '2020-03-01' } });
    act(c, '2026-09-22T10:00:00+08:00', { action: 'declare-recusal', evaluator: 'A', conflict: false, statement: 's' });
    act(c, '2026-09-24T10:00:00+08:00', { action: 'publish', score: 70, evaluator: 'A' });
    for (let i = 0; i < MAX_OBJECTIONS; i++) expect(act(c, '2026-09-25T10:00:00+08:00', { action: 'owner-objection', objection: `objection ${i}` })).toBeNull();
    expect(act(c, '2026-09-25T10:00:00+08:00', { action: 'owner-objection', objection: 'one more' })).toBe('property-rating/objections-full');
    expect(c.data.pending?.objections).toBe(MAX_OBJECTIONS);
  });

  it('a one-star rating may be ordered to rectify; the period ending is recorded without a re-evaluation', () => {
    const c = file('2026-09-21T10:00:00+08:00', { compound: { name: '江北花园', occupiedSince: '2020-03-01' } });
    act(c, '2026-09-22T10:00:00+08:00', { action: 'declare-recusal', evaluator: 'A', conflict: false, statement: 's' });
    act(c, '2026-09-24T10:00:00+08:00', { action: 'publish', score: 75 });
    expect(act(c, '2026-10-12T10:00:00+08:00', { action: 'order-rectification', period: { days: 30 } })).toBeNull();
    expect(c.state).toBe('effective');
    expect(due(c, 'rectification')).toBe('2026-11-11');
    processDue(def, calendar, c as KernelCase<unknown>, new Date('2026-11-12T00:00:00+08:00').toISOString());
    expect(c.state).toBe('effective');
    expect(c.events.map((e) => e.type)).toContain('rectification.period-ended');
    expect(c.events.map((e) => e.type)).not.toContain('re-evaluation.due');
  });
});

// ---------------------------------------------------------------- v2: the findings on Art. 6, 9, 12 (no Temporal)

const at = (local: string) => new Date(local).toISOString();
const COMPOUND = { compound: { name: '江北花园', occupiedSince: '2020-03-01' }, evaluator: { name: 'A' } };
/** Filed 2026-09-21, evaluator A declared, 92 points published 2026-09-24: publicity until 2026-10-08 24:00. */
function published(): KernelCase<RatingDataV2> {
  const c = file<RatingDataV2>('2026-09-21T10:00:00+08:00', COMPOUND, v2);
  expect(act(c, '2026-09-22T10:00:00+08:00', { action: 'declare-recusal', evaluator: 'A', conflict: false, statement: 'no ties' }, v2)).toBeNull();
  expect(act(c, '2026-09-24T10:00:00+08:00', { action: 'publish', score: 92 }, v2)).toBeNull();
  return c;
}
const tick = (c: KernelCase<RatingDataV2>, local: string) => processDue(v2, calendar, c as KernelCase<unknown>, at(local));

describe('Art. 9 (超过公示期提出异议的不予受理): objections are judged on when they were received', () => {
  it.each([
    ['received on the last evening, entered 4 days later', '2026-10-08T20:00:00+08:00', null],
    ['received at 24:00 on the last day', '2026-10-09T00:00:00+08:00', 'window-closed'],
    ['received the day after the publicity, entered late', '2026-10-09T09:00:00+08:00', 'window-closed'],
    ['received before the publicity started (before the previous step: refused as such)', '2026-09-24T09:00:00+08:00', 'action-time'],
  ])('%s (occurredAt %s) -> %p', (_what, occurredAt, expected) => {
    const c = published();
    expect(act(c, '2026-10-12T10:00:00+08:00', { action: 'owner-objection', objection: 'the lifts are often out of order', occurredAt }, v2)).toBe(expected);
  });

  it('a timely objection entered after the result took effect is accepted, keeps both times, and holds the result until decided', () => {
    const c = published();
    tick(c, '2026-10-10T10:00:00+08:00');
    expect(c.state).toBe('effective');
    expect(act(c, '2026-10-12T10:00:00+08:00', { action: 'owner-objection', objection: 'lifts', occurredAt: '2026-10-08T20:00:00+08:00' }, v2)).toBeNull();
    const e = c.events.find((x) => x.type === 'publicity.objection')!;
    expect(e).toMatchObject({ at: at('2026-10-08T20:00:00+08:00'), recordedAt: at('2026-10-12T10:00:00+08:00'), data: { lateEntry: true } });
    expect(c.state).toBe('objections-pending');
    expect(act(c, '2026-10-13T10:00:00+08:00', { action: 'decide-objection', number: 1, upheld: false, reasons: 'lifts inspected: in order' }, v2)).toBeNull();
    expect(c.state).toBe('effective');
    expect(c.data.rating).toMatchObject({ stars: 3, effectiveFrom: '2026-10-09' });
  });

  it('an upheld late objection sets the result in effect aside: re-scored and published again, its periods cancelled', () => {
    const c = published();
    tick(c, '2026-10-10T10:00:00+08:00');
    act(c, '2026-10-12T10:00:00+08:00', { action: 'owner-objection', objection: 'lifts', occurredAt: '2026-10-08T20:00:00+08:00' }, v2);
    expect(act(c, '2026-10-13T10:00:00+08:00', { action: 'decide-objection', number: 1, upheld: true, score: 85 }, v2)).toBeNull();
    expect(c.state).toBe('publicity');
    expect(c.data.rating).toBeNull();
    expect(c.data.pending).toMatchObject({ score: 85, stars: 2, publicityKey: 'publicity-2' });
    expect(c.deadlines.find((d) => d.key === 'validity')?.status).toBe('cancelled');
  });
});

describe('Art. 9 objections are decided before the result takes effect (local policy)', () => {
  it('publicity ended with an undecided objection: no effect until it is decided; not upheld needs reasons', () => {
    const c = published();
    expect(act(c, '2026-09-28T10:00:00+08:00', { action: 'owner-objection', objection: 'cleaning is poor' }, v2)).toBeNull();
    tick(c, '2026-10-09T10:00:00+08:00');
    expect(c.state).toBe('objections-pending');
    expect(c.data.rating).toBeNull();
    expect(c.deadlines.find((d) => d.clock === 'validity')).toBeUndefined();
    expect(act(c, '2026-10-15T10:00:00+08:00', { action: 'decide-objection', number: 1, upheld: false }, v2)).toBe('property-rating/objection-reasons-required');
    expect(act(c, '2026-10-15T10:00:00+08:00', { action: 'decide-objection', number: 1, upheld: true }, v2)).toBe('property-rating/rescore-required');
    expect(act(c, '2026-10-15T10:00:00+08:00', { action: 'decide-objection', number: 2, upheld: false, reasons: 'r' }, v2)).toBe('property-rating/unknown-objection');
    expect(act(c, '2026-10-15T10:00:00+08:00', { action: 'decide-objection', number: 1, upheld: false, reasons: 'cleaning checked twice' }, v2)).toBeNull();
    // Art. 10: effective from the end of publicity; the periods run from it.
    expect(c.state).toBe('effective');
    expect(c.data.rating).toMatchObject({ stars: 3, effectiveFrom: '2026-10-09', validUntil: '2028-10-09' });
    expect(due(c, 'nameplate')).toBe('2026-11-09');
    expect(act(c, '2026-10-16T10:00:00+08:00', { action: 'decide-objection', number: 1, upheld: false, reasons: 'again' }, v2)).toBe('property-rating/unknown-objection');
  });

  it('an objection upheld during publicity: the evaluator re-scores and the new result is published for 7 days', () => {
    const c = published();
    act(c, '2026-09-28T10:00:00+08:00', { action: 'owner-objection', objection: 'cleaning is poor' }, v2);
    expect(act(c, '2026-09-29T10:00:00+08:00', { action: 'decide-objection', number: 1, upheld: true, score: 88 }, v2)).toBeNull();
    expect(c.deadlines.find((d) => d.key === 'publicity')?.status).toBe('cancelled');
    expect(c.data.pending).toMatchObject({ score: 88, stars: 2, publicityKey: 'publicity-2' });
    expect(c.events.map((e) => e.type)).toContain('rating.re-scored');
    // No further objection: effective at the end of the new publicity.
    tick(c, '2026-10-12T10:00:00+08:00');
    expect(c.data.rating).toMatchObject({ stars: 2 });
  });
});

describe('Art. 6 (存有利害关系,应当主动申请回避): recusals', () => {
  it('an evaluator who declared no conflict and later applies to recuse may not score', () => {
    const c = file<RatingDataV2>('2026-09-21T10:00:00+08:00', COMPOUND, v2);
    act(c, '2026-09-22T10:00:00+08:00', { action: 'declare-recusal', evaluator: 'A', conflict: false, statement: 'no ties' }, v2);
    expect(act(c, '2026-09-23T10:00:00+08:00', { action: 'recuse', evaluator: 'A', statement: 'my firm manages a sister compound' }, v2)).toBeNull();
    expect(c.events.at(-1)).toMatchObject({ type: 'evaluator.recused' });
    expect(act(c, '2026-09-24T10:00:00+08:00', { action: 'publish', score: 92 }, v2)).toBe('property-rating/conflicted-evaluator');
    expect(act(c, '2026-09-24T10:00:00+08:00', { action: 'declare-recusal', evaluator: 'A', conflict: false, statement: 'withdrawn' }, v2)).toBe('property-rating/already-declared');
  });

  it('a conflict declared after a no-conflict declaration is a recusal (v1 refused it as already declared)', () => {
    const c = file<RatingDataV2>('2026-09-21T10:00:00+08:00', COMPOUND, v2);
    act(c, '2026-09-22T10:00:00+08:00', { action: 'declare-recusal', evaluator: 'A', conflict: false, statement: 'no ties' }, v2);
    expect(act(c, '2026-09-23T10:00:00+08:00', { action: 'declare-recusal', evaluator: 'A', conflict: true, statement: 'ties found' }, v2)).toBeNull();
    expect(act(c, '2026-09-24T10:00:00+08:00', { action: 'publish', score: 92 }, v2)).toBe('property-rating/conflicted-evaluator');
  });

  it('the mandatory declaration of no conflict is named a local policy, not Art. 6', () => {
    const { declarationMissing, conflictedEvaluator } = v2.rules;
    expect(declarationMissing.basis).toMatch(/^local policy/);
    expect(declarationMissing.basis).not.toMatch(/Art\. 6:/);
    expect(conflictedEvaluator.basis).toContain('参与评估的人员若与受评的物业服务企业及其在管项目存有利害关系,应当主动申请回避');
  });
});

describe('Art. 12 (在第二年度进行复核): the review is a window over the second year', () => {
  /** Effective 2026-10-09 (publicity ended 2026-10-08). */
  function effective(): KernelCase<RatingDataV2> {
    const c = published();
    tick(c, '2026-10-10T10:00:00+08:00');
    expect(c.data.rating?.effectiveFrom).toBe('2026-10-09');
    return c;
  }

  it.each([
    ['in the first year', '2027-05-01T10:00:00+08:00', 'property-rating/review-in-first-year'],
    ['the last day of the first year', '2027-10-08T23:00:00+08:00', 'property-rating/review-in-first-year'],
    ['the first day of the second year', '2027-10-09T09:00:00+08:00', null],
    ['late in the second year', '2028-09-01T10:00:00+08:00', null],
  ])('a review dated %s (%s) -> %p', (_what, when, expected) => {
    const c = effective();
    expect(act(c, when, { action: 'review', score: 95 }, v2)).toBe(expected);
  });

  it('the review is due at the end of validity, not at the first anniversary; none by then is the breach (red)', () => {
    const c = effective();
    expect(due(c, 'second-year-review')).toBe('2028-10-09');
    expect(due(c, 'second-year-review')).toBe(due(c, 'validity'));
    tick(c, '2027-10-12T10:00:00+08:00');
    expect(c.escalations.filter((e) => e.deadlineKey === 'second-year-review' && e.level === 'red')).toHaveLength(0);
    tick(c, '2028-10-10T10:00:00+08:00');
    expect(c.state).toBe('closed');
    expect(c.outcome).toBe('expired');
    expect(c.escalations.some((e) => e.deadlineKey === 'second-year-review' && e.level === 'red')).toBe(true);
    expect(c.deadlines.find((d) => d.key === 'second-year-review')?.status).toBe('overdue');
  });
});
