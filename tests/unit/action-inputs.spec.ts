/**
 * The inputs the older procedure versions still in flight take (information-correction v1, credit-repair v1,
 * property-rating v1 and v2): each filing and action schema accepts exactly its documented fields, every value of its
 * enumerations and the limits of its numbers, and refuses one past them. One test per schema, holding all its rows.
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
  it('the filing takes either reason and the listing repaired', () => {
    for (const reasonCode of ['conduct-corrected', 'pandemic-measure-32']) {
      expect(def.filing.safeParse({ reasonCode, listingCaseId: LISTING })).toEqual({ success: true, data: { reasonCode, listingCaseId: LISTING } });
    }
    expect(problems(def.filing.safeParse({ reasonCode: '' }))).toEqual([['reasonCode', 'Invalid option: expected one of "conduct-corrected"|"pandemic-measure-32"']]);
  });
  it('a decision is approved or rejected, with its reasons and the authorities ending a restriction', () => {
    for (const outcome of ['approved', 'rejected']) {
      expect(parsed(def, 'decide', { outcome, reasons: 'r', authorities: ['税务局'] })).toEqual({ success: true, data: { outcome, reasons: 'r', authorities: ['税务局'] } });
    }
    expect(problems(parsed(def, 'decide', { outcome: '' }))).toEqual([['outcome', 'Invalid option: expected one of "approved"|"rejected"']]);
  });
  it('a refusal to accept takes its reasons', () => {
    expect(parsed(def, 'refuse-acceptance', { reasons: 'no corrected conduct shown' })).toEqual({ success: true, data: { reasons: 'no corrected conduct shown' } });
  });
  it('refuses fields they do not have', () => {
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
    ['declare-recusal', [{ evaluator: 'A', conflict: true, statement: 'ties' }], [{ evaluator: 'A', statement: 'ties' }]],
    ['publish', [{ score: 92, evaluator: 'A' }, { score: 0 }, { score: 110 }], [{ score: -0.1 }, { score: 110.1 }]],
    ['owner-objection', [{ objection: 'the lifts are often out of order' }], [{}]],
    ['review', [{ score: 95, evaluator: 'A' }, { score: 0 }, { score: 110 }], [{ score: -0.1 }, { score: 110.1 }]],
    ['review-objection', [{ objection: 'the review missed the car park' }], [{}]],
    [
      'order-rectification',
      [
        { period: { days: 1 } },
        { period: { days: 30 } },
        { period: { days: 365 } },
        { period: { workingDays: 1 } },
        { period: { workingDays: 5 } },
        { period: { workingDays: 250 } },
        { period: { months: 1 } },
        { period: { months: 6 } },
        { period: { months: 12 } },
      ],
      [{ period: { days: 0 } }, { period: { days: 366 } }, { period: { workingDays: 251 } }, { period: { months: 13 } }, { period: { years: 1 } }],
    ],
    ['revoke', [{ reason: 'major-safety-accident', findings: '电梯事故调查报告' }], [{ reason: 'other', findings: 'x' }]],
  ] as const)('%s takes exactly its fields', (action, accepted, refused) => {
    for (const input of accepted) {
      expect(parsed(def, action, input)).toEqual({ success: true, data: input });
      expect(problems(parsed(def, action, { ...input, unknown: 1 }))).toEqual(UNKNOWN);
    }
    for (const input of refused) expect([input, parsed(def, action, input).success]).toEqual([input, false]);
  });

  it('a revocation names its reason, a major safety accident', () => {
    expect(problems(parsed(def, 'revoke', { reason: 'other', findings: 'x' }))).toEqual([['reason', 'Invalid input: expected "major-safety-accident"']]);
  });
});

describe('property-rating v2 only', () => {
  const def = propertyRatingV2 as AnyKernelProcedure;
  it.each([
    ['recuse', [{ evaluator: 'A', statement: 'my firm manages a sister compound' }], [{ evaluator: 'A' }]],
    [
      'decide-objection',
      [{ number: 1, upheld: true, reasons: 'r', score: 85, evaluator: 'B' }, { number: 200, upheld: false }],
      [{ number: 0, upheld: false }, { number: 201, upheld: false }, { number: 1.5, upheld: false }, { number: 1, upheld: true, score: 110.1 }],
    ],
  ] as const)('%s takes exactly its fields', (action, accepted, refused) => {
    for (const input of accepted) {
      expect(parsed(def, action, input)).toEqual({ success: true, data: input });
      expect(problems(parsed(def, action, { ...input, unknown: 1 }))).toEqual(UNKNOWN);
    }
    for (const input of refused) expect([input, parsed(def, action, input).success]).toEqual([input, false]);
  });
});
