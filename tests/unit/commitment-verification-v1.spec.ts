/**
 * Commitment verification version 1 (Heilongjiang Social Credit Regulation 2022, Arts. 45-46; Shangzhi 2021 report) on
 * the kernel's pure functions, no Temporal, no database: one row per rule branch. Receipts up to 2026-11-27 were filed
 * under it and keep it; version 2 only adds the Art. 30 ¶3 extension of the rectification period.
 *
 * Calendar facts used (prisma/calendar/cn-2004-2026.json): 2026-09-21 Mon working; 09-25 Fri to 09-27 Sun 中秋节
 * holidays; 09-28 Mon to 09-30 Wed working; 10-01..07 国庆节 holidays; 10-08 Thu, 10-09 Fri working and 10-10 Sat a
 * make-up working day; 11-21 Sat and 11-22 Sun rest days. A due date D ends at 24:00 Asia/Shanghai = D T16:00:00.000Z.
 * "Within N working days from day X": X itself is not counted.
 */
import { versions } from '../../procedures/commitment-verification';
import { type CommitmentData, commitmentVerificationV1 as def } from '../../procedures/commitment-verification/v1';
import { processDue, refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { CreditStatus, FilingFacts, KernelCase } from '../../src/domain/kernel/ops';
import * as harness from './kernel-harness';

const { calendar, sh } = harness;
type Case = KernelCase<CommitmentData>;

const endOf = (date: string) => `${date}T16:00:00.000Z`;
const RECEIVED = sh('2026-09-21'); // Mon 10:00 Asia/Shanghai
const NUMBER = 'HLJ-XK-2026-0921';
const LICENCE = { number: NUMBER, decidedAt: '2026-09-21' };
/** 2026-09-21 00:00 Asia/Shanghai. */
const DECIDED = '2026-09-20T16:00:00.000Z';
const ITEMS = ['消防安全检查合格证', '卫生许可证副本'];
const PROMISED = { licence: LICENCE, materialsDue: { items: ITEMS, period: { workingDays: 3 } } };

const file = (filing: Record<string, unknown> = { licence: LICENCE }, receivedAt = RECEIVED): Case => harness.file(def, filing, 'standard', receivedAt);
const act = (c: Case, body: Record<string, unknown>, now: string): Case => harness.act(def, c, body, now);
/** The refusal's rule and message (null when the step is allowed). */
const why = (c: Case, body: Record<string, unknown>, now: string) => {
  const r = harness.english(refusalForAction(def, c, harness.parse(def, body), now));
  return r && { rule: r.rule, message: r.message };
};
const deadline = (c: Case, key: string) => c.deadlines.find((d) => d.key === key)!;
/** The events a step wrote after the filing (or after `from`), as [type, data]. */
const eventsSince = (c: Case, from = 1) => c.events.slice(from).map((e) => [e.type, e.data]);
const outOfOrder = (state: string, expected: string) => ({
  rule: 'commitment-verification/out-of-order',
  message: `the case is ${state}; this step is taken only when it is ${expected}`,
});
const SANCTION_STATES = 'rectification-failed (or breached on a false commitment)';

/** Verified on Mon 2026-09-28 09:00 with the given outcome (no materials promised unless a case is given). */
const verified = (outcome: 'kept' | 'not-kept' | 'false', c = file()) => act(c, { action: 'verify', outcome, findings: '现场核查:未按承诺落实' }, sh('2026-09-28', '09:00'));
/** Ordered on 2026-09-28 10:00 to rectify within 10 days (to Thu 10-08). */
const rectifying = (outcome: 'not-kept' | 'false') => act(verified(outcome), { action: 'order-rectification', period: { days: 10 }, requirements: '补办消防验收' }, sh('2026-09-28'));

/**
 * The definition loaded afresh, for the tests of its schemas. The schemas are built lazily, once per module registry,
 * by the first test that reads them (in the shared registry, citations.spec, which checks no bounds): mutation testing
 * counts their code as run by that test alone. Loaded in a beforeAll, the module's own load stays outside every test
 * (its object literals remain static mutants), and each schema is built inside the one test that checks all of it.
 */
function fresh(): typeof def {
  let mod: { commitmentVerificationV1: typeof def } | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module registry, for the lazy schemas
    mod = require('../../procedures/commitment-verification/v1');
  });
  return mod!.commitmentVerificationV1;
}

