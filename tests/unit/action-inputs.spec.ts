/**
 * The inputs the older procedure versions still in flight take (information-correction v1, credit-repair v1,
 * property-rating v1 and v2): each filing and action schema accepts exactly its documented fields, every value of its
 * enumerations, and names its own problems.
 *
 * Why this file sorts first: each schema is built once, on first use (`lazy`, src/domain/kernel/schema.ts), and the
 * mutation run (tests/unit/all-unit-specs.mutation.ts) loads the unit specs in file-name order into one registry, so a
 * mutant inside a schema builder counts as covered only by the first test that builds it. Without this file that test
 * is citations.spec.ts (GET /procedures builds every schema), which reads only the basis texts.
 */
import { informationCorrectionV1 } from '../../procedures/information-correction/v1';
import { creditRepairV1 } from '../../procedures/credit-repair/v1';
import { propertyRatingV1 } from '../../procedures/property-rating/v1';
import { propertyRatingV2 } from '../../procedures/property-rating/v2';
import type { AnyKernelProcedure } from '../../procedures';

const parsed = (def: AnyKernelProcedure, action: string, input: unknown) => def.actions[action].schema.safeParse(input);
const problems = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => (r.success ? [] : r.error!.issues.map((i) => [i.path.join('.'), i.message]));
const UNKNOWN = [['', 'Unrecognized key: "unknown"']];

describe('information-correction v1', () => {
  const def = informationCorrectionV1 as AnyKernelProcedure;
  it.each([
    ['filing', () => def.filing.safeParse({ information: '行政处罚决定书 2022-001' }), { information: '行政处罚决定书 2022-001' }],
    ['correct', () => parsed(def, 'correct', { description: '处罚金额更正' }), { description: '处罚金额更正' }],
    ['record-agency-receipt', () => parsed(def, 'record-agency-receipt', { agency: '黑龙江省公共信用信息中心' }), { agency: '黑龙江省公共信用信息中心' }],
  ])('%s takes its fields', (_name, parse, data) => {
    expect(parse()).toMatchObject({ success: true, data });
  });

  it('refuses fields they do not have', () => {
    expect(problems(def.filing.safeParse({ unknown: 1 }))).toEqual(UNKNOWN);
    expect(problems(parsed(def, 'correct', { description: 'x', unknown: 1 }))).toEqual(UNKNOWN);
    expect(problems(parsed(def, 'record-agency-receipt', { unknown: 1 }))).toEqual(UNKNOWN);
  });
});

describe('credit-repair v1', () => {
  const def = creditRepairV1 as AnyKernelProcedure;
  const LISTING = '7b0c1c3e-8a4f-4c7e-9d42-1f3a5b6c7d8e';
  it.each(['conduct-corrected', 'pandemic-measure-32'])('the filing takes the reason %s', (reasonCode) => {
    expect(def.filing.safeParse({ reasonCode, listingCaseId: LISTING })).toMatchObject({ success: true, data: { reasonCode, listingCaseId: LISTING } });
  });
  it.each(['approved', 'rejected'])('a decision may be %s', (outcome) => {
    expect(parsed(def, 'decide', { outcome, reasons: 'r', authorities: ['税务局'] })).toMatchObject({ success: true, data: { outcome, reasons: 'r', authorities: ['税务局'] } });
  });
  it('a refusal to accept takes its reasons', () => {
    expect(parsed(def, 'refuse-acceptance', { reasons: 'no corrected conduct shown' })).toMatchObject({ success: true, data: { reasons: 'no corrected conduct shown' } });
  });
  it('refuses what they do not know', () => {
    expect(problems(def.filing.safeParse({ reasonCode: '' }))).toEqual([['reasonCode', 'Invalid option: expected one of "conduct-corrected"|"pandemic-measure-32"']]);
    expect(problems(parsed(def, 'decide', { outcome: '' }))).toEqual([['outcome', 'Invalid option: expected one of "approved"|"rejected"']]);
    expect(problems(def.filing.safeParse({ unknown: 1 }))).toEqual(UNKNOWN);
    expect(problems(parsed(def, 'decide', { outcome: 'approved', unknown: 1 }))).toEqual(UNKNOWN);
  });
});

