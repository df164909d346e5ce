/**
 * Commitment verification v3 (Art. 45 ¶2, Art. 46) on the kernel's pure functions, no Temporal, no database.
 *
 * Calendar facts (prisma/calendar/cn-2004-2026.json): 2026-09-25 Fri; 09-28 Mon, 09-29 Tue, 09-30 Wed working;
 * 2026-10-01..07 国庆节 holidays; 10-08 Thu working. A due date D ends at 24:00 Asia/Shanghai = D T16:00:00.000Z.
 */
import { type CommitmentDataV3, commitmentVerificationV3 as def } from '../../procedures/commitment-verification/v3';
import { processDue, refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { CreditStatus, KernelCase } from '../../src/domain/kernel/ops';
import * as harness from './kernel-harness';

const { calendar, sh } = harness;
const endOf = (date: string) => `${date}T16:00:00.000Z`;
type Case = KernelCase<CommitmentDataV3>;

/** Received on Fri 2026-09-25 unless said otherwise. */
const file = (filing: Record<string, unknown>, receivedAt = sh('2026-09-25')): Case => harness.file(def, filing, 'standard', receivedAt);
const refusal = (c: Case, body: Record<string, unknown>, now: string) => harness.refusalOf(def, c, body, now);
const act = (c: Case, body: Record<string, unknown>, now: string): Case => harness.act(def, c, body, now);
const deadline = (c: Case, key: string) => c.deadlines.find((d) => d.key === key)!;
const PROMISED = { licence: { number: 'HB-2026-77' }, materialsDue: { items: ['消防验收意见书'], period: { workingDays: 3 } } };
const clean: CreditStatus = { listed: false, listings: [], repairs: [], commitmentBreaches: [] };

describe('filing', () => {
  it.each([
    ['materials due and a decision date', { licence: { number: 'L', decidedAt: '2026-09-25' }, materialsDue: PROMISED.materialsDue }, ['licence.decidedAt']],
    ['no materials due and no decision date', { licence: { number: 'L' } }, ['licence.decidedAt']],
    ['materials due, decided when they arrive', PROMISED, null],
    ['decided at filing', { licence: { number: 'L', decidedAt: '2026-09-25' } }, null],
  ])('%s', (_name, filing, problem) => {
    const r = def.filing.safeParse(filing);
    expect(r.success ? null : r.error.issues.map((i) => i.path.join('.'))).toEqual(problem);
  });

  it.each([
    ['an application before 2022-07-01 with materials due', PROMISED, sh('2022-06-30'), clean, 'commitment-verification/before-regulation'],
    ['a licence dated before the commitment was received', { licence: { number: 'L', decidedAt: '2026-09-24' } }, sh('2026-09-25'), clean, 'commitment-verification/decided-before-receipt'],
    ['a listed subject', PROMISED, sh('2026-09-25'), { ...clean, listed: true, listings: [{ caseId: 'L1', procedure: 'dishonesty-listing', at: sh('2026-01-01'), until: null, active: true, endedAt: null }] }, 'commitment-verification/listed-subject'],
    ['an unrepaired breach', PROMISED, sh('2026-09-25'), { ...clean, commitmentBreaches: [{ caseId: 'B1', at: sh('2026-02-01'), kind: 'false', repaired: false }] }, 'commitment-verification/unkept-commitment'],
    ['a clean subject', PROMISED, sh('2026-09-25'), clean, null],
  ])('eligibility: %s', (_name, filing, receivedAt, creditStatus, rule) => {
    const hit = def.eligibility!({ filing: def.filing.parse(filing), variant: 'standard', receivedAt, subject: { kind: 'organisation', name: 'x', idNumber: 'y' }, creditStatus });
    expect(hit ? def.rules[hit.rule].id : null).toBe(rule);
  });
});

describe('Art. 45 ¶2: materials promised, accepted first, decided on the spot', () => {
  it('the supply period (3 working days from 09-25, to 09-30) binds the subject; no verification clock runs yet', () => {
    const c = file(PROMISED);
    expect(c.state).toBe('awaiting-materials');
    expect(c.deadlines.map((d) => [d.key, d.kind, d.dueDate])).toEqual([['materials', 'subject', '2026-09-30']]);
    expect(c.data.licence.decidedAt).toBeNull();
  });

  it('materials received on 09-30 and recorded on 10-09 are accepted: the licence is decided on 09-30 and the two months run to 11-30', () => {
    const c = file(PROMISED);
    act(c, { action: 'materials-supplied', conforming: true, occurredAt: sh('2026-09-30') }, sh('2026-10-09'));
    expect(c.data.licence.decidedAt).toBe(sh('2026-09-30'));
    expect(deadline(c, 'materials')).toMatchObject({ status: 'met-recorded-late' });
    expect(deadline(c, 'verification')).toMatchObject({ kind: 'legal', startAt: sh('2026-09-30'), dueDate: '2026-11-30', dueAt: endOf('2026-11-30') });
    expect(c.state).toBe('verifying');
  });

  it('materials received after the period are refused (judged on receipt)', () => {
    const c = file(PROMISED);
    expect(refusal(c, { action: 'materials-supplied', conforming: true, occurredAt: sh('2026-10-08') }, sh('2026-10-08'))).toBe('commitment-verification/materials-late');
  });

  it('non-conforming materials are recorded and the period keeps running', () => {
    const c = file(PROMISED);
    act(c, { action: 'materials-supplied', conforming: false }, sh('2026-09-28'));
    expect(c.state).toBe('awaiting-materials');
    expect(deadline(c, 'materials').status).toBe('running');
    expect(refusal(c, { action: 'verify', outcome: 'kept', findings: 'x' }, sh('2026-09-28'))).toBe('commitment-verification/materials-outstanding');
  });

  it('the end of the supply period leads to the next step: lapsed, never a red against the unit', () => {
    const c = file(PROMISED);
    processDue(def, calendar, c, sh('2026-10-09'));
    expect(deadline(c, 'materials').status).toBe('lapsed');
    expect(c.state).toBe('materials-lapsed');
    expect(c.escalations.map((e) => e.level)).not.toContain('red');
    // Received on 09-30, entered after the lapse: met, recorded late, and the licence is decided that day.
    const late = structuredClone(c);
    act(late, { action: 'materials-supplied', conforming: true, occurredAt: sh('2026-09-30') }, sh('2026-10-09'));
    expect(deadline(late, 'materials').status).toBe('met-recorded-late');
    expect(late).toMatchObject({ state: 'verifying', data: { licence: { decidedAt: sh('2026-09-30') } } });
    act(c, { action: 'verify', outcome: 'not-kept', findings: '未按承诺补正材料' }, sh('2026-10-09'));
    expect(c.creditEffects).toEqual([expect.objectContaining({ kind: 'commitment-breach', data: expect.objectContaining({ kind: 'unkept', commitmentCaseId: c.caseId }) })]);
  });
});

describe('Art. 46: a false or unkept commitment', () => {
  const breached = (outcome: 'false' | 'not-kept') => act(file({ licence: { number: 'L', decidedAt: '2026-09-25' } }), { action: 'verify', outcome, findings: '现场核查不符' }, sh('2026-09-28'));

  it.each(['false', 'not-kept'] as const)('%s: the finding goes on the credit record at once, and guidance is allowed', (outcome) => {
    const c = breached(outcome);
    expect(c.creditEffects).toEqual([expect.objectContaining({ kind: 'commitment-breach', data: expect.objectContaining({ kind: outcome === 'false' ? 'false' : 'unkept' }) })]);
    act(c, { action: 'guidance', note: '已当面指导' }, sh('2026-09-29'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'guided' });
    expect(c.creditEffects).toHaveLength(1);
  });

  it('a sanction only after the rectification period ended without compliance; the period binds the subject (no red)', () => {
    const c = breached('false');
    expect(refusal(c, { action: 'sanction', measure: 'revoke-licence', decisionRef: 'D-1' }, sh('2026-09-28'))).toBe('action-not-in-state');
    act(c, { action: 'order-rectification', period: { days: 10 }, requirements: '补齐消防设施' }, sh('2026-09-28'));
    // 10 calendar days from 09-28 end on 10-08 (Civil Code Art. 203: 10-08 is a working day).
    expect(deadline(c, 'rectification')).toMatchObject({ kind: 'subject', dueDate: '2026-10-08' });
    expect(refusal(c, { action: 'rectification-result', compliant: false, findings: 'x' }, sh('2026-10-08'))).toBe('commitment-verification/rectification-running');
    processDue(def, calendar, c, sh('2026-10-09'));
    expect(c.state).toBe('rectification-check');
    expect(deadline(c, 'rectification').status).toBe('lapsed');
    expect(c.escalations.filter((e) => e.deadlineKey === 'rectification').map((e) => e.level)).toEqual(['lapsed']);
    act(c, { action: 'rectification-result', compliant: false, findings: '逾期未整改' }, sh('2026-10-09'));
    act(c, { action: 'sanction', measure: 'revoke-licence', decisionRef: 'D-1' }, sh('2026-10-10'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'revoked' });
  });

  it('compliance recorded during the period closes the case as rectified', () => {
    const c = act(breached('not-kept'), { action: 'order-rectification', period: { days: 10 }, requirements: 'x' }, sh('2026-09-28'));
    act(c, { action: 'rectification-result', compliant: true, findings: '已整改' }, sh('2026-09-30'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'rectified' });
  });
});

// ---- Exact records: what each step writes, the events it emits, and the refusals with their messages. ----

const eventsSince = (c: Case, from: number) => c.events.slice(from).map((e) => [e.type, e.data]);
const why = (c: Case, body: Record<string, unknown>, now: string) => {
  const r = harness.english(refusalForAction(def, c, harness.parse(def, body), now));
  return r && { rule: r.rule, message: r.message };
};
const DECIDED = { licence: { number: 'HB-2026-88', decidedAt: '2026-09-25' } };
const eligibilityOf = (filing: Record<string, unknown>, receivedAt: string, creditStatus?: CreditStatus) =>
  harness.english(def.eligibility!({ filing: def.filing.parse(filing), variant: 'standard', receivedAt, subject: { kind: 'organisation', name: 'x', idNumber: 'y' }, creditStatus: creditStatus as CreditStatus }));
const issues = (filing: Record<string, unknown>) => {
  const r = def.filing.safeParse(filing);
  return r.success ? null : r.error.issues.map((i) => [i.path.join('.'), i.code, i.message]);
};

describe('filing schema: messages and limits', () => {
  it('the two decision-date problems say what to do', () => {
    expect(issues({ licence: { number: 'L', decidedAt: '2026-09-25' }, materialsDue: PROMISED.materialsDue })).toEqual([
      ['licence.decidedAt', 'custom', 'with materials still due the licence is decided when they are supplied (Art. 45 ¶2): leave decidedAt out'],
    ]);
    expect(issues({ licence: { number: 'L' } })).toEqual([['licence.decidedAt', 'custom', 'the date of the licence decision is required']]);
  });

  it('a decision date is read as the start of that day in Shanghai; an instant is kept', () => {
    expect(def.filing.parse(DECIDED).licence.decidedAt).toBe('2026-09-24T16:00:00.000Z');
    expect(def.filing.parse({ licence: { number: 'L', decidedAt: sh('2026-09-25', '15:30') } }).licence.decidedAt).toBe(sh('2026-09-25', '15:30'));
  });

  it('the supply period: 1-60 working days or 1-90 days, whole, one unit only', () => {
    const periods: [object, boolean][] = [
      [{ workingDays: 1 }, true],
      [{ workingDays: 60 }, true],
      [{ workingDays: 61 }, false],
      [{ workingDays: 0 }, false],
      [{ workingDays: 1.5 }, false],
      [{ days: 1 }, true],
      [{ days: 90 }, true],
      [{ days: 91 }, false],
      [{ days: 0 }, false],
      [{ days: 1, workingDays: 1 }, false],
      [{ workingDays: 1, months: 1 }, false],
      [{ days: 1, months: 1 }, false],
      [{ months: 1 }, false],
    ];
    expect(periods.map(([period]) => [period, def.filing.safeParse({ licence: { number: 'L' }, materialsDue: { items: ['x'], period } }).success])).toEqual(periods);
  });

  it('order-rectification: 1-365 days, 1-250 working days or 1-12 months, whole, one unit only, with requirements', () => {
    const schema = def.actions['order-rectification'].schema;
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
      [{ months: 1.5 }, false],
      [{ days: 1, workingDays: 1 }, false],
      [{ workingDays: 1, months: 1 }, false],
      [{ days: 1, months: 1 }, false],
      [{ years: 1 }, false],
    ];
    expect(periods.map(([period]) => [period, schema.safeParse({ period, requirements: 'r' }).success])).toEqual(periods);
    expect(schema.safeParse({ period: { days: 1 } }).success).toBe(false);
  });
});

