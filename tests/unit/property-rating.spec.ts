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

  it('is valid from 2022-07-01 with no end date: Art. 15 gave two years, the operator continues the measures', () => {
    expect(def.validFrom).toBe('2022-07-01');
    expect(def.validTo).toBeUndefined();
    expect(def.basis.join(' ')).toContain('Art. 15');
    expect(definitionForReceipt('property-rating', '2022-06-30')).toBeUndefined();
    expect(definitionForReceipt('property-rating', '2022-07-01')?.version).toBe(1);
    expect(definitionForReceipt('property-rating', '2026-11-28')?.version).toBe(1);
  });
});

// ---------------------------------------------------------------- dated examples on the kernel (no Temporal)

function file(receivedAt: string, filing: object): KernelCase<RatingData> {
  return fileKernelCase<RatingData>(def, calendar, {
    caseId: 'c-1',
    idempotencyKey: 'k-1',
    procedure: def.procedure,
    definitionVersion: def.version,
    variant: 'standard',
    unitId: 'unit-test',
    subject: ORG,
    receivedAt: new Date(receivedAt).toISOString(),
    filedAt: new Date(receivedAt).toISOString(),
    actor: 'tester',
    filing: def.filing.parse(filing),
  });
}

/** Performs an action at `now` the way the workflow does; returns the refusal's rule id, or null when applied. */
function act(c: KernelCase<RatingData>, at: string, body: object): string | null {
  // The kernel compares instants as ISO strings in UTC, as the workflow's clock gives them.
  const now = new Date(at).toISOString();
  const parsed = parseKernelAction(def, body);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  processDue(def, calendar, c as KernelCase<unknown>, now);
  const refusal = refusalForAction(def, c as KernelCase<unknown>, parsed.value, now);
  if (refusal) return refusal.rule;
  applyKernelAction(def, calendar, c as KernelCase<unknown>, parsed.value, now);
  processDue(def, calendar, c as KernelCase<unknown>, now);
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
