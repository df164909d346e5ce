/**
 * Objection review version 3 (Heilongjiang Social Credit Regulation 2022, Art. 39; Art. 35 ¶2) on the kernel's pure
 * functions, no Temporal, no database: what version 3 changed over version 2, each pinned exactly — the filing and the
 * listing it names, the referral's not-applicable clocks, the listed subject's statements, and the decision's event,
 * parties and the end of the listing it sends.
 *
 * Calendar facts used (prisma/calendar/cn-2004-2026.json): 2026-09-21 Mon to 09-24 Thu working; 09-25 中秋节.
 */
import { versions } from '../../procedures/objection-review';
import { type ObjectionDataV3, objectionReviewV3 as def } from '../../procedures/objection-review/v3';
import { refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { CreditStatus, KernelCase } from '../../src/domain/kernel/ops';
import * as harness from './kernel-harness';

const { sh } = harness;
type Case = KernelCase<ObjectionDataV3>;

const LISTING = '5b0f1c2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const OBJECTION = { grounds: ['error'], reasons: '处罚决定已被撤销' };
const ART_35_UPHELD = '决定采纳的,认定单位应当将其移出严重失信主体名单,有关部门应当终止实施失信惩戒措施';
const standard = (): Case => harness.file(def, OBJECTION, 'standard');
const onList = (): Case => harness.file(def, { ...OBJECTION, listingCaseId: LISTING }, 'serious-dishonesty-list');
const act = (c: Case, body: Record<string, unknown>, now: string): Case => harness.act(def, c, body, now);
const why = (c: Case, body: Record<string, unknown>, now: string) => {
  const r = harness.english(refusalForAction(def, c, harness.parse(def, body), now));
  return r && { rule: r.rule, message: r.message };
};
const eventsSince = (c: Case, from: number) => c.events.slice(from).map((e) => ({ type: e.type, reason: e.reason, data: e.data }));
const status = (o: Partial<CreditStatus> = {}): CreditStatus => ({ listed: false, listings: [], repairs: [], commitmentBreaches: [], ...o });
const listing = (caseId: string, active = true) => ({ caseId, procedure: 'dishonesty-listing', at: sh('2026-01-05'), until: null, active, endedAt: active ? null : sh('2026-06-01') });
const eligibility = (filing: Record<string, unknown>, variant: string, creditStatus?: CreditStatus) =>
  harness.english(def.eligibility!({ filing: def.filing.parse(filing), variant, receivedAt: sh('2026-09-21'), subject: { kind: 'organisation', name: 'x', idNumber: 'y' }, creditStatus: creditStatus as CreditStatus }));

describe('version 3 as published', () => {
  it('is the version 3 of the index', () => {
    expect(versions.find((v) => v.version === 3)).toBe(def);
  });
});

describe('the filing', () => {
  it.each([
    [['error'], true],
    [['error', 'omission', 'overdue-publication', 'infringement'], true],
    [['error', 'omission', 'overdue-publication', 'infringement', 'error'], false],
    [[], false],
    [['other'], false],
  ])('grounds %j: accepted %s', (grounds, ok) => {
    expect(def.filing.safeParse({ grounds, reasons: 'r' }).success).toBe(ok);
  });

  it('reasons are required; a listing is named by its uuid; nothing else', () => {
    expect(def.filing.parse({ ...OBJECTION, listingCaseId: LISTING })).toEqual({ ...OBJECTION, listingCaseId: LISTING });
    expect(def.filing.safeParse({ grounds: ['error'] }).success).toBe(false);
    expect(def.filing.safeParse({ ...OBJECTION, listingCaseId: 'L-1' }).success).toBe(false);
    expect(def.filing.safeParse({ ...OBJECTION, extra: 1 }).success).toBe(false);
  });

  it('an Art. 35 filing without its listing is bad input, with the message; an Art. 39 filing is not', () => {
    expect(harness.english(def.filingProblem!(def.filing.parse(OBJECTION), 'serious-dishonesty-list'))).toEqual({
      field: 'listingCaseId',
      message: 'listingCaseId is required: an Art. 35 objection names the listing it objects to (the listing case)',
    });
    expect(def.filingProblem!(def.filing.parse({ ...OBJECTION, listingCaseId: LISTING }), 'serious-dishonesty-list')).toBeNull();
    expect(def.filingProblem!(def.filing.parse(OBJECTION), 'standard')).toBeNull();
  });

  it.each([
    ['Art. 39 naming a listing', 'standard', { listingCaseId: LISTING }, status(), { rule: 'listingOnlyOnList', message: 'listingCaseId names the listing of an Art. 35 objection (variant serious-dishonesty-list)' }],
    ['Art. 39', 'standard', {}, undefined, null],
    ['Art. 35 without a listing', 'serious-dishonesty-list', {}, status({ listings: [listing(LISTING)] }), { rule: 'namesListing', message: 'listingCaseId is required: an Art. 35 objection names the listing it objects to' }],
    ['Art. 35 naming a listing of another subject', 'serious-dishonesty-list', { listingCaseId: LISTING }, status({ listings: [listing('other')] }), { rule: 'namesListing', message: `listingCaseId ${LISTING} is not a listing of this subject` }],
    ['Art. 35, no credit status read', 'serious-dishonesty-list', { listingCaseId: LISTING }, undefined, { rule: 'namesListing', message: `listingCaseId ${LISTING} is not a listing of this subject` }],
    ['Art. 35 naming a listing that ended', 'serious-dishonesty-list', { listingCaseId: LISTING }, status({ listings: [listing(LISTING, false)] }), { rule: 'namesListing', message: `the listing ${LISTING} already ended (2026-06-01 10:00 (Beijing time))` }],
    ['Art. 35 naming its active listing', 'serious-dishonesty-list', { listingCaseId: LISTING }, status({ listings: [listing(LISTING)] }), null],
  ])('eligibility: %s', (_name, variant, fields, creditStatus, expected) => {
    expect(eligibility({ ...OBJECTION, ...fields }, variant, creditStatus)).toEqual(expected);
  });

  it('filed: version 2 data plus the listing named and no statements', () => {
    expect(onList().data).toEqual({
      grounds: ['error'],
      reasons: '处罚决定已被撤销',
      markedAt: null,
      referral: null,
      assistance: [],
      decision: null,
      recordCorrected: null,
      applicantNotified: null,
      corrections: [],
      measures: [],
      listingCaseId: LISTING,
      statements: [],
    });
    expect(standard().data).toMatchObject({ listingCaseId: null, statements: [] });
  });
});

describe('refer (Art. 39 ¶2)', () => {
  const REASON = "referred: not within the unit's scope (Art. 39 ¶2 属于本单位处理范围的)";

  it('records the competent unit, ends the 1- and 3-day clocks as not applicable with the reason, measures the referral from receipt', () => {
    const c = standard();
    act(c, { action: 'refer', competentUnit: '市税务局' }, sh('2026-09-21', '15:00'));
    expect(c.data.referral).toEqual({ competentUnit: '市税务局', at: sh('2026-09-21', '15:00') });
    expect(c.deadlines.map((d) => [d.key, d.status])).toEqual([
      ['mark-disputed', 'not-applicable'],
      ['decision', 'not-applicable'],
      ['referral', 'met'],
    ]);
    expect(c.deadlines.slice(0, 2).map((d) => d.previous.map((p) => [p.changedAt, p.reason]))).toEqual([
      [[sh('2026-09-21', '15:00'), REASON]],
      [[sh('2026-09-21', '15:00'), REASON]],
    ]);
    expect(c.deadlines[2]).toMatchObject({ startAt: sh('2026-09-21'), startEvent: 'objection received', completedAt: sh('2026-09-21', '15:00') });
    expect(c.events.filter((e) => e.type === 'case.referred').map((e) => e.data)).toEqual([{ competentUnit: '市税务局' }]);
    expect([c.state, c.outcome]).toEqual(['closed', 'referred']);
  });

  it('after marking the record disputed, the met mark-disputed clock stays met; the decision clock is not applicable', () => {
    const c = act(standard(), { action: 'mark-disputed' }, sh('2026-09-21', '11:00'));
    act(c, { action: 'refer', competentUnit: '市税务局' }, sh('2026-09-21', '15:00'));
    expect(c.deadlines.map((d) => [d.key, d.status])).toEqual([
      ['mark-disputed', 'met'],
      ['decision', 'not-applicable'],
      ['referral', 'met'],
    ]);
  });

  it('an Art. 35 objection is not referred, with the message; the competent unit is at most 200 characters', () => {
    expect(why(onList(), { action: 'refer', competentUnit: 'x' }, sh('2026-09-21', '15:00'))).toEqual({
      rule: 'objection-review/art35-no-referral',
      message: 'the listing unit itself re-examines an Art. 35 objection',
    });
    expect(why(standard(), { action: 'refer', competentUnit: 'x' }, sh('2026-09-21', '15:00'))).toBeNull();
    const schema = def.actions.refer.schema;
    expect([schema.safeParse({ competentUnit: 'u'.repeat(200) }).success, schema.safeParse({ competentUnit: 'u'.repeat(201) }).success, schema.safeParse({}).success]).toEqual([true, false, false]);
    expect(schema.safeParse({ competentUnit: 'u', extra: 1 }).success).toBe(false);
  });
});

describe('record-statement (Art. 35 ¶2)', () => {
  it.each(['statement', 'defence'] as const)('a %s is kept with its time; the event carries the text as its reason', (kind) => {
    const c = onList();
    const from = c.events.length;
    act(c, { action: 'record-statement', kind, text: '判决已履行' }, sh('2026-09-21', '15:00'));
    expect(c.data.statements).toEqual([{ at: sh('2026-09-21', '15:00'), kind, text: '判决已履行' }]);
    expect(eventsSince(c, from)).toEqual([{ type: `subject.${kind}`, reason: '判决已履行', data: { kind } }]);
  });

  it('only on an objection to a listing, with the message; input is a kind and a text only', () => {
    expect(why(standard(), { action: 'record-statement', kind: 'statement', text: 'x' }, sh('2026-09-21', '15:00'))).toEqual({
      rule: 'objection-review/statements-on-art35',
      message: 'statements and defence under Art. 35 ¶2 belong to an objection to a listing',
    });
    const schema = def.actions['record-statement'].schema;
    expect(schema.safeParse({ kind: 'statement', text: 't' }).success).toBe(true);
    expect(schema.safeParse({ kind: 'appeal', text: 't' }).success).toBe(false);
    expect(schema.safeParse({ kind: 'statement' }).success).toBe(false);
    expect(schema.safeParse({ kind: 'statement', text: 't', extra: 1 }).success).toBe(false);
  });
});

describe('decide (Art. 39 ¶3, Art. 35 ¶2)', () => {
  it('Art. 35 upheld: the decision, its event naming the listing and departments, the end of the listing sent, each department a party asked to end its measure', () => {
    const c = onList();
    const from = c.events.length;
    act(c, { action: 'decide', outcome: 'upheld', reasons: '依据已撤销', departments: ['发改委', '税务局', '发改委'] }, sh('2026-09-22'));
    expect(c.data.decision).toEqual({ outcome: 'upheld', reasons: '依据已撤销', at: sh('2026-09-22') });
    expect(c.deadlines.find((d) => d.key === 'decision')!.completedAt).toBe(sh('2026-09-22'));
    expect(eventsSince(c, from)).toEqual([
      {
        type: 'decision.upheld',
        reason: '依据已撤销',
        data: {
          effects: ['remove the subject from the listing objected to', 'every department applying a punitive measure ends it', 'notify the applicant'],
          listingCaseId: LISTING,
          downstreamSystems: [],
          departments: ['发改委', '税务局', '发改委'],
        },
      },
    ]);
    expect(c.outgoing!.map((o) => o.effect)).toEqual([{ kind: 'end-listing', listingCaseId: LISTING, ground: 'objection-upheld', reasons: '依据已撤销' }]);
    expect(c.data.measures).toEqual([
      { name: '发改委', sentAt: sh('2026-09-22'), receivedAt: null, confirmedAt: null },
      { name: '税务局', sentAt: sh('2026-09-22'), receivedAt: null, confirmedAt: null },
    ]);
    expect(c.data.corrections).toEqual([]);
    expect(c.parties).toEqual(['发改委', '税务局']);
    expect(c.creditEffects).toEqual([]);
    expect(c.state).toBe('correcting');
  });

  it('Art. 35 upheld without reasons: the end of the listing quotes Art. 35 ¶2; no departments, no parties', () => {
    const c = act(onList(), { action: 'decide', outcome: 'upheld' }, sh('2026-09-22'));
    expect(c.outgoing!.map((o) => o.effect)).toEqual([{ kind: 'end-listing', listingCaseId: LISTING, ground: 'objection-upheld', reasons: `objection upheld: ${ART_35_UPHELD}` }]);
    expect(c.events.at(-1)).toMatchObject({ type: 'decision.upheld', data: { listingCaseId: LISTING, downstreamSystems: [], departments: [] } });
    expect(c.events.at(-1)!.reason).toBeUndefined();
    expect(c.data.decision).toEqual({ outcome: 'upheld', reasons: null, at: sh('2026-09-22') });
    expect([c.parties, c.data.measures]).toEqual([[], []]);
  });

  it('Art. 39 upheld: the record to correct and each system once; no listing named, nothing sent', () => {
    const c = act(standard(), { action: 'mark-disputed' }, sh('2026-09-21', '11:00'));
    const from = c.events.length;
    act(c, { action: 'decide', outcome: 'upheld', downstreamSystems: ['信用中国', '信用黑龙江', '信用中国'] }, sh('2026-09-22'));
    expect(eventsSince(c, from)).toEqual([
      {
        type: 'decision.upheld',
        reason: undefined,
        data: {
          effects: ['correct the record', 'send the correction to every system that received the information', 'notify the applicant'],
          listingCaseId: null,
          downstreamSystems: ['信用中国', '信用黑龙江', '信用中国'],
          departments: [],
        },
      },
    ]);
    expect(c.data.corrections).toEqual([
      { name: '信用中国', sentAt: sh('2026-09-22'), receivedAt: null, confirmedAt: null },
      { name: '信用黑龙江', sentAt: sh('2026-09-22'), receivedAt: null, confirmedAt: null },
    ]);
    expect(c.outgoing ?? []).toEqual([]);
    expect(c.deadlines.map((d) => [d.key, d.status])).toEqual([
      ['mark-disputed', 'met'],
      ['decision', 'met'],
    ]);
  });

  it("a decision leaves an assisting unit's running reply clock alone (its breach counts against it whatever the decision)", () => {
    const c = act(standard(), { action: 'mark-disputed' }, sh('2026-09-21', '11:00'));
    act(c, { action: 'request-assistance', units: [{ unitId: 'tax' }] }, sh('2026-09-21', '12:00'));
    act(c, { action: 'record-notice-receipt', unitId: 'tax' }, sh('2026-09-21', '13:00'));
    act(c, { action: 'decide', outcome: 'rejected', reasons: '认定事实清楚' }, sh('2026-09-22'));
    expect(c.deadlines.map((d) => [d.key, d.status])).toEqual([
      ['mark-disputed', 'met'],
      ['decision', 'met'],
      ['assistance-reply:tax', 'running'],
    ]);
  });

  it.each([
    ['Art. 35', onList, LISTING],
    ['Art. 39', () => act(standard(), { action: 'mark-disputed' }, sh('2026-09-21', '11:00')), null],
  ])('%s rejected: the event with the reasons, nothing sent, closed', (_name, make, listingCaseId) => {
    const c = make();
    const from = c.events.length;
    act(c, { action: 'decide', outcome: 'rejected', reasons: '认定事实清楚' }, sh('2026-09-22'));
    expect(eventsSince(c, from)[0]).toEqual({ type: 'decision.rejected', reason: '认定事实清楚', data: { effects: ['notify the applicant with reasons'], listingCaseId, downstreamSystems: [], departments: [] } });
    expect(c.data.decision).toEqual({ outcome: 'rejected', reasons: '认定事实清楚', at: sh('2026-09-22') });
    expect([c.state, c.outcome, c.outgoing ?? []]).toEqual(['closed', 'rejected', []]);
  });

  it.each([
    ['Art. 39 before marking', standard, { outcome: 'upheld' }, { rule: 'objection-review/mark-before-decision', message: 'mark the record as disputed first' }],
    ['a rejection without reasons', onList, { outcome: 'rejected' }, { rule: 'objection-review/rejection-needs-reasons', message: 'a rejection must state its reasons' }],
    ['Art. 35 with downstream systems', onList, { outcome: 'upheld', downstreamSystems: ['x'] }, { rule: 'objection-review/correction-needs-upheld', message: 'an Art. 35 decision ends punitive measures (departments), not a record correction' }],
    ['Art. 35 upheld', onList, { outcome: 'upheld' }, null],
  ])('refused (the version 2 rules): %s', (_name, make, body, expected) => {
    expect(why(make(), { action: 'decide', ...body }, sh('2026-09-22'))).toEqual(expected);
  });

  it('after an Art. 35 decision, the departments confirm the end of their measures, then the applicant is told: closed as upheld', () => {
    const c = act(onList(), { action: 'decide', outcome: 'upheld', reasons: '依据已撤销', departments: ['发改委'] }, sh('2026-09-22'));
    act(c, { action: 'confirm-measure-ended', department: '发改委' }, sh('2026-09-23'));
    expect(c.data.measures).toEqual([{ name: '发改委', sentAt: sh('2026-09-22'), receivedAt: sh('2026-09-23'), confirmedAt: sh('2026-09-23') }]);
    expect(c.state).toBe('correcting');
    act(c, { action: 'notify-applicant', evidenceRef: 'SVC-1' }, sh('2026-09-24'));
    expect([c.state, c.outcome]).toEqual(['closed', 'upheld']);
  });
});