describe('eligibility: the rule and its message', () => {
  const clean2: CreditStatus = { listed: false, listings: [], repairs: [], commitmentBreaches: [] };
  it.each([
    ['decided before 2022-07-01', { licence: { number: 'L', decidedAt: '2022-06-30' } }, sh('2022-06-30'), { rule: 'beforeRegulation', message: 'licence L dates from 2022-06-30, before the regulation came into force on 2022-07-01' }],
    ['decided on 2022-07-01', { licence: { number: 'L', decidedAt: '2022-07-01' } }, sh('2022-07-01'), null],
    ['materials due, received before 2022-07-01', PROMISED, sh('2022-06-30'), { rule: 'beforeRegulation', message: 'licence HB-2026-77 dates from 2022-06-30, before the regulation came into force on 2022-07-01' }],
    ['materials due, received on 2022-07-01', PROMISED, sh('2022-07-01'), null],
    ['decided the day before receipt', { licence: { number: 'L', decidedAt: '2026-09-24' } }, sh('2026-09-25'), { rule: 'decidedBeforeReceipt', message: 'licence L is dated 2026-09-24, before the commitment was received on 2026-09-25' }],
    ['decided the day of receipt', { licence: { number: 'L', decidedAt: '2026-09-25' } }, sh('2026-09-25'), null],
    ['decided the day after receipt', { licence: { number: 'L', decidedAt: '2026-09-26' } }, sh('2026-09-25'), null],
  ])('%s', (_name, filing, receivedAt, expected) => {
    expect(eligibilityOf(filing, receivedAt, clean2)).toEqual(expected);
  });

  it('without a credit status read, nothing bars the subject', () => {
    expect(eligibilityOf(PROMISED, sh('2026-09-25'))).toBeNull();
  });

  it('an active listing bars the subject and names its case; an ended one does not', () => {
    const l = (caseId: string, active: boolean) => ({ caseId, procedure: 'dishonesty-listing', at: sh('2026-01-01'), until: null, active, endedAt: active ? null : sh('2026-06-01') });
    expect(eligibilityOf(PROMISED, sh('2026-09-25'), { ...clean2, listed: true, listings: [l('L0', false), l('L1', true)] })).toEqual({
      rule: 'listedSubject',
      message: 'the subject is on the serious-dishonesty list (case L1); a completed credit repair of that listing lifts this bar',
    });
    expect(eligibilityOf(PROMISED, sh('2026-09-25'), { ...clean2, listings: [l('L0', false)] })).toBeNull();
  });

  it.each([
    ['false', 'the subject made a false commitment (case B2); a completed credit repair of it lifts this bar'],
    ['unkept', 'the subject made a unkept commitment (case B2); a completed credit repair of it lifts this bar'],
  ] as const)('an unrepaired %s commitment bars the subject; a repaired one does not', (kind, message) => {
    const b = (caseId: string, repaired: boolean) => ({ caseId, at: sh('2026-02-01'), kind, repaired });
    expect(eligibilityOf(PROMISED, sh('2026-09-25'), { ...clean2, commitmentBreaches: [b('B1', true), b('B2', false)] })).toEqual({ rule: 'unkeptCommitment', message });
    expect(eligibilityOf(PROMISED, sh('2026-09-25'), { ...clean2, commitmentBreaches: [b('B1', true)] })).toBeNull();
  });
});