describe('version 1 as published', () => {
  it('is the version 1 of the index, valid for receipts from 2022-07-01 to 2026-11-27', () => {
    expect(versions.find((v) => v.version === 1)).toBe(def);
    expect([def.procedure, def.validFrom, def.validTo, def.initialState, def.extensions.allowed]).toEqual(['commitment-verification', '2022-07-01', '2026-11-27', 'verifying', false]);
  });
});

describe('filing and action schemas (each built and checked whole in one test)', () => {
  let f: typeof def;
  beforeAll(() => {
    f = fresh();
  });

  it('filing: a decision date means 00:00 Asia/Shanghai of that day, an instant is kept; materials within 1-60 working days or 1-90 days', () => {
    expect(f.filing.parse({ licence: LICENCE })).toEqual({ licence: { number: NUMBER, decidedAt: DECIDED } });
    expect(f.filing.parse({ licence: { number: NUMBER, decidedAt: '2026-09-21T15:30:00+08:00' } })).toEqual({ licence: { number: NUMBER, decidedAt: '2026-09-21T07:30:00.000Z' } });
    expect(f.filing.parse(PROMISED)).toEqual({ licence: { number: NUMBER, decidedAt: DECIDED }, materialsDue: { items: ITEMS, period: { workingDays: 3 } } });
    expect(f.filing.safeParse({ licence: { number: NUMBER } }).success).toBe(false);
    expect(f.filing.safeParse({ licence: LICENCE, grounds: 'x' }).success).toBe(false);
    const periods: [object, boolean][] = [
      [{ workingDays: 1 }, true],
      [{ workingDays: 60 }, true],
      [{ workingDays: 61 }, false],
      [{ workingDays: 0 }, false],
      [{ workingDays: 2.5 }, false],
      [{ days: 1 }, true],
      [{ days: 90 }, true],
      [{ days: 91 }, false],
      [{ days: 0 }, false],
      [{ months: 1 }, false],
    ];
    expect(periods.map(([period]) => [period, f.filing.safeParse({ licence: LICENCE, materialsDue: { items: ITEMS, period } }).success])).toEqual(periods);
  });

  it('order-rectification: within 1-365 days, 1-250 working days or 1-12 months', () => {
    const schema = f.actions['order-rectification'].schema;
    expect(schema.parse({ period: { months: 2 }, requirements: '整改' })).toEqual({ period: { months: 2 }, requirements: '整改' });
    const periods: [object, boolean][] = [
      [{ days: 1 }, true],
      [{ days: 365 }, true],
      [{ days: 366 }, false],
      [{ days: 0 }, false],
      [{ workingDays: 1 }, true],
      [{ workingDays: 250 }, true],
      [{ workingDays: 251 }, false],
      [{ workingDays: 0 }, false],
      [{ months: 1 }, true],
      [{ months: 12 }, true],
      [{ months: 13 }, false],
      [{ months: 0 }, false],
      [{ years: 1 }, false],
    ];
    expect(periods.map(([period]) => [period, schema.safeParse({ period, requirements: '整改' }).success])).toEqual(periods);
  });

  it('the other actions take exactly their fields and values', () => {
    const { actions } = f;
    expect(actions['materials-supplied'].schema.parse({ conforming: false })).toEqual({ conforming: false });
    expect(actions['materials-supplied'].schema.safeParse({}).success).toBe(false);
    for (const outcome of ['kept', 'not-kept', 'false']) expect(actions.verify.schema.parse({ outcome, findings: 'f' })).toEqual({ outcome, findings: 'f' });
    expect(actions.verify.schema.safeParse({ outcome: 'partly-kept', findings: 'f' }).success).toBe(false);
    expect(actions.guidance.schema.parse({})).toEqual({});
    expect(actions.guidance.schema.safeParse({ note: 'x' }).success).toBe(false);
    expect(actions['rectification-result'].schema.parse({ compliant: true, findings: 'f' })).toEqual({ compliant: true, findings: 'f' });
    expect(actions['rectification-result'].schema.safeParse({ compliant: true }).success).toBe(false);
    for (const measure of ['revoke-licence', 'penalty']) expect(actions.sanction.schema.parse({ measure, decisionRef: 'D-1' })).toEqual({ measure, decisionRef: 'D-1' });
    expect(actions.sanction.schema.safeParse({ measure: 'warning', decisionRef: 'D-1' }).success).toBe(false);
  });
});

