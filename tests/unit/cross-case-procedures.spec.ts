/**
 * The procedures the second legal review corrected, on the kernel's pure functions (no Temporal, no database):
 * objection review v3 (Art. 39, Art. 35 ¶2), credit repair v2 (Art. 40 ¶2, Harbin measure No. 32) and the
 * serious-dishonesty listing v2 (Art. 28 ¶2), with the effect that links them (an upheld Art. 35 objection or an approved
 * repair ends exactly the listing it names, in the listing case itself).
 *
 * Calendar facts used (prisma/calendar/cn-2004-2026.json): 2026-10-01..07 国庆节 holidays; 2026-10-08 Thu working.
 */
import type { AnyKernelProcedure } from '../../procedures';
import { creditRepairV2 } from '../../procedures/credit-repair/v2';
import { dishonestyListingV1 } from '../../procedures/dishonesty-listing/v1';
import { DEFAULT_REMEDIES_ZH, dishonestyListingV2 } from '../../procedures/dishonesty-listing/v2';
import { objectionReviewV3 } from '../../procedures/objection-review/v3';
import type { Refusal } from '../../src/domain/case-model';
import { applyIncomingEffect, parseKernelAction, processDue, recordEffectDelivery, refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { CreditStatus, IncomingEffect, KernelCase } from '../../src/domain/kernel/ops';
import { act, calendar, file as fileCase, parse, sh } from './kernel-harness';

const endOf = (date: string) => `${date}T16:00:00.000Z`;
const SUBJECT = { kind: 'organisation' as const, name: '哈尔滨某某商贸有限公司', idNumber: '91230100MA1BXXXX0X' };
const LISTING = '5b0f1c2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const OTHER_LISTING = '6c1f2d3e-2b3c-4d4e-9f0a-1b2c3d4e5f60';
const COMMITMENT = '7d2a3e4f-3c4d-4e5f-8a1b-2c3d4e5f6071';

/** The harness's filing, received on Tue 2026-09-29 unless said otherwise. */
const file = (def: AnyKernelProcedure, filing: unknown, variant = def.defaultVariant, receivedAt = sh('2026-09-29')) => fileCase(def, filing, variant, receivedAt);
const refusalOf = (def: AnyKernelProcedure, c: KernelCase<unknown>, body: Record<string, unknown>, now: string): Refusal | null => refusalForAction(def, c, parse(def, body), now);
const status = (o: Partial<CreditStatus> = {}): CreditStatus => ({ listed: false, listings: [], repairs: [], commitmentBreaches: [], ...o });
const listing = (caseId: string, active = true) => ({ caseId, procedure: 'dishonesty-listing', at: sh('2026-01-05'), until: null, active, endedAt: active ? null : sh('2026-06-01') });
const eligibility = (def: AnyKernelProcedure, filing: Record<string, unknown>, creditStatus: CreditStatus, variant = def.defaultVariant) => {
  const hit = def.eligibility!({ filing: def.filing.parse(filing), variant, receivedAt: sh('2026-09-29'), subject: SUBJECT, creditStatus });
  return hit ? def.rules[hit.rule].id : null;
};
const schemaProblem = (def: AnyKernelProcedure, filing: Record<string, unknown>) => {
  const r = def.filing.safeParse(filing);
  return r.success ? null : r.error.issues.map((i) => i.path.join('.'));
};
const OBJECTION = { grounds: ['error'], reasons: '处罚决定已被撤销' };

describe('objection review v3', () => {
  const def = objectionReviewV3;

  it.each([
    ['no grounds', { reasons: 'x' }, ['grounds']],
    ['no reasons (Art. 39 ¶1 说明理由)', { grounds: ['error'] }, ['reasons']],
    ['empty grounds', { grounds: [], reasons: 'x' }, ['grounds']],
    ['grounds and reasons', OBJECTION, null],
  ])('filing: %s', (_name, filing, problem) => {
    expect(schemaProblem(def, filing)).toEqual(problem);
  });

  it('an Art. 35 filing without its listing is bad input naming listingCaseId (400); an Art. 39 filing needs none', () => {
    expect(def.filingProblem!(def.filing.parse(OBJECTION), 'serious-dishonesty-list')).toMatchObject({ field: 'listingCaseId' });
    expect(def.filingProblem!(def.filing.parse({ ...OBJECTION, listingCaseId: LISTING }), 'serious-dishonesty-list')).toBeNull();
    expect(def.filingProblem!(def.filing.parse(OBJECTION), 'standard')).toBeNull();
  });

  it.each([
    ['Art. 35 without a listing', 'serious-dishonesty-list', {}, status({ listed: true, listings: [listing(LISTING)] }), 'objection-review/art35-names-listing'],
    ['Art. 35 naming a listing of another subject', 'serious-dishonesty-list', { listingCaseId: OTHER_LISTING }, status({ listed: true, listings: [listing(LISTING)] }), 'objection-review/art35-names-listing'],
    ['Art. 35 naming a listing that ended', 'serious-dishonesty-list', { listingCaseId: LISTING }, status({ listings: [listing(LISTING, false)] }), 'objection-review/art35-names-listing'],
    ['Art. 35 naming its active listing', 'serious-dishonesty-list', { listingCaseId: LISTING }, status({ listed: true, listings: [listing(LISTING)] }), null],
    ['Art. 39 naming a listing', 'standard', { listingCaseId: LISTING }, status({ listed: true, listings: [listing(LISTING)] }), 'objection-review/listing-only-on-art35'],
    ['Art. 39', 'standard', {}, status(), null],
  ])('eligibility: %s', (_name, variant, fields, creditStatus, rule) => {
    expect(eligibility(def, { ...OBJECTION, ...fields }, creditStatus, variant)).toBe(rule);
  });

  it('a referral ends the 1- and 3-day clocks as not applicable, also after they passed: no red, not met-late', () => {
    const c = file(def, OBJECTION);
    // Referred on 2026-10-12, after both clocks fell due (mark-disputed 09-30, decision 10-08).
    const now = sh('2026-10-12');
    act(def, c, { action: 'refer', competentUnit: '市税务局', occurredAt: sh('2026-09-30', '09:00') }, now);
    const byKey = Object.fromEntries(c.deadlines.map((d) => [d.key, d.status]));
    expect(byKey).toMatchObject({ 'mark-disputed': 'not-applicable', decision: 'not-applicable', referral: 'met-recorded-late' });
    processDue(def, calendar, c, sh('2026-10-20'));
    expect(c.escalations).toEqual([]);
    expect(c.deadlines.find((d) => d.key === 'decision')!.previous.at(-1)!.reason).toContain('属于本单位处理范围的');
    expect(c).toMatchObject({ state: 'closed', outcome: 'referred' });
  });

  it('refuses a referral of an Art. 35 objection, and statements on an Art. 39 objection', () => {
    const listed = file(def, { ...OBJECTION, listingCaseId: LISTING }, 'serious-dishonesty-list');
    expect(refusalOf(def, listed, { action: 'refer', competentUnit: 'x' }, sh('2026-09-30'))?.rule).toBe('objection-review/art35-no-referral');
    const standard = file(def, OBJECTION);
    expect(refusalOf(def, standard, { action: 'record-statement', kind: 'statement', text: 'x' }, sh('2026-09-30'))?.rule).toBe('objection-review/statements-on-art35');
  });

  it('Art. 35 upheld: the statements are on record, and the decision sends the end of that listing to its case (no credit record of its own)', () => {
    const c = file(def, { ...OBJECTION, listingCaseId: LISTING }, 'serious-dishonesty-list');
    act(def, c, { action: 'record-statement', kind: 'defence', text: '判决已履行' }, sh('2026-09-30'));
    act(def, c, { action: 'decide', outcome: 'upheld', reasons: '依据已撤销', departments: ['发改委'] }, sh('2026-09-30', '15:00'));
    expect(c.data.statements).toEqual([{ at: sh('2026-09-30'), kind: 'defence', text: '判决已履行' }]);
    expect(c.creditEffects).toEqual([]);
    expect(c.outgoing).toEqual([{ id: `${c.caseId}:1`, at: sh('2026-09-30', '15:00'), status: 'pending', effect: { kind: 'end-listing', listingCaseId: LISTING, ground: 'objection-upheld', reasons: '依据已撤销' } }]);
    expect(refusalOf(def, c, { action: 'record-statement', kind: 'statement', text: 'x' }, sh('2026-10-08'))).toMatchObject({ rule: 'action-not-in-state', message: expect.stringContaining('state correcting') });
  });

  it('a referral after assistance was asked ends the 7-day regime as not applicable too; the assisting unit keeps its clock', () => {
    const c = file(def, OBJECTION);
    act(def, c, { action: 'mark-disputed' }, sh('2026-09-30', '09:00'));
    act(def, c, { action: 'request-assistance', units: [{ unitId: 'tax' }] }, sh('2026-09-30', '10:00'));
    act(def, c, { action: 'record-notice-receipt', unitId: 'tax' }, sh('2026-09-30', '11:00'));
    act(def, c, { action: 'refer', competentUnit: '市税务局' }, sh('2026-09-30', '15:00'));
    expect(c.deadlines.find((d) => d.key === 'decision')).toMatchObject({ period: { workingDays: 7 }, status: 'not-applicable' });
    expect(c.deadlines.find((d) => d.key === 'assistance-reply:tax')!.status).toBe('running');
  });

  it('an upheld Art. 39 objection corrects the record and sends the correction to each system once; it ends no listing', () => {
    const c = file(def, OBJECTION);
    act(def, c, { action: 'mark-disputed' }, sh('2026-09-30', '09:00'));
    act(def, c, { action: 'decide', outcome: 'upheld', downstreamSystems: ['信用中国', '信用中国'] }, sh('2026-09-30', '10:00'));
    expect((c.data.corrections as { name: string }[]).map((x) => x.name)).toEqual(['信用中国']);
    expect(c.events.at(-1)).toMatchObject({ type: 'decision.upheld', data: { effects: ['correct the record', 'send the correction to every system that received the information', 'notify the applicant'], departments: [] } });
    expect(c.outgoing ?? []).toEqual([]);
    expect(c.state).toBe('correcting');
  });

  it('a rejected Art. 35 objection sends nothing', () => {
    const c = file(def, { ...OBJECTION, listingCaseId: LISTING }, 'serious-dishonesty-list');
    act(def, c, { action: 'decide', outcome: 'rejected', reasons: '认定事实清楚' }, sh('2026-09-30'));
    expect(c.outgoing ?? []).toEqual([]);
  });
});

describe('credit repair v2', () => {
  const def = creditRepairV2;

  it.each([
    ['names nothing', {}, ['listingCaseId']],
    ['names both', { listingCaseId: LISTING, commitmentCaseId: COMMITMENT }, ['listingCaseId']],
    ['measure No. 32 without the conduct date', { listingCaseId: LISTING, reasonCode: 'pandemic-measure-32' }, ['conductDate']],
    ['a listing', { listingCaseId: LISTING }, null],
    ['a commitment', { commitmentCaseId: COMMITMENT }, null],
  ])('filing: %s', (_name, filing, problem) => {
    expect(schemaProblem(def, filing)).toEqual(problem);
  });

  const breach = (repaired: boolean) => ({ caseId: COMMITMENT, at: sh('2026-03-01'), kind: 'false', repaired });
  it.each([
    ['measure No. 32 for conduct on 2022-12-31', { listingCaseId: LISTING, reasonCode: 'pandemic-measure-32', conductDate: '2022-12-31' }, status({ listed: true, listings: [listing(LISTING)] }), null],
    ['measure No. 32 for conduct on 2023-01-01', { listingCaseId: LISTING, reasonCode: 'pandemic-measure-32', conductDate: '2023-01-01' }, status({ listed: true, listings: [listing(LISTING)] }), 'credit-repair/measure-32-period'],
    ['a listing of another subject', { listingCaseId: OTHER_LISTING }, status({ listed: true, listings: [listing(LISTING)] }), 'credit-repair/names-what-it-repairs'],
    ['a listing that ended', { listingCaseId: LISTING }, status({ listings: [listing(LISTING, false)] }), 'credit-repair/names-what-it-repairs'],
    ['a commitment with no breach', { commitmentCaseId: COMMITMENT }, status(), 'credit-repair/names-what-it-repairs'],
    ['a breach already repaired', { commitmentCaseId: COMMITMENT }, status({ commitmentBreaches: [breach(true)] }), 'credit-repair/names-what-it-repairs'],
    ['an unrepaired breach', { commitmentCaseId: COMMITMENT }, status({ commitmentBreaches: [breach(false)] }), null],
  ])('eligibility: %s', (_name, filing, creditStatus, rule) => {
    expect(eligibility(def, filing, creditStatus)).toBe(rule);
  });

  it('approval of a listing repair: credit record and the end of that listing sent; the Art. 40 ¶2 steps each recorded once, with evidence; closed when all are done', () => {
    const c = file(def, { listingCaseId: LISTING });
    expect(refusalOf(def, c, { action: 'stop-publication', evidenceRef: 'e' }, sh('2026-09-30'))).toMatchObject({ rule: 'action-not-in-state', message: expect.stringContaining('state applied') });
    expect(refusalOf(def, c, { action: 'decide', outcome: 'approved' }, sh('2026-09-30'))?.rule).toBe('action-not-in-state');
    act(def, c, { action: 'accept' }, sh('2026-09-30'));
    act(def, c, { action: 'decide', outcome: 'approved', authorities: ['市场监管局'] }, sh('2026-10-08'));
    expect(refusalOf(def, c, { action: 'decide', outcome: 'approved' }, sh('2026-10-08'))).toMatchObject({ rule: 'action-not-in-state', message: expect.stringContaining('state repairing') });
    expect(c.creditEffects).toEqual([expect.objectContaining({ kind: 'repaired', data: { listingCaseId: LISTING, reasonCode: 'conduct-corrected' } })]);
    expect(c.outgoing).toEqual([expect.objectContaining({ effect: { kind: 'end-listing', listingCaseId: LISTING, ground: 'repair', reasons: 'credit repair approved (Art. 40 ¶2)' } })]);
    expect(c.state).toBe('repairing');
    expect(refusalOf(def, c, { action: 'stop-publication' }, sh('2026-10-08'))?.rule).toBe('credit-repair/evidence-required');
    act(def, c, { action: 'stop-publication', evidenceRef: 'WEB-1' }, sh('2026-10-08'));
    expect(refusalOf(def, c, { action: 'stop-publication', evidenceRef: 'WEB-1' }, sh('2026-10-08'))?.rule).toBe('credit-repair/already-done');
    act(def, c, { action: 'notify-subject', evidenceRef: 'SVC-1' }, sh('2026-10-08'));
    expect(refusalOf(def, c, { action: 'confirm-restriction-ended', authority: '税务局' }, sh('2026-10-08'))?.rule).toBe('credit-repair/unknown-authority');
    act(def, c, { action: 'confirm-restriction-ended', authority: '市场监管局' }, sh('2026-10-08'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'approved' });
  });

  it('a rejected repair states its reasons, writes no credit record and ends nothing', () => {
    const c = file(def, { listingCaseId: LISTING });
    act(def, c, { action: 'accept' }, sh('2026-09-30'));
    expect(refusalOf(def, c, { action: 'decide', outcome: 'rejected' }, sh('2026-10-08'))?.rule).toBe('credit-repair/rejection-needs-reasons');
    expect(refusalOf(def, c, { action: 'decide', outcome: 'rejected', reasons: 'r', authorities: ['x'] }, sh('2026-10-08'))?.rule).toBe('credit-repair/authorities-on-approval');
    act(def, c, { action: 'decide', outcome: 'rejected', reasons: '失信行为尚未纠正' }, sh('2026-10-08'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'rejected', creditEffects: [] });
    expect(c.outgoing ?? []).toEqual([]);
  });

  it('approval of a commitment repair records the repair of that commitment and ends no listing', () => {
    const c = file(def, { commitmentCaseId: COMMITMENT });
    act(def, c, { action: 'accept' }, sh('2026-09-30'));
    act(def, c, { action: 'decide', outcome: 'approved' }, sh('2026-10-08'));
    expect(c.creditEffects).toEqual([expect.objectContaining({ kind: 'repaired', data: { commitmentCaseId: COMMITMENT, reasonCode: 'conduct-corrected' } })]);
    expect(c.outgoing ?? []).toEqual([]);
  });
});

describe('serious-dishonesty listing v2 and the effect that ends a listing', () => {
  const def = dishonestyListingV2;
  const fileListing = (version: AnyKernelProcedure) => file(version, {}, 'standard', sh('2026-09-01'));
  const decision = { period: { months: 1 }, reasons: '拒不履行生效判决', basis: '条例第二十九条第五项', removalConditions: '履行判决确定的义务' };
  const incoming = (ground: 'objection-upheld' | 'repair', id = 'o-1:1'): IncomingEffect => ({
    id,
    effect: { kind: 'end-listing', listingCaseId: 'x', ground, reasons: '依据已撤销' },
    fromCaseId: 'o-1',
    fromProcedure: 'objection-review',
    at: sh('2026-09-30'),
  });

  it('Art. 28 ¶2: the decision states reasons, basis, period, removal conditions and remedies (Chinese by default)', () => {
    const c = fileListing(def);
    const { removalConditions: _omitted, ...withoutConditions } = decision;
    expect(parseKernelAction(def, { action: 'decide', ...withoutConditions })).toMatchObject({ ok: false, problem: { field: 'removalConditions' } });
    act(def, c, { action: 'decide', ...decision }, sh('2026-09-05'));
    expect(c.data.decision).toMatchObject({ remedies: DEFAULT_REMEDIES_ZH, removalConditions: '履行判决确定的义务' });
    expect(c.data.periodBasis).toBe('条例第二十九条第五项');
  });

  it('the end of a listing period is not rolled forward past a rest day (decision 0012); version 1 rolled it', () => {
    // Decided 2026-09-05 for one month: the corresponding day 2026-10-05 is a National Day holiday.
    const v2 = act(def, fileListing(def), { action: 'decide', ...decision }, sh('2026-09-05'));
    const period = v2.deadlines.find((d) => d.key === 'listing-period')!;
    expect(period).toMatchObject({ dueDate: '2026-10-05', dueAt: endOf('2026-10-05') });
    expect(period.explanation.rolledForward).toBeUndefined();
    expect(period.explanation.noRestDayRoll).toContain('burden on the subject');
    const v1 = act(dishonestyListingV1, fileListing(dishonestyListingV1), { action: 'decide', period: { months: 1 }, reasons: 'r', basis: 'b' }, sh('2026-09-05'));
    expect(v1.deadlines.find((d) => d.key === 'listing-period')).toMatchObject({ dueDate: '2026-10-08' });
  });

  it('a case decides once: a second decision, or not listing after a listing, is refused', () => {
    const c = fileListing(def);
    act(def, c, { action: 'not-listed', reasons: '证据不足' }, sh('2026-09-05'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'not-listed' });
    const listed = act(def, fileListing(def), { action: 'decide', ...decision }, sh('2026-09-05'));
    expect(refusalOf(def, listed, { action: 'decide', ...decision }, sh('2026-09-06'))?.rule).toBe('dishonesty-listing/already-decided');
    expect(refusalOf(def, listed, { action: 'not-listed', reasons: 'x' }, sh('2026-09-06'))?.rule).toBe('dishonesty-listing/already-decided');
  });

  it('telling the subject is a recorded step, once, with evidence', () => {
    const c = fileListing(def);
    expect(refusalOf(def, c, { action: 'notify-subject', evidenceRef: 'e' }, sh('2026-09-05'))?.rule).toBe('action-not-in-state');
    act(def, c, { action: 'decide', ...decision }, sh('2026-09-05'));
    expect(refusalOf(def, c, { action: 'notify-subject' }, sh('2026-09-06'))?.rule).toBe('dishonesty-listing/evidence-required');
    act(def, c, { action: 'notify-subject', evidenceRef: 'EMS-1' }, sh('2026-09-06'));
    expect(c.data.subjectNotified).toEqual({ at: sh('2026-09-06'), evidenceRef: 'EMS-1', channel: null });
    expect(refusalOf(def, c, { action: 'notify-subject', evidenceRef: 'EMS-2' }, sh('2026-09-07'))?.rule).toBe('dishonesty-listing/already-told');
    act(def, c, { action: 'record-statement', kind: 'statement', text: '对认定事实有异议' }, sh('2026-09-07'));
    expect(c.data.statements).toHaveLength(1);
  });

  it.each([
    ['objection-upheld', 'removed'],
    ['repair', 'repaired'],
  ] as const)('an end-listing effect (%s) ends the listing in its own case: clock stopped, credit record names it, outcome %s; a repeat changes nothing', (ground, outcome) => {
    for (const version of [def, dishonestyListingV1]) {
      const c = fileListing(version);
      act(version, c, version === def ? { action: 'decide', ...decision } : { action: 'decide', period: { years: 1 }, reasons: 'r', basis: 'b' }, sh('2026-09-05'));
      expect(applyIncomingEffect(version, calendar, c, incoming(ground), sh('2026-09-30', '11:00'))).toBe(true);
      expect(c).toMatchObject({ state: 'closed', outcome });
      expect(c.deadlines.find((d) => d.key === 'listing-period')!.status).toBe('cancelled');
      expect(c.creditEffects.at(-1)).toMatchObject({ kind: 'listing-ended', data: { listingCaseId: c.caseId, reason: ground, byCaseId: 'o-1' } });
      const events = c.events.length;
      expect(applyIncomingEffect(version, calendar, c, incoming(ground), sh('2026-09-30', '12:00'))).toBe(false);
      expect(c.events).toHaveLength(events);
    }
  });

  it('an end-listing effect on a case that listed nobody is recorded as not applied', () => {
    const c = fileListing(def);
    expect(applyIncomingEffect(def, calendar, c, incoming('repair'), sh('2026-09-30'))).toBe(false);
    expect(c.state).toBe('under-review');
    expect(c.events.at(-1)).toMatchObject({ type: 'effect.not-applied', data: expect.objectContaining({ why: 'the subject is not listed by this case' }) });
  });
});

describe('delivery of an effect to another case', () => {
  it('records delivered or undeliverable once per effect, and ignores an id it never sent', () => {
    const c = file(objectionReviewV3, { ...OBJECTION, listingCaseId: LISTING }, 'serious-dishonesty-list');
    act(objectionReviewV3, c, { action: 'decide', outcome: 'upheld', reasons: '依据已撤销' }, sh('2026-09-30'));
    const id = c.outgoing![0].id;
    recordEffectDelivery(c, 'nobody:1', true, sh('2026-09-30', '15:01'));
    expect(c.outgoing![0].status).toBe('pending');
    recordEffectDelivery(c, id, false, sh('2026-09-30', '15:01'));
    expect(c.outgoing![0].status).toBe('undeliverable');
    expect(c.events.at(-1)).toMatchObject({ type: 'effect.undeliverable', actor: 'system', data: { id, effect: { kind: 'end-listing', listingCaseId: LISTING } } });
    const other = file(objectionReviewV3, { ...OBJECTION, listingCaseId: LISTING }, 'serious-dishonesty-list');
    act(objectionReviewV3, other, { action: 'decide', outcome: 'upheld', reasons: '依据已撤销' }, sh('2026-09-30'));
    recordEffectDelivery(other, other.outgoing![0].id, true, sh('2026-09-30', '15:01'));
    expect(other.outgoing![0].status).toBe('delivered');
    expect(other.events.at(-1)!.type).toBe('effect.delivered');
  });
});