describe('filing: the clocks and data it starts', () => {
  it('a licence decided at filing: the two months run from the decision; no materials', () => {
    const c = file({ licence: { number: 'HB-2026-88', decidedAt: sh('2026-09-25', '09:00') } });
    expect(c.state).toBe('verifying');
    expect(c.deadlines.map((d) => [d.key, d.kind, d.startAt, d.startEvent, d.dueDate])).toEqual([
      ['verification', 'legal', sh('2026-09-25', '09:00'), 'licence granted on the written credit commitment', '2026-11-25'],
    ]);
    expect(c.data).toEqual({ licence: { number: 'HB-2026-88', decidedAt: sh('2026-09-25', '09:00') }, materials: null, verification: null, guidance: null, rectification: null, breachRecorded: null, sanction: null });
  });

  it('materials due: the supply period starts from acceptance; the materials are kept as promised, none supplied', () => {
    const c = file(PROMISED);
    expect(c.deadlines.map((d) => [d.key, d.startAt, d.startEvent, d.period])).toEqual([
      ['materials', sh('2026-09-25'), 'application accepted first on the promise to supply the missing materials (先行受理)', { workingDays: 3 }],
    ]);
    expect(c.data).toEqual({ licence: { number: 'HB-2026-77', decidedAt: null }, materials: { items: ['消防验收意见书'], supplied: null }, verification: null, guidance: null, rectification: null, breachRecorded: null, sanction: null });
  });
});