describe('eligibility at filing (Art. 45 ¶1; Art. 55)', () => {
  const clean: CreditStatus = { listed: false, listings: [], repairs: [], commitmentBreaches: [] };
  const listing = (caseId: string, active: boolean) => ({ caseId, procedure: 'dishonesty-listing', at: sh('2025-03-03'), until: null, active, endedAt: active ? null : sh('2026-03-03') });
  const breach = (caseId: string, kind: string, repaired: boolean) => ({ caseId, at: sh('2025-05-05'), kind, repaired });
  const facts = (decidedAt: string, receivedAt: string, creditStatus?: CreditStatus) => {
    const filing = def.filing.parse({ licence: { number: 'L-9', decidedAt } });
    return { filing, variant: 'standard', receivedAt, subject: { kind: 'organisation', name: 'x', idNumber: 'y' }, ...(creditStatus ? { creditStatus } : {}) } satisfies FilingFacts<typeof filing>;
  };
  const hit = (f: ReturnType<typeof facts>) => {
    const h = def.eligibility!(f);
    return h && { rule: def.rules[h.rule].id, message: h.message };
  };
  const BAR = 'a completed credit repair lifts this bar to the commitment path';

  it.each([
    ['decided 2022-06-30, the day before the regulation', '2022-06-30', sh('2022-06-30'), { rule: 'commitment-verification/before-regulation', message: 'licence L-9 was decided on 2022-06-30, before the regulation came into force on 2022-07-01' }],
    ['decided at 23:59 Asia/Shanghai on 2022-06-30', '2022-06-30T23:59:00+08:00', sh('2022-06-30'), { rule: 'commitment-verification/before-regulation', message: 'licence L-9 was decided on 2022-06-30, before the regulation came into force on 2022-07-01' }],
    ['decided 2022-07-01, the day it came into force', '2022-07-01', sh('2022-07-01'), null],
    ['decided at 16:00 UTC on 2022-06-30 = 00:00 Asia/Shanghai on 2022-07-01', '2022-06-30T16:00:00Z', '2022-06-30T16:00:00Z', null],
  ])('regulation in force: %s', (_name, decidedAt, receivedAt, expected) => {
    expect(hit(facts(decidedAt, receivedAt, clean))).toEqual(expected);
  });

  it.each([
    ['dated the day before the receipt', '2026-09-20', RECEIVED, { rule: 'commitment-verification/decided-before-receipt', message: 'licence L-9 is dated 2026-09-20, before the commitment was received on 2026-09-21' }],
    ['dated the day of the receipt', '2026-09-21', RECEIVED, null],
    ['dated the day after the receipt', '2026-09-22', RECEIVED, null],
    // 00:30 Asia/Shanghai on 09-21 is 09-20 in UTC: the receipt day is the Asia/Shanghai one.
    ['received at 00:30 Asia/Shanghai, licence dated that day', '2026-09-21', '2026-09-20T16:30:00.000Z', null],
    ['received at 00:30 Asia/Shanghai, licence dated the day before', '2026-09-20', '2026-09-20T16:30:00.000Z', { rule: 'commitment-verification/decided-before-receipt', message: 'licence L-9 is dated 2026-09-20, before the commitment was received on 2026-09-21' }],
  ])('licence granted on the commitment: %s', (_name, decidedAt, receivedAt, expected) => {
    expect(hit(facts(decidedAt, receivedAt, clean))).toEqual(expected);
  });

  it.each([
    ['no credit status read', undefined, null],
    ['a clean record', clean, null],
    ['listed: the active listing is named, not an ended one before it', { ...clean, listed: true, listings: [listing('L-old', false), listing('L-now', true)] }, { rule: 'commitment-verification/listed-subject', message: `the subject is on the serious-dishonesty list (case L-now); ${BAR}` }],
    ['listed, no active listing case known', { ...clean, listed: true, listings: [listing('L-old', false)] }, { rule: 'commitment-verification/listed-subject', message: `the subject is on the serious-dishonesty list; ${BAR}` }],
    ['not listed: an ended listing does not bar', { ...clean, listings: [listing('L-old', false)] }, null],
    ['an unrepaired false commitment, after a repaired one', { ...clean, commitmentBreaches: [breach('B-0', 'unkept', true), breach('B-1', 'false', false)] }, { rule: 'commitment-verification/unkept-commitment', message: `the subject made a false commitment (case B-1); ${BAR}` }],
    ['an unrepaired unkept commitment', { ...clean, commitmentBreaches: [breach('B-2', 'unkept', false)] }, { rule: 'commitment-verification/unkept-commitment', message: `the subject made a unkept commitment (case B-2); ${BAR}` }],
    ['a breach of another kind is called unkept', { ...clean, commitmentBreaches: [breach('B-3', 'late', false)] }, { rule: 'commitment-verification/unkept-commitment', message: `the subject made a unkept commitment (case B-3); ${BAR}` }],
    ['only repaired breaches', { ...clean, commitmentBreaches: [breach('B-0', 'false', true)] }, null],
    ['listed and with a breach: the listing is named first', { ...clean, listed: true, listings: [listing('L-now', true)], commitmentBreaches: [breach('B-1', 'false', false)] }, { rule: 'commitment-verification/listed-subject', message: `the subject is on the serious-dishonesty list (case L-now); ${BAR}` }],
  ])('credit status: %s', (_name, creditStatus, expected) => {
    expect(hit(facts('2026-09-21', RECEIVED, creditStatus as CreditStatus | undefined))).toEqual(expected);
  });

  it('the bars are checked in order: a licence before the regulation of a listed subject is refused as before the regulation', () => {
    const listed: CreditStatus = { ...clean, listed: true, listings: [listing('L-now', true)] };
    expect(hit(facts('2022-06-30', sh('2022-06-30'), listed))!.rule).toBe('commitment-verification/before-regulation');
    expect(hit(facts('2026-09-20', RECEIVED, listed))!.rule).toBe('commitment-verification/decided-before-receipt');
  });
});

