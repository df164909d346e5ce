/**
 * Credit repair version 2 (Heilongjiang Social Credit Regulation 2022, Art. 40 ¶2; Art. 45 ¶1; Harbin 2022 measures
 * No. 32) on the kernel's pure functions, no Temporal, no database: what the application names, the decision, and the
 * Art. 40 ¶2 steps (stop publication, tell the subject, each authority ends its restrictions), each recorded once.
 *
 * Calendar facts used (prisma/calendar/cn-2004-2026.json): 2026-09-21 Mon, 09-22 Tue, 09-23 Wed working.
 */
import { creditRepairV2 as def, MEASURE_32_LAST_DAY, type RepairDataV2 } from '../../procedures/credit-repair/v2';
import { refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { CreditStatus, KernelCase } from '../../src/domain/kernel/ops';
import * as harness from './kernel-harness';

const { sh } = harness;
type Case = KernelCase<RepairDataV2>;

const LISTING = '5b0f1c2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const COMMITMENT = '7d2a3e4f-3c4d-4e5f-8a1b-2c3d4e5f6071';
const file = (filing: Record<string, unknown> = { listingCaseId: LISTING }): Case => harness.file(def, filing);
const act = (c: Case, body: Record<string, unknown>, now: string): Case => harness.act(def, c, body, now);
const why = (c: Case, body: Record<string, unknown>, now: string) => {
  const r = harness.english(refusalForAction(def, c, harness.parse(def, body), now));
  return r && { rule: r.rule, message: r.message };
};
const eventsSince = (c: Case, from: number) => c.events.slice(from).map((e) => [e.type, e.data]);
const accepted = (filing?: Record<string, unknown>) => act(file(filing), { action: 'accept' }, sh('2026-09-21', '11:00'));
const approved = (authorities?: string[], filing?: Record<string, unknown>) =>
  act(accepted(filing), { action: 'decide', outcome: 'approved', ...(authorities ? { authorities } : {}) }, sh('2026-09-22'));

const status = (o: Partial<CreditStatus> = {}): CreditStatus => ({ listed: false, listings: [], repairs: [], commitmentBreaches: [], ...o });
const listing = (caseId: string, active = true) => ({ caseId, procedure: 'dishonesty-listing', at: sh('2026-01-05'), until: null, active, endedAt: active ? null : sh('2026-06-01') });
const eligibility = (filing: Record<string, unknown>, creditStatus?: CreditStatus) =>
  harness.english(def.eligibility!({ filing: def.filing.parse(filing), variant: def.defaultVariant, receivedAt: sh('2026-09-21'), subject: { kind: 'organisation', name: 'x', idNumber: 'y' }, creditStatus: creditStatus as CreditStatus }));

describe('the filing', () => {
  const issues = (filing: Record<string, unknown>) => {
    const r = def.filing.safeParse(filing);
    return r.success ? null : r.error.issues.map((i) => [i.path.join('.'), i.code, i.message]);
  };
  const NAME_ONE = 'name what the application repairs: listingCaseId (a listing) or commitmentCaseId (a false or unkept commitment), exactly one';

  it.each([
    ['names nothing', {}, [['listingCaseId', 'custom', NAME_ONE]]],
    ['names both', { listingCaseId: LISTING, commitmentCaseId: COMMITMENT }, [['listingCaseId', 'custom', NAME_ONE]]],
    ['measure No. 32 without the conduct date', { commitmentCaseId: COMMITMENT, reasonCode: 'pandemic-measure-32' }, [['conductDate', 'custom', 'conductDate is required with pandemic-measure-32: the measure applies only to conduct up to 2022-12-31']]],
    ['measure No. 32 with the conduct date', { commitmentCaseId: COMMITMENT, reasonCode: 'pandemic-measure-32', conductDate: '2022-05-01' }, null],
    ['conduct corrected, no conduct date', { listingCaseId: LISTING, reasonCode: 'conduct-corrected' }, null],
  ])('%s', (_name, filing, expected) => {
    expect(issues(filing)).toEqual(expected);
  });

  it('rejects an unknown reason, a listing id that is not a uuid, and unknown fields', () => {
    expect(def.filing.safeParse({ listingCaseId: LISTING, reasonCode: 'other' }).success).toBe(false);
    expect(def.filing.safeParse({ listingCaseId: 'L-1' }).success).toBe(false);
    expect(def.filing.safeParse({ listingCaseId: LISTING, extra: 1 }).success).toBe(false);
  });

  it('filed: the acceptance clock starts from the application; the data names what it repairs', () => {
    const c = file({ listingCaseId: LISTING });
    expect(c.deadlines.map((d) => [d.key, d.startAt, d.startEvent])).toEqual([['acceptance', sh('2026-09-21'), 'repair application received']]);
    expect(c.data).toEqual({
      reasonCode: 'conduct-corrected',
      listingCaseId: LISTING,
      commitmentCaseId: null,
      conductDate: null,
      accepted: null,
      notAccepted: null,
      decision: null,
      publicationStopped: null,
      subjectNotified: null,
      restrictions: [],
    });
    const m = file({ commitmentCaseId: COMMITMENT, reasonCode: 'pandemic-measure-32', conductDate: '2022-05-01' });
    expect(m.data).toMatchObject({ reasonCode: 'pandemic-measure-32', listingCaseId: null, commitmentCaseId: COMMITMENT, conductDate: '2022-05-01' });
  });
});

describe('eligibility: the rule and its message', () => {
  const breach = (repaired: boolean) => ({ caseId: COMMITMENT, at: sh('2026-03-01'), kind: 'false' as const, repaired });
  it.each([
    ['measure No. 32, conduct on the last day', { listingCaseId: LISTING, reasonCode: 'pandemic-measure-32', conductDate: '2022-12-31' }, status({ listings: [listing(LISTING)] }), null],
    [
      'measure No. 32, conduct the day after',
      { listingCaseId: LISTING, reasonCode: 'pandemic-measure-32', conductDate: '2023-01-01' },
      status({ listings: [listing(LISTING)] }),
      { rule: 'measure32Period', message: 'the conduct on 2023-01-01 is after 2022-12-31, when the Harbin 2022 measures ended' },
    ],
    ['conduct corrected, a late conduct date does not matter', { listingCaseId: LISTING, conductDate: '2024-01-01' }, status({ listings: [listing(LISTING)] }), null],
    ['a listing not of this subject', { listingCaseId: LISTING }, status({ listings: [listing('other')] }), { rule: 'namesWhatItRepairs', message: `listingCaseId ${LISTING} is not a listing of this subject` }],
    ['a listing, no credit status read', { listingCaseId: LISTING }, undefined, { rule: 'namesWhatItRepairs', message: `listingCaseId ${LISTING} is not a listing of this subject` }],
    ['a listing that ended', { listingCaseId: LISTING }, status({ listings: [listing(LISTING, false)] }), { rule: 'namesWhatItRepairs', message: `the listing ${LISTING} already ended (2026-06-01 10:00 (Beijing time))` }],
    ['an active listing', { listingCaseId: LISTING }, status({ listings: [listing(LISTING)] }), null],
    ['a commitment with no breach', { commitmentCaseId: COMMITMENT }, status(), { rule: 'namesWhatItRepairs', message: `commitmentCaseId ${COMMITMENT} recorded no false or unkept commitment of this subject` }],
    [
      'a commitment, only another case recorded a breach',
      { commitmentCaseId: COMMITMENT },
      status({ commitmentBreaches: [{ ...breach(false), caseId: '8e3b4f5a-4d5e-4f6a-9b2c-3d4e5f607182' }] }),
      { rule: 'namesWhatItRepairs', message: `commitmentCaseId ${COMMITMENT} recorded no false or unkept commitment of this subject` },
    ],
    ['a commitment, no credit status read', { commitmentCaseId: COMMITMENT }, undefined, { rule: 'namesWhatItRepairs', message: `commitmentCaseId ${COMMITMENT} recorded no false or unkept commitment of this subject` }],
    ['a breach already repaired', { commitmentCaseId: COMMITMENT }, status({ commitmentBreaches: [breach(true)] }), { rule: 'namesWhatItRepairs', message: `the commitment breach of ${COMMITMENT} is already repaired` }],
    ['an unrepaired breach', { commitmentCaseId: COMMITMENT }, status({ commitmentBreaches: [breach(false)] }), null],
  ])('%s', (_name, filing, creditStatus, expected) => {
    expect(eligibility(filing, creditStatus)).toEqual(expected);
  });

  it('the measure ended on 2022-12-31', () => {
    expect(MEASURE_32_LAST_DAY).toBe('2022-12-31');
  });
});

describe('decide (Art. 40 ¶2)', () => {
  it('decide input: approved or rejected, optional reasons, at most 50 authorities of at most 200 characters', () => {
    const schema = def.actions.decide.schema;
    expect(schema.parse({ outcome: 'approved' })).toEqual({ outcome: 'approved' });
    expect(schema.safeParse({ outcome: 'granted' }).success).toBe(false);
    expect(schema.safeParse({ outcome: 'approved', extra: 1 }).success).toBe(false);
    expect(schema.safeParse({ outcome: 'approved', authorities: Array.from({ length: 50 }, (_, i) => `a${i}`) }).success).toBe(true);
    expect(schema.safeParse({ outcome: 'approved', authorities: Array.from({ length: 51 }, (_, i) => `a${i}`) }).success).toBe(false);
    expect(schema.safeParse({ outcome: 'approved', authorities: ['a'.repeat(200)] }).success).toBe(true);
    expect(schema.safeParse({ outcome: 'approved', authorities: ['a'.repeat(201)] }).success).toBe(false);
  });

  it.each([
    ['rejected without reasons', { outcome: 'rejected' }, { rule: 'credit-repair/rejection-needs-reasons', message: 'a rejected repair must state its reasons' }],
    ['rejected naming authorities', { outcome: 'rejected', reasons: 'r', authorities: ['市场监管局'] }, { rule: 'credit-repair/authorities-on-approval', message: 'restrictions end only on an approved repair' }],
    ['rejected with reasons', { outcome: 'rejected', reasons: 'r' }, null],
    ['approved without reasons', { outcome: 'approved' }, null],
    ['approved naming authorities', { outcome: 'approved', authorities: ['市场监管局'] }, null],
  ])('%s', (_name, body, expected) => {
    expect(why(accepted(), { action: 'decide', ...body }, sh('2026-09-22'))).toEqual(expected);
  });

  it('rejected: the decision and its event; no credit record, nothing sent; the decision clock met', () => {
    const c = accepted();
    const from = c.events.length;
    act(c, { action: 'decide', outcome: 'rejected', reasons: '失信行为尚未纠正' }, sh('2026-09-22'));
    expect(c.data.decision).toEqual({ at: sh('2026-09-22'), outcome: 'rejected', reasons: '失信行为尚未纠正', authorities: [] });
    expect(c.deadlines.find((d) => d.key === 'decision')!.completedAt).toBe(sh('2026-09-22'));
    expect(eventsSince(c, from)[0]).toEqual(['repair.rejected', { reasons: '失信行为尚未纠正' }]);
    expect([c.state, c.outcome, c.creditEffects, c.outgoing ?? []]).toEqual(['closed', 'rejected', [], []]);
  });

  it('approved for a listing: the decision, the credit record, the event, the end of the listing sent; one restriction per authority named', () => {
    const c = accepted();
    const from = c.events.length;
    act(c, { action: 'decide', outcome: 'approved', reasons: '已履行判决义务', authorities: ['市场监管局', '税务局', '市场监管局'] }, sh('2026-09-22'));
    expect(c.data.decision).toEqual({ at: sh('2026-09-22'), outcome: 'approved', reasons: '已履行判决义务', authorities: ['市场监管局', '税务局', '市场监管局'] });
    expect(c.deadlines.find((d) => d.key === 'decision')!.completedAt).toBe(sh('2026-09-22'));
    expect(c.creditEffects).toEqual([{ seq: 1, kind: 'repaired', at: sh('2026-09-22'), until: null, data: { listingCaseId: LISTING, reasonCode: 'conduct-corrected' } }]);
    expect(eventsSince(c, from)[0]).toEqual([
      'repair.approved',
      { reasonCode: 'conduct-corrected', listingCaseId: LISTING, commitmentCaseId: null, reasons: '已履行判决义务', authorities: ['市场监管局', '税务局', '市场监管局'] },
    ]);
    expect(c.outgoing!.map((o) => o.effect)).toEqual([{ kind: 'end-listing', listingCaseId: LISTING, ground: 'repair', reasons: '已履行判决义务' }]);
    expect(c.data.restrictions).toEqual([
      { name: '市场监管局', confirmedAt: null },
      { name: '税务局', confirmedAt: null },
    ]);
    expect(c.state).toBe('repairing');
  });

  it('approved for a commitment, without reasons or authorities: the record names the commitment; nothing is sent', () => {
    const c = accepted({ commitmentCaseId: COMMITMENT, reasonCode: 'pandemic-measure-32', conductDate: '2022-05-01' });
    const from = c.events.length;
    act(c, { action: 'decide', outcome: 'approved' }, sh('2026-09-22'));
    expect(c.data.decision).toEqual({ at: sh('2026-09-22'), outcome: 'approved', reasons: null, authorities: [] });
    expect(c.creditEffects.map((e) => [e.kind, e.data])).toEqual([['repaired', { commitmentCaseId: COMMITMENT, reasonCode: 'pandemic-measure-32' }]]);
    expect(eventsSince(c, from)[0]).toEqual(['repair.approved', { reasonCode: 'pandemic-measure-32', listingCaseId: null, commitmentCaseId: COMMITMENT, reasons: null, authorities: [] }]);
    expect(c.outgoing ?? []).toEqual([]);
    expect(c.data.restrictions).toEqual([]);
  });

  it('approved for a listing without reasons: the end of the listing gives the article as its reason', () => {
    const c = approved();
    expect(c.outgoing!.map((o) => o.effect)).toEqual([{ kind: 'end-listing', listingCaseId: LISTING, ground: 'repair', reasons: 'credit repair approved (Art. 40 ¶2)' }]);
  });
});

describe('the Art. 40 ¶2 steps after approval', () => {
  it('stop-publication: evidence required, recorded once, its event names what is repaired', () => {
    const c = approved(['市场监管局']);
    expect(why(c, { action: 'stop-publication' }, sh('2026-09-23'))).toEqual({ rule: 'credit-repair/evidence-required', message: 'attach the evidence that publication stopped (evidenceRef)' });
    const from = c.events.length;
    act(c, { action: 'stop-publication', evidenceRef: 'WEB-1' }, sh('2026-09-23'));
    expect(c.data.publicationStopped).toEqual({ at: sh('2026-09-23'), evidenceRef: 'WEB-1' });
    expect(eventsSince(c, from)).toEqual([['repair.publication-stopped', { listingCaseId: LISTING, commitmentCaseId: null }]]);
    expect(why(c, { action: 'stop-publication', evidenceRef: 'WEB-2' }, sh('2026-09-23', '11:00'))).toEqual({ rule: 'credit-repair/already-done', message: 'publication was stopped at 2026-09-23 10:00 (Beijing time)' });
    expect(c.state).toBe('repairing');
  });

  it('notify-subject: evidence required, recorded once, its event names the channel (or null)', () => {
    const c = approved(['市场监管局']);
    expect(why(c, { action: 'notify-subject' }, sh('2026-09-23'))).toEqual({ rule: 'credit-repair/evidence-required', message: 'attach the evidence that the subject was told (evidenceRef)' });
    const from = c.events.length;
    act(c, { action: 'notify-subject', channel: '电子邮件', evidenceRef: 'SVC-1' }, sh('2026-09-23'));
    expect(c.data.subjectNotified).toEqual({ at: sh('2026-09-23'), evidenceRef: 'SVC-1' });
    expect(eventsSince(c, from)).toEqual([['repair.subject-notified', { channel: '电子邮件' }]]);
    expect(why(c, { action: 'notify-subject', evidenceRef: 'SVC-2' }, sh('2026-09-23', '11:00'))).toEqual({ rule: 'credit-repair/already-done', message: 'the subject was told at 2026-09-23 10:00 (Beijing time)' });
    const bare = approved(['市场监管局']);
    act(bare, { action: 'notify-subject', evidenceRef: 'SVC-1' }, sh('2026-09-23'));
    expect(bare.events.at(-1)!.data).toEqual({ channel: null });
  });

  it('notify-subject input: a channel of at most 100 characters, nothing else', () => {
    const schema = def.actions['notify-subject'].schema;
    expect([schema.safeParse({}).success, schema.safeParse({ channel: 'c'.repeat(100) }).success, schema.safeParse({ channel: 'c'.repeat(101) }).success]).toEqual([true, true, false]);
    expect(schema.safeParse({ channel: 'c', extra: 1 }).success).toBe(false);
    expect(def.actions['stop-publication'].schema.safeParse({ extra: 1 }).success).toBe(false);
    const confirm = def.actions['confirm-restriction-ended'].schema;
    expect([confirm.safeParse({}).success, confirm.safeParse({ authority: 'a'.repeat(200) }).success, confirm.safeParse({ authority: 'a'.repeat(201) }).success]).toEqual([false, true, false]);
    expect(confirm.safeParse({ authority: 'a', extra: 1 }).success).toBe(false);
  });

  it('confirm-restriction-ended: only an authority named on the approval, once each; its event names what is repaired', () => {
    const c = approved(['市场监管局', '税务局']);
    expect(why(c, { action: 'confirm-restriction-ended', authority: '人民银行' }, sh('2026-09-23'))).toEqual({ rule: 'credit-repair/unknown-authority', message: '人民银行 was not named on the approval' });
    const from = c.events.length;
    act(c, { action: 'confirm-restriction-ended', authority: '税务局' }, sh('2026-09-23'));
    expect(c.data.restrictions).toEqual([
      { name: '市场监管局', confirmedAt: null },
      { name: '税务局', confirmedAt: sh('2026-09-23') },
    ]);
    expect(eventsSince(c, from)).toEqual([['restriction.ended', { authority: '税务局', listingCaseId: LISTING, commitmentCaseId: null }]]);
    expect(why(c, { action: 'confirm-restriction-ended', authority: '税务局' }, sh('2026-09-23', '11:00'))).toEqual({ rule: 'credit-repair/already-done', message: '税务局 already confirmed at 2026-09-23 10:00 (Beijing time)' });
    expect(why(c, { action: 'confirm-restriction-ended', authority: '市场监管局' }, sh('2026-09-23', '11:00'))).toBeNull();
  });

  it.each([
    ['publication, subject, then the last authority', ['stop-publication', 'notify-subject', 'confirm']],
    ['the authority, subject, then publication', ['confirm', 'notify-subject', 'stop-publication']],
    ['publication, the authority, then the subject', ['stop-publication', 'confirm', 'notify-subject']],
  ])('the case closes as approved only when every step is recorded: %s', (_name, order) => {
    const c = approved(['市场监管局']);
    const bodies: Record<string, Record<string, unknown>> = {
      'stop-publication': { action: 'stop-publication', evidenceRef: 'WEB-1' },
      'notify-subject': { action: 'notify-subject', evidenceRef: 'SVC-1' },
      confirm: { action: 'confirm-restriction-ended', authority: '市场监管局' },
    };
    const states = order.map((step, i) => {
      act(c, bodies[step], sh('2026-09-23', `1${i}:00`));
      return c.state;
    });
    expect(states).toEqual(['repairing', 'repairing', 'closed']);
    expect(c.outcome).toBe('approved');
  });

  it('with no authority named, publication and the subject told complete the repair', () => {
    const c = approved(undefined, { commitmentCaseId: COMMITMENT });
    act(c, { action: 'stop-publication', evidenceRef: 'WEB-1' }, sh('2026-09-23'));
    expect(c.events.at(-1)!.data).toEqual({ listingCaseId: null, commitmentCaseId: COMMITMENT });
    expect(c.state).toBe('repairing');
    act(c, { action: 'notify-subject', evidenceRef: 'SVC-1' }, sh('2026-09-23', '11:00'));
    expect([c.state, c.outcome]).toEqual(['closed', 'approved']);
  });

  it('a second authority still to confirm keeps the case open', () => {
    const c = approved(['市场监管局', '税务局']);
    act(c, { action: 'stop-publication', evidenceRef: 'WEB-1' }, sh('2026-09-23'));
    act(c, { action: 'notify-subject', evidenceRef: 'SVC-1' }, sh('2026-09-23', '11:00'));
    act(c, { action: 'confirm-restriction-ended', authority: '市场监管局' }, sh('2026-09-23', '12:00'));
    expect(c.state).toBe('repairing');
    act(c, { action: 'confirm-restriction-ended', authority: '税务局' }, sh('2026-09-23', '13:00'));
    expect(c.state).toBe('closed');
  });
});

describe('acceptance (version 1 steps, version 2 clocks)', () => {
  it('accept starts the decision clock and meets the acceptance clock; refuse-acceptance meets it too', () => {
    const c = accepted();
    expect(c.deadlines.map((d) => [d.key, d.completedAt])).toEqual([
      ['acceptance', sh('2026-09-21', '11:00')],
      ['decision', null],
    ]);
    const r = act(file(), { action: 'refuse-acceptance', reasons: '材料不全' }, sh('2026-09-21', '11:00'));
    expect(r.deadlines.map((d) => [d.key, d.completedAt])).toEqual([['acceptance', sh('2026-09-21', '11:00')]]);
  });
});