describe('materials-supplied (Art. 45 ¶2): records, events, the end of the supply period', () => {
  it('conforming: supplied, the licence decided on the spot, the two months start that day', () => {
    const c = file(PROMISED);
    act(c, { action: 'materials-supplied', conforming: true }, sh('2026-09-28'));
    expect(c.data.materials).toEqual({ items: ['消防验收意见书'], supplied: { at: sh('2026-09-28'), conforming: true } });
    expect(c.data.licence).toEqual({ number: 'HB-2026-77', decidedAt: sh('2026-09-28') });
    expect(eventsSince(c, 1)).toEqual([
      ['materials.supplied', { conforming: true, items: ['消防验收意见书'] }],
      ['licence.decided-on-the-spot', { licence: 'HB-2026-77', decidedAt: sh('2026-09-28') }],
    ]);
    expect(deadline(c, 'materials').completedAt).toBe(sh('2026-09-28'));
    expect(deadline(c, 'verification')).toMatchObject({ startAt: sh('2026-09-28'), startEvent: 'licence decided on the spot when the promised materials were supplied', dueDate: '2026-11-30' });
    // Two months from 09-28 end on Sat 11-28: the unit's period rolls to Mon 11-30 (Civil Code Art. 203).
  });

  it('non-conforming: recorded with one event; no licence decision, no verification clock', () => {
    const c = file(PROMISED);
    act(c, { action: 'materials-supplied', conforming: false }, sh('2026-09-28'));
    expect(c.data.materials!.supplied).toEqual({ at: sh('2026-09-28'), conforming: false });
    expect(c.data.licence.decidedAt).toBeNull();
    expect(eventsSince(c, 1)).toEqual([['materials.supplied', { conforming: false, items: ['消防验收意见书'] }]]);
    expect(c.deadlines.map((d) => d.key)).toEqual(['materials']);
    expect(deadline(c, 'materials').completedAt).toBeNull();
  });

  it.each([
    ['on the last moment of the period', '2026-09-30T15:59:59.999Z', null],
    [
      'at the end of the period',
      endOf('2026-09-30'),
      { rule: 'commitment-verification/materials-late', message: 'the supply period ran until the end of 2026-09-30 (Beijing time); materials supplied on 2026-10-01 are late' },
    ],
  ])('received %s', (_name, occurredAt, expected) => {
    expect(why(file(PROMISED), { action: 'materials-supplied', conforming: true, occurredAt }, sh('2026-10-09'))).toEqual(expected);
  });

  it('the end of the supply period: an event naming the materials and the rule', () => {
    const c = file(PROMISED);
    processDue(def, calendar, c, sh('2026-10-09'));
    const lapsed = c.events.filter((e) => e.type === 'materials.lapsed');
    expect(lapsed.map((e) => e.data)).toEqual([{ items: ['消防验收意见书'], basis: expect.stringContaining('Art. 45 ¶2: 部分申报材料不齐备但书面承诺在规定期限内提供的'), recordedAt: sh('2026-10-09') }]);
    expect(lapsed[0].at).toBe(endOf('2026-09-30'));
  });
});