describe('filing: the two months of Art. 46 run from the decision; promised materials from the receipt', () => {
  it('no materials promised: one legal clock, two months from the decision (21 Nov is a Saturday: Mon 23 Nov), reminders 10 and 3 working days before', () => {
    const c = file();
    expect(c.state).toBe('verifying');
    expect(c.data).toEqual({ licence: { number: NUMBER, decidedAt: DECIDED }, materials: null, verification: null, guidance: null, rectification: null, breachRecorded: null, sanction: null });
    expect(c.deadlines).toHaveLength(1);
    expect(deadline(c, 'verification')).toMatchObject({
      clock: 'verification',
      kind: 'legal',
      owner: 'unit-credit-office',
      period: { months: 2 },
      startAt: DECIDED,
      startEvent: 'licence granted on the written credit commitment',
      dueDate: '2026-11-23',
      dueAt: endOf('2026-11-23'),
      status: 'running',
      // 10 working days before Mon 11-23: 11-20 … 11-16, 11-13 … 11-09; 3 before: 11-20, 11-19, 11-18.
      reminders: [{ level: 'reminder-10', at: endOf('2026-11-09') }, { level: 'reminder-3', at: endOf('2026-11-18') }],
    });
  });

  it.each([
    ['a decision nine days after the receipt', '2026-09-30', '2026-09-29T16:00:00.000Z', '2026-11-30'],
    ['a decision at 15:00 Asia/Shanghai', '2026-09-30T15:00:00+08:00', '2026-09-30T07:00:00.000Z', '2026-11-30'],
    ['a decision on 09-22 (22 Nov is a Sunday)', '2026-09-22', '2026-09-21T16:00:00.000Z', '2026-11-23'],
    ['a decision on 09-24', '2026-09-24', '2026-09-23T16:00:00.000Z', '2026-11-24'],
  ])('the verification clock starts at the decision, not the receipt: %s', (_name, decidedAt, startAt, dueDate) => {
    const c = file({ licence: { number: NUMBER, decidedAt } });
    expect(deadline(c, 'verification')).toMatchObject({ startAt, dueDate, dueAt: endOf(dueDate) });
  });

  it.each([
    // 09-22, 09-23, 09-24.
    ['3 working days', { workingDays: 3 }, '2026-09-24', [{ level: 'reminder-3', at: endOf('2026-09-21') }, { level: 'reminder-1', at: endOf('2026-09-23') }]],
    // 09-22, 09-23, 09-24, then 09-28 after the Mid-Autumn holidays.
    ['4 working days', { workingDays: 4 }, '2026-09-28', [{ level: 'reminder-3', at: endOf('2026-09-22') }, { level: 'reminder-1', at: endOf('2026-09-24') }]],
    // 09-21 + 5 = Sat 09-26, a holiday: the next working day, Mon 09-28 (Civil Code Art. 203).
    ['5 days', { days: 5 }, '2026-09-28', [{ level: 'reminder-3', at: endOf('2026-09-22') }, { level: 'reminder-1', at: endOf('2026-09-24') }]],
  ])('materials promised within %s: a subject clock from the receipt', (_name, period, dueDate, reminders) => {
    const c = file({ licence: LICENCE, materialsDue: { items: ITEMS, period } });
    expect(c.data.materials).toEqual({ items: ITEMS, supplied: null });
    expect(c.deadlines.map((d) => d.key)).toEqual(['verification', 'materials']);
    expect(deadline(c, 'materials')).toMatchObject({
      clock: 'materials',
      kind: 'subject',
      owner: 'subject',
      period,
      startAt: RECEIVED,
      startEvent: 'incomplete materials accepted on the promise to supply them',
      dueDate,
      dueAt: endOf(dueDate),
      yellowAt: null,
      status: 'running',
      reminders,
    });
  });
});

