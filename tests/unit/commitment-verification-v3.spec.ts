/**
 * Commitment verification v3 (Art. 45 ¶2, Art. 46) on the kernel's pure functions, no Temporal, no database.
 *
 * Calendar facts (prisma/calendar/cn-2004-2026.json): 2026-09-25 Fri; 09-28 Mon, 09-29 Tue, 09-30 Wed working;
 * 2026-10-01..07 国庆节 holidays; 10-08 Thu working. A due date D ends at 24:00 Asia/Shanghai = D T16:00:00.000Z.
 */
import { type CommitmentDataV3, commitmentVerificationV3 as def } from '../../procedures/commitment-verification/v3';
import { processDue } from '../../src/domain/kernel/case-kernel';
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