describe('verify (Art. 46): records, events, refusals', () => {
  it.each([
    ['materials not supplied', (c: Case) => c, 'the materials promised at filing have not been supplied'],
    ['materials not conforming', (c: Case) => act(c, { action: 'materials-supplied', conforming: false }, sh('2026-09-28')), 'the materials supplied did not conform: the commitment to supply them is not kept'],
  ])('kept is refused with %s', (_name, step, message) => {
    const c = step(file(PROMISED));
    expect(why(c, { action: 'verify', outcome: 'kept', findings: 'x' }, sh('2026-09-29'))).toEqual({ rule: 'commitment-verification/materials-outstanding', message });
    expect(why(c, { action: 'verify', outcome: 'not-kept', findings: 'x' }, sh('2026-09-29'))).toBeNull();
  });

  it('kept, with no materials promised, is allowed and closes the case; the verification clock is met', () => {
    const c = file(DECIDED);
    expect(why(c, { action: 'verify', outcome: 'kept', findings: 'x' }, sh('2026-09-29'))).toBeNull();
    act(c, { action: 'verify', outcome: 'kept', findings: '现场核查相符' }, sh('2026-09-29'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'kept' });
    expect(c.data.verification).toEqual({ at: sh('2026-09-29'), outcome: 'kept', findings: '现场核查相符' });
    expect(c.data.breachRecorded).toBeNull();
    expect(eventsSince(c, 1)[0]).toEqual(['commitment.verified', { outcome: 'kept', findings: '现场核查相符' }]);
    expect(deadline(c, 'verification').completedAt).toBe(sh('2026-09-29'));
    expect(c.creditEffects).toEqual([]);
  });

  it('kept after conforming materials is allowed', () => {
    const c = act(file(PROMISED), { action: 'materials-supplied', conforming: true }, sh('2026-09-28'));
    expect(why(c, { action: 'verify', outcome: 'kept', findings: 'x' }, sh('2026-09-29'))).toBeNull();
  });

  it.each([
    ['false', 'false'],
    ['not-kept', 'unkept'],
  ] as const)('%s: the finding, the event, and a %s commitment on the credit record naming the licence and the case', (outcome, kind) => {
    const c = file(DECIDED);
    act(c, { action: 'verify', outcome, findings: '现场核查不符' }, sh('2026-09-28'));
    expect(c.state).toBe('breached');
    expect(c.data.verification).toEqual({ at: sh('2026-09-28'), outcome, findings: '现场核查不符' });
    expect(c.data.breachRecorded).toBe(kind);
    expect(eventsSince(c, 1)).toEqual([['commitment.verified', { outcome, findings: '现场核查不符' }]]);
    expect(c.creditEffects).toEqual([{ seq: 1, kind: 'commitment-breach', at: sh('2026-09-28'), until: null, data: { kind, licence: 'HB-2026-88', commitmentCaseId: c.caseId } }]);
    expect(deadline(c, 'verification').completedAt).toBe(sh('2026-09-28'));
  });

  it('a breach found while the materials are still awaited stops the supply period (cancelled), not met', () => {
    const c = file(PROMISED);
    act(c, { action: 'verify', outcome: 'not-kept', findings: '未补正' }, sh('2026-09-28'));
    expect(deadline(c, 'materials')).toMatchObject({ status: 'cancelled', completedAt: null });
  });
});