describe('materials-supplied (Art. 45 ¶2; Shangzhi: decided on the spot)', () => {
  it('conforming materials: recorded, the subject clock met, and the licence decided on the spot', () => {
    const c = act(file(PROMISED), { action: 'materials-supplied', conforming: true }, sh('2026-09-23'));
    expect(c.data.materials).toEqual({ items: ITEMS, supplied: { at: sh('2026-09-23'), conforming: true } });
    expect(deadline(c, 'materials')).toMatchObject({ status: 'met', completedAt: sh('2026-09-23') });
    expect(eventsSince(c)).toEqual([
      ['materials.supplied', { conforming: true, items: ITEMS }],
      ['licence.decided-on-the-spot', { licence: NUMBER }],
    ]);
    expect([c.state, deadline(c, 'verification').status]).toEqual(['verifying', 'running']);
  });

  it('non-conforming materials: recorded and the clock ends, no decision on the spot', () => {
    const c = act(file(PROMISED), { action: 'materials-supplied', conforming: false }, sh('2026-09-23'));
    expect(c.data.materials).toEqual({ items: ITEMS, supplied: { at: sh('2026-09-23'), conforming: false } });
    expect(deadline(c, 'materials').status).toBe('met');
    expect(eventsSince(c)).toEqual([['materials.supplied', { conforming: false, items: ITEMS }]]);
  });

  it.each([
    ['no materials were promised', () => file(), { rule: 'commitment-verification/materials-not-pending', message: 'no materials were promised at filing' }],
    [
      'the materials were recorded already',
      () => act(file(PROMISED), { action: 'materials-supplied', conforming: false }, sh('2026-09-22')),
      { rule: 'commitment-verification/materials-not-pending', message: 'the promised materials were already recorded' },
    ],
    [
      'the promised period lapsed (Thu 09-24)',
      () => {
        const c = file(PROMISED);
        processDue(def, calendar, c, sh('2026-09-25'));
        return c;
      },
      { rule: 'commitment-verification/materials-not-pending', message: 'the promised period ran until the end of 2026-09-24 (Beijing time); the verification decides whether the commitment was kept' },
    ],
    ['the materials are still due', () => file(PROMISED), null],
  ])('refused when %s', (_name, make, expected) => {
    expect(why(make(), { action: 'materials-supplied', conforming: true }, sh('2026-09-28'))).toEqual(expected);
  });

  it('the lapse of the promised period is the subject’s: lapsed, never a red against the unit', () => {
    const c = file(PROMISED);
    processDue(def, calendar, c, sh('2026-09-25'));
    expect(deadline(c, 'materials').status).toBe('lapsed');
    expect(c.escalations.filter((e) => e.deadlineKey === 'materials').map((e) => e.level)).toEqual(['lapsed']);
    expect(c.state).toBe('verifying');
  });

  it('materials still due after a verification that found the commitment not kept are still recorded', () => {
    const c = verified('not-kept', file(PROMISED));
    act(c, { action: 'materials-supplied', conforming: true }, sh('2026-09-28'));
    expect(c.state).toBe('breached');
    expect(c.data.materials!.supplied).toEqual({ at: sh('2026-09-28'), conforming: true });
  });
});