describe.each([
  ['property-rating v1', propertyRatingV1 as AnyKernelProcedure],
  ['property-rating v2', propertyRatingV2 as AnyKernelProcedure],
])('%s', (_name, def) => {
  const USCC = '91350100M000100Y43';

  it('the filing takes the compound, the company and the evaluator', () => {
    const filing = { compound: { name: '江北花园', occupiedSince: '2020-03-01', serviceSince: '2021-01-01' }, company: { name: '某物业服务有限公司', uscc: USCC }, evaluator: { name: 'A' } };
    expect(def.filing.safeParse(filing)).toEqual({ success: true, data: filing });
    expect(problems(def.filing.safeParse({ ...filing, company: { name: 'x', uscc: '91350100M000100Y44' } }))).toEqual([['company.uscc', 'must be a valid unified social credit code']]);
    expect(problems(def.filing.safeParse({ ...filing, unknown: 1 }))).toEqual(UNKNOWN);
  });

  it.each([
    ['declare-recusal', { evaluator: 'A', conflict: true, statement: 'ties' }],
    ['publish', { score: 92, evaluator: 'A' }],
    ['owner-objection', { objection: 'the lifts are often out of order' }],
    ['review', { score: 95, evaluator: 'A' }],
    ['review-objection', { objection: 'the review missed the car park' }],
    ['publish', { score: 0 }],
    ['publish', { score: 110 }],
    ['order-rectification', { period: { days: 1 } }],
    ['order-rectification', { period: { days: 30 } }],
    ['order-rectification', { period: { days: 365 } }],
    ['order-rectification', { period: { workingDays: 1 } }],
    ['order-rectification', { period: { workingDays: 5 } }],
    ['order-rectification', { period: { workingDays: 250 } }],
    ['order-rectification', { period: { months: 1 } }],
    ['order-rectification', { period: { months: 6 } }],
    ['order-rectification', { period: { months: 12 } }],
    ['revoke', { reason: 'major-safety-accident', findings: '电梯事故调查报告' }],
  ])('%s takes %j', (action, input) => {
    expect(parsed(def, action, input)).toEqual({ success: true, data: input });
    expect(problems(parsed(def, action, { ...input, unknown: 1 }))).toEqual(UNKNOWN);
  });

  it.each([
    ['publish', { score: -0.1 }],
    ['publish', { score: 110.1 }],
    ['order-rectification', { period: { days: 0 } }],
    ['order-rectification', { period: { days: 366 } }],
    ['order-rectification', { period: { workingDays: 251 } }],
    ['order-rectification', { period: { months: 13 } }],
    ['order-rectification', { period: { years: 1 } }],
  ])('%s refuses %j', (action, input) => {
    expect(parsed(def, action, input).success).toBe(false);
  });

  it('a revocation names its reason, a major safety accident', () => {
    expect(problems(parsed(def, 'revoke', { reason: 'other', findings: 'x' }))).toEqual([['reason', 'Invalid input: expected "major-safety-accident"']]);
  });
});

describe('property-rating v2 only', () => {
  const def = propertyRatingV2 as AnyKernelProcedure;
  it.each([
    ['recuse', { evaluator: 'A', statement: 'my firm manages a sister compound' }],
    ['decide-objection', { number: 1, upheld: true, reasons: 'r', score: 85, evaluator: 'B' }],
    ['decide-objection', { number: 200, upheld: false }],
  ])('%s takes %j', (action, input) => {
    expect(parsed(def, action, input)).toEqual({ success: true, data: input });
    expect(problems(parsed(def, action, { ...input, unknown: 1 }))).toEqual(UNKNOWN);
  });
});