describe('after a breach: guidance, rectification, sanction', () => {
  const breached = () => act(file(DECIDED), { action: 'verify', outcome: 'false', findings: '现场核查不符' }, sh('2026-09-28'));
  const ordered = () => act(breached(), { action: 'order-rectification', period: { days: 10 }, requirements: '补齐消防设施' }, sh('2026-09-28'));

  it('guidance keeps its note and names the finding', () => {
    const c = act(breached(), { action: 'guidance', note: '已当面指导' }, sh('2026-09-29'));
    expect(c.data.guidance).toEqual({ at: sh('2026-09-29'), note: '已当面指导' });
    expect(c.events.filter((e) => e.type === 'commitment.guidance').map((e) => e.data)).toEqual([{ finding: 'false', note: '已当面指导' }]);
    const bare = act(breached(), { action: 'guidance' }, sh('2026-09-29'));
    expect(bare.data.guidance).toEqual({ at: sh('2026-09-29'), note: null });
    expect(bare.events.filter((e) => e.type === 'commitment.guidance').map((e) => e.data)).toEqual([{ finding: 'false' }]);
  });

  it('the order: its period and requirements kept, the clock started from the service, the event names its end', () => {
    const c = ordered();
    expect(c.state).toBe('rectifying');
    expect(c.data.rectification).toEqual({ orderedAt: sh('2026-09-28'), period: { days: 10 }, requirements: '补齐消防设施', result: null });
    expect(deadline(c, 'rectification')).toMatchObject({ startAt: sh('2026-09-28'), startEvent: 'order to rectify served', period: { days: 10 }, dueAt: endOf('2026-10-08') });
    expect(eventsSince(c, 2)).toEqual([['rectification.ordered', { period: { days: 10 }, requirements: '补齐消防设施', until: endOf('2026-10-08') }]]);
  });

  it.each([
    ['the last moment of the period', '2026-10-08T15:59:59.999Z', { rule: 'commitment-verification/rectification-running', message: 'the rectification period runs until the end of 2026-10-08 (Beijing time): a failure is found only when it has passed' }],
    ['the end of the period', endOf('2026-10-08'), null],
  ])('a failure found at %s', (_name, at, expected) => {
    expect(why(ordered(), { action: 'rectification-result', compliant: false, findings: 'x' }, at)).toEqual(expected);
  });

  it('compliance is accepted while the period runs, recorded with its event; the clock is met', () => {
    const c = act(ordered(), { action: 'rectification-result', compliant: true, findings: '已整改' }, sh('2026-09-30'));
    expect(c.data.rectification!.result).toEqual({ at: sh('2026-09-30'), compliant: true, findings: '已整改' });
    expect(deadline(c, 'rectification').completedAt).toBe(sh('2026-09-30'));
    expect(eventsSince(c, 3)[0]).toEqual(['rectification.result', { compliant: true, findings: '已整改' }]);
  });

  it('the end of the period: an event naming the period; then the failure, and the sanction with its record and event', () => {
    const c = ordered();
    processDue(def, calendar, c, sh('2026-10-09'));
    expect(c.events.filter((e) => e.type === 'rectification.period-ended').map((e) => e.data)).toEqual([{ period: { days: 10 }, recordedAt: sh('2026-10-09') }]);
    act(c, { action: 'rectification-result', compliant: false, findings: '逾期未整改' }, sh('2026-10-09'));
    expect(c.state).toBe('rectification-failed');
    expect(c.data.rectification!.result).toEqual({ at: sh('2026-10-09'), compliant: false, findings: '逾期未整改' });
    expect(c.events.at(-1)).toMatchObject({ type: 'rectification.result', data: { compliant: false, findings: '逾期未整改' } });
    const from = c.events.length;
    act(c, { action: 'sanction', measure: 'penalty', decisionRef: '哈市监罚〔2026〕12号' }, sh('2026-10-10'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'penalised' });
    expect(c.data.sanction).toEqual({ at: sh('2026-10-10'), measure: 'penalty', decisionRef: '哈市监罚〔2026〕12号' });
    expect(eventsSince(c, from)[0]).toEqual(['commitment.sanctioned', { measure: 'penalty', decisionRef: '哈市监罚〔2026〕12号', licence: 'HB-2026-88' }]);
  });
});