describe('verify (Art. 46)', () => {
  it.each([
    ['kept', 'closed', 'kept', null, []],
    ['not-kept', 'breached', null, null, []],
    ['false', 'breached', null, 'false', [{ seq: 1, kind: 'commitment-breach', at: sh('2026-09-28', '09:00'), until: null, data: { kind: 'false', licence: NUMBER } }]],
  ] as const)('%s: state %s, outcome %s, breach recorded %s', (outcome, state, caseOutcome, breachRecorded, creditEffects) => {
    const c = verified(outcome);
    expect([c.state, c.outcome, c.data.breachRecorded]).toEqual([state, caseOutcome, breachRecorded]);
    expect(c.data.verification).toEqual({ at: sh('2026-09-28', '09:00'), outcome, findings: '现场核查:未按承诺落实' });
    expect(deadline(c, 'verification')).toMatchObject({ status: 'met', completedAt: sh('2026-09-28', '09:00') });
    expect(c.creditEffects).toEqual(creditEffects);
    expect(eventsSince(c)).toEqual([['commitment.verified', { outcome, findings: '现场核查:未按承诺落实' }]]);
  });

  it.each([
    ['the last day of the two months (Mon 11-23, 23:59): met', sh('2026-11-23', '23:59'), 'met'],
    ['the day after: met late', sh('2026-11-24', '09:00'), 'met-late'],
  ])('verified on %s', (_name, at, status) => {
    const c = act(file(), { action: 'verify', outcome: 'kept', findings: 'f' }, at);
    expect(deadline(c, 'verification').status).toBe(status);
  });

  it.each([
    ['kept, materials never supplied', 'kept', undefined, { rule: 'commitment-verification/materials-outstanding', message: 'the materials promised at filing have not been supplied' }],
    ['kept, materials supplied non-conforming', 'kept', false, { rule: 'commitment-verification/materials-outstanding', message: 'the materials supplied did not conform: the commitment to supply them is not kept' }],
    ['kept, materials supplied conforming', 'kept', true, null],
    ['not kept, materials never supplied', 'not-kept', undefined, null],
    ['false, materials supplied non-conforming', 'false', false, null],
  ])('promised materials: %s', (_name, outcome, conforming, expected) => {
    const c = file(PROMISED);
    if (conforming !== undefined) act(c, { action: 'materials-supplied', conforming }, sh('2026-09-23'));
    expect(why(c, { action: 'verify', outcome, findings: 'f' }, sh('2026-09-28'))).toEqual(expected);
  });

  it('kept without materials promised is allowed; a second verification is out of order', () => {
    expect(why(file(), { action: 'verify', outcome: 'kept', findings: 'f' }, sh('2026-09-28'))).toBeNull();
    expect(why(verified('not-kept'), { action: 'verify', outcome: 'kept', findings: 'f' }, sh('2026-09-28'))).toEqual(outOfOrder('breached', 'verifying'));
    expect(why(rectifying('false'), { action: 'verify', outcome: 'false', findings: 'f' }, sh('2026-09-28'))).toEqual(outOfOrder('rectifying', 'verifying'));
  });
});

describe('guidance (Art. 46: an unkept commitment)', () => {
  it('closes the case as guided, keeping the guidance given (the note)', () => {
    const c = verified('not-kept');
    act(c, { action: 'guidance', note: '已约谈负责人,指导其履行承诺' }, sh('2026-09-29'));
    expect([c.state, c.outcome, c.closedAt]).toEqual(['closed', 'guided', sh('2026-09-29')]);
    expect(c.data.guidance).toEqual({ at: sh('2026-09-29'), note: '已约谈负责人,指导其履行承诺' });
    expect(eventsSince(c, 2)).toEqual([['commitment.guidance', { note: '已约谈负责人,指导其履行承诺' }]]);
    expect(c.creditEffects).toEqual([]);
  });

  it('without a note the guidance is recorded with none', () => {
    const c = act(verified('not-kept'), { action: 'guidance' }, sh('2026-09-29'));
    expect(c.data.guidance).toEqual({ at: sh('2026-09-29'), note: null });
    expect(eventsSince(c, 2)).toEqual([['commitment.guidance', {}]]);
  });

  it.each([
    ['before the verification', () => file(), outOfOrder('verifying', 'breached')],
    ['on a false commitment', () => verified('false'), { rule: 'commitment-verification/guidance-not-for-false', message: 'a false commitment is ordered to be rectified or sanctioned, not met with guidance' }],
    ['while rectifying', () => rectifying('not-kept'), outOfOrder('rectifying', 'breached')],
    ['on an unkept commitment', () => verified('not-kept'), null],
  ])('%s', (_name, make, expected) => {
    expect(why(make(), { action: 'guidance' }, sh('2026-09-29'))).toEqual(expected);
  });
});

describe('order-rectification (Art. 46: 责令限期整改)', () => {
  it.each([
    // 09-28 + 10 days = Thu 10-08, a working day.
    ['10 days', { days: 10 }, '2026-10-08'],
    // 09-28 + 5 days = Sat 10-03, a National Day holiday: the next working day, Thu 10-08.
    ['5 days, ending in the National Day holidays', { days: 5 }, '2026-10-08'],
    // 09-29, 09-30, 10-08, 10-09, then Sat 10-10, a make-up working day.
    ['5 working days', { workingDays: 5 }, '2026-10-10'],
    ['one month', { months: 1 }, '2026-10-28'],
  ])('within %s: a legal clock from the order', (_name, period, dueDate) => {
    const c = verified('not-kept');
    act(c, { action: 'order-rectification', period, requirements: '补办消防验收' }, sh('2026-09-28'));
    expect(c.state).toBe('rectifying');
    expect(c.data.rectification).toEqual({ orderedAt: sh('2026-09-28'), period, requirements: '补办消防验收', result: null });
    expect(deadline(c, 'rectification')).toMatchObject({
      clock: 'rectification',
      kind: 'legal',
      owner: 'unit-credit-office',
      period,
      startAt: sh('2026-09-28'),
      startEvent: 'order to rectify served',
      dueDate,
      dueAt: endOf(dueDate),
      status: 'running',
    });
    expect(eventsSince(c, 2)).toEqual([['rectification.ordered', { period, requirements: '补办消防验收' }]]);
  });

  it.each([
    ['before the verification', () => file(), outOfOrder('verifying', 'breached')],
    ['a second time', () => rectifying('not-kept'), outOfOrder('rectifying', 'breached')],
    ['on a false commitment', () => verified('false'), null],
    ['on an unkept commitment', () => verified('not-kept'), null],
  ])('%s', (_name, make, expected) => {
    expect(why(make(), { action: 'order-rectification', period: { days: 10 }, requirements: 'x' }, sh('2026-09-29'))).toEqual(expected);
  });
});

describe('rectification-result (Art. 46)', () => {
  const RUNNING = { rule: 'commitment-verification/rectification-running', message: 'the rectification period runs until the end of 2026-10-08 (Beijing time): a failure is found only when it has passed' };

  it.each([
    ['not compliant, the last instant of the period', false, '2026-10-08T15:59:59.999Z', RUNNING],
    ['not compliant, the period just passed', false, endOf('2026-10-08'), null],
    ['not compliant, the day after', false, sh('2026-10-09'), null],
    ['compliant during the period', true, sh('2026-09-30'), null],
  ])('%s', (_name, compliant, now, expected) => {
    expect(why(rectifying('not-kept'), { action: 'rectification-result', compliant, findings: 'f' }, now)).toEqual(expected);
  });

  it.each([
    ['before the verification', () => file()],
    ['before an order to rectify', () => verified('not-kept')],
  ])('out of order %s', (_name, make) => {
    const c = make();
    expect(why(c, { action: 'rectification-result', compliant: true, findings: 'f' }, sh('2026-09-29'))).toEqual(outOfOrder(c.state, 'rectifying'));
  });

  it('compliant: closes the case as rectified, nothing on the credit record', () => {
    const c = rectifying('not-kept');
    act(c, { action: 'rectification-result', compliant: true, findings: '已补办消防验收' }, sh('2026-09-30'));
    expect([c.state, c.outcome]).toEqual(['closed', 'rectified']);
    expect(c.data.rectification!.result).toEqual({ at: sh('2026-09-30'), compliant: true, findings: '已补办消防验收' });
    expect(deadline(c, 'rectification')).toMatchObject({ status: 'met', completedAt: sh('2026-09-30') });
    expect(eventsSince(c, 3)).toEqual([['rectification.result', { compliant: true, findings: '已补办消防验收' }]]);
    expect([c.creditEffects, c.data.breachRecorded]).toEqual([[], null]);
  });

  it('not compliant on an unkept commitment: the breach goes on the credit record once, as unkept', () => {
    const c = rectifying('not-kept');
    act(c, { action: 'rectification-result', compliant: false, findings: '逾期未整改' }, sh('2026-10-09'));
    expect([c.state, c.outcome, c.data.breachRecorded]).toEqual(['rectification-failed', null, 'unkept']);
    expect(c.data.rectification!.result).toEqual({ at: sh('2026-10-09'), compliant: false, findings: '逾期未整改' });
    expect(c.creditEffects).toEqual([{ seq: 1, kind: 'commitment-breach', at: sh('2026-10-09'), until: null, data: { kind: 'unkept', licence: NUMBER } }]);
    expect(eventsSince(c, 3)).toEqual([['rectification.result', { compliant: false, findings: '逾期未整改' }]]);
  });

  it('not compliant on a false commitment: already on the credit record as false, not written again', () => {
    const c = rectifying('false');
    act(c, { action: 'rectification-result', compliant: false, findings: '逾期未整改' }, sh('2026-10-09'));
    expect([c.state, c.data.breachRecorded]).toEqual(['rectification-failed', 'false']);
    expect(c.creditEffects.map((e) => [e.kind, e.data])).toEqual([['commitment-breach', { kind: 'false', licence: NUMBER }]]);
  });
});

describe('sanction (Art. 46: a false commitment, or one still unkept after the order)', () => {
  const failed = () => act(rectifying('not-kept'), { action: 'rectification-result', compliant: false, findings: '逾期未整改' }, sh('2026-10-09'));

  it.each([
    ['before the verification', () => file(), outOfOrder('verifying', SANCTION_STATES)],
    ['while rectifying', () => rectifying('false'), outOfOrder('rectifying', SANCTION_STATES)],
    [
      'on an unkept commitment before an order',
      () => verified('not-kept'),
      { rule: 'commitment-verification/order-first', message: 'an unkept commitment is first met with guidance or an order to rectify; a sanction follows a failed rectification' },
    ],
    ['on a false commitment, at once', () => verified('false'), null],
    ['after a failed rectification', failed, null],
  ])('%s', (_name, make, expected) => {
    expect(why(make(), { action: 'sanction', measure: 'penalty', decisionRef: 'D-1' }, sh('2026-10-10'))).toEqual(expected);
  });

  it.each([
    ['revoke-licence', 'revoked', () => verified('false'), 2],
    ['penalty', 'penalised', failed, 4],
  ] as const)('%s closes the case as %s', (measure, outcome, make, from) => {
    const c = make();
    act(c, { action: 'sanction', measure, decisionRef: '尚市监罚〔2026〕12号' }, sh('2026-10-10'));
    expect([c.state, c.outcome, c.closedAt]).toEqual(['closed', outcome, sh('2026-10-10')]);
    expect(c.data.sanction).toEqual({ at: sh('2026-10-10'), measure, decisionRef: '尚市监罚〔2026〕12号' });
    expect(eventsSince(c, from)).toEqual([['commitment.sanctioned', { measure, decisionRef: '尚市监罚〔2026〕12号', licence: NUMBER }]]);
  });
});
