/**
 * Serious-dishonesty listing version 2 (Heilongjiang Social Credit Regulation 2022, Art. 28 ¶2; Art. 35 ¶2) on the
 * kernel's pure functions, no Temporal, no database: the written decision with its five statements, the period basis,
 * telling the subject, and the subject's statements and defence. One row per rule branch.
 *
 * Calendar facts used (prisma/calendar/cn-2004-2026.json): 2026-09-21 Mon working; 10-21 Wed working; 11-21 Sat a rest
 * day (version 2 does not move the end of a listing past it). A due date D ends at 24:00 Asia/Shanghai = D T16:00:00.000Z.
 */
import { versions } from '../../procedures/dishonesty-listing';
import { DEFAULT_REMEDIES_ZH, dishonestyListingV2 as def, type ListingDataV2 } from '../../procedures/dishonesty-listing/v2';
import { refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { KernelCase } from '../../src/domain/kernel/ops';
import * as harness from './kernel-harness';

const { sh } = harness;
type Case = KernelCase<ListingDataV2>;

const endOf = (date: string) => `${date}T16:00:00.000Z`;
const CONDUCT = '拒不履行生效判决确定的给付义务,情节严重';
const DECISION = { reasons: '经法院认定为失信被执行人且拒不履行', basis: '《黑龙江省社会信用条例》第二十八条', removalConditions: '履行判决确定的义务' };

const file = (filing: Record<string, unknown> = { conduct: CONDUCT }): Case => harness.file(def, filing);
const act = (c: Case, body: Record<string, unknown>, now: string): Case => harness.act(def, c, body, now);
const why = (c: Case, body: Record<string, unknown>, now: string) => {
  const r = harness.english(refusalForAction(def, c, harness.parse(def, body), now));
  return r && { rule: r.rule, message: r.message };
};
const eventsSince = (c: Case, from: number) => c.events.slice(from).map((e) => [e.type, e.data]);
const eventSince = (c: Case, from: number) => c.events.slice(from).map((e) => ({ type: e.type, reason: e.reason, evidenceRef: e.evidenceRef, data: e.data }));
/** Listed on Mon 2026-09-21 10:00 for one month (to Wed 10-21). */
const listed = () => act(file(), { action: 'decide', period: { months: 1 }, ...DECISION }, sh('2026-09-21'));

describe('version 2 as published', () => {
  it('is the version 2 of the index; filing opens no clock and starts the new fields empty', () => {
    expect(versions.find((v) => v.version === 2)).toBe(def);
    const c = file();
    expect([c.state, c.deadlines, c.creditEffects]).toEqual(['under-review', [], []]);
    expect(c.data).toEqual({ conduct: CONDUCT, decision: null, notListed: null, removal: null, periodBasis: null, subjectNotified: null, statements: [] });
    expect(file({}).data.conduct).toBeNull();
  });
});

describe('action schemas', () => {
  it('decide: a period of 1-100 years or 1-1200 months, whole numbers, one unit only', () => {
    const schema = def.actions.decide.schema;
    const periods: [object, boolean][] = [
      [{ years: 1 }, true],
      [{ years: 100 }, true],
      [{ years: 101 }, false],
      [{ years: 0 }, false],
      [{ years: 1.5 }, false],
      [{ months: 1 }, true],
      [{ months: 1200 }, true],
      [{ months: 1201 }, false],
      [{ months: 0 }, false],
      [{ months: 2.5 }, false],
      [{ years: 1, months: 1 }, false],
      [{ years: 1, days: 1 }, false],
      [{ months: 1, days: 1 }, false],
      [{ days: 30 }, false],
    ];
    expect(periods.map(([period]) => [period, schema.safeParse({ period, ...DECISION }).success])).toEqual(periods);
  });

  it('decide: reasons, basis and removal conditions required; period basis and remedies optional; nothing else', () => {
    const schema = def.actions.decide.schema;
    const full = { period: { years: 2 }, periodBasis: '国家失信惩戒措施清单', ...DECISION, remedies: '可申请复议' };
    expect(schema.parse(full)).toEqual(full);
    expect(schema.parse({ period: { months: 6 }, ...DECISION })).toEqual({ period: { months: 6 }, ...DECISION });
    for (const field of ['reasons', 'basis', 'removalConditions', 'period'] as const) {
      const { [field]: _omitted, ...rest } = { period: { months: 6 }, ...DECISION };
      expect([field, schema.safeParse(rest).success]).toEqual([field, false]);
    }
    expect(schema.safeParse({ period: { months: 6 }, ...DECISION, extra: 1 }).success).toBe(false);
  });

  it('notify-subject: an optional channel of at most 100 characters, nothing else', () => {
    const schema = def.actions['notify-subject'].schema;
    expect(schema.parse({})).toEqual({});
    expect(schema.parse({ channel: '邮政EMS' })).toEqual({ channel: '邮政EMS' });
    expect(schema.safeParse({ channel: 'x'.repeat(100) }).success).toBe(true);
    expect(schema.safeParse({ channel: 'x'.repeat(101) }).success).toBe(false);
    expect(schema.safeParse({ channel: '' }).success).toBe(false);
    expect(schema.safeParse({ channel: 'EMS', at: 'x' }).success).toBe(false);
  });

  it('record-statement: a statement or a defence with its text, nothing else', () => {
    const schema = def.actions['record-statement'].schema;
    expect(schema.parse({ kind: 'statement', text: 't' })).toEqual({ kind: 'statement', text: 't' });
    expect(schema.parse({ kind: 'defence', text: 't' })).toEqual({ kind: 'defence', text: 't' });
    expect(schema.safeParse({ kind: 'objection', text: 't' }).success).toBe(false);
    expect(schema.safeParse({ kind: '', text: 't' }).success).toBe(false);
    expect(schema.safeParse({ kind: 'statement' }).success).toBe(false);
    expect(schema.safeParse({ kind: 'statement', text: 't', extra: 1 }).success).toBe(false);
  });
});

describe('decide (Art. 28 ¶2: the written decision)', () => {
  it.each([
    ['one month', { months: 1 }, '2026-10-21', false],
    // 21 Nov is a Saturday: version 2 keeps it (decision 0012).
    ['two months, ending on a Saturday', { months: 2 }, '2026-11-21', false],
    // No holiday notice for 2027 yet: provisional.
    ['one year', { years: 1 }, '2027-09-21', true],
  ])('listed for %s: expiry clock, decision, credit record and event', (_name, period, dueDate, provisional) => {
    const c = act(file(), { action: 'decide', period, ...DECISION }, sh('2026-09-21'));
    expect(c.state).toBe('listed');
    expect(c.deadlines).toHaveLength(1);
    expect(c.deadlines[0]).toMatchObject({
      key: 'listing-period',
      clock: 'listing-period',
      kind: 'expiry',
      period,
      startAt: sh('2026-09-21'),
      startEvent: 'listing decision',
      dueDate,
      dueAt: endOf(dueDate),
      provisional,
      status: 'running',
    });
    expect(c.data.decision).toEqual({ at: sh('2026-09-21'), period, until: endOf(dueDate), ...DECISION, remedies: DEFAULT_REMEDIES_ZH });
    // Without a period basis of its own, the decision's basis is taken to set the period.
    expect(c.data.periodBasis).toBe(DECISION.basis);
    expect(c.creditEffects).toEqual([
      { seq: 1, kind: 'listed', at: sh('2026-09-21'), until: endOf(dueDate), data: { reasons: DECISION.reasons, basis: DECISION.basis, period, periodBasis: DECISION.basis } },
    ]);
    expect(eventsSince(c, 1)).toEqual([
      ['listing.decided', { written: true, period, periodBasis: DECISION.basis, until: endOf(dueDate), lastDay: dueDate, ...DECISION, remedies: DEFAULT_REMEDIES_ZH }],
    ]);
  });

  it('the period basis and remedies the unit states itself are kept, on the decision, the record and the event', () => {
    const own = { periodBasis: '国家发展改革委失信惩戒措施基础清单', remedies: '可于六十日内申请行政复议' };
    const c = act(file(), { action: 'decide', period: { years: 3 }, ...DECISION, ...own }, sh('2026-09-21'));
    expect(c.data.periodBasis).toBe(own.periodBasis);
    expect(c.data.decision).toMatchObject({ remedies: own.remedies, removalConditions: DECISION.removalConditions });
    expect(c.creditEffects[0].data).toEqual({ reasons: DECISION.reasons, basis: DECISION.basis, period: { years: 3 }, periodBasis: own.periodBasis });
    expect(c.events.at(-1)!.data).toMatchObject({ written: true, periodBasis: own.periodBasis, remedies: own.remedies });
  });

  it('the default remedies are in Chinese and name the Art. 35 objection, reconsideration and litigation', () => {
    expect(DEFAULT_REMEDIES_ZH).toBe('信用主体对认定有异议的,可以依照《黑龙江省社会信用条例》第三十五条向认定单位提出异议申请,也可以依法申请行政复议或者提起行政诉讼。');
  });

  it.each([
    ['a case not yet decided', () => file(), null],
    ['a case that listed the subject', listed, { rule: 'dishonesty-listing/already-decided', message: 'the listing unit has already decided this case' }],
  ])('decide on %s', (_name, make, expected) => {
    expect(why(make(), { action: 'decide', period: { years: 1 }, ...DECISION }, sh('2026-09-22'))).toEqual(expected);
  });
});

describe('notify-subject (Art. 28 ¶2 告知)', () => {
  it('records when, the evidence and the channel; the event names the channel', () => {
    const c = listed();
    act(c, { action: 'notify-subject', channel: '邮政EMS', evidenceRef: 'EMS-1' }, sh('2026-09-22'));
    expect(c.data.subjectNotified).toEqual({ at: sh('2026-09-22'), evidenceRef: 'EMS-1', channel: '邮政EMS' });
    expect(eventSince(c, 2)).toEqual([{ type: 'listing.subject-notified', reason: undefined, evidenceRef: 'EMS-1', data: { channel: '邮政EMS' } }]);
    expect(c.state).toBe('listed');
  });

  it('without a channel, the channel is recorded as null', () => {
    const c = listed();
    act(c, { action: 'notify-subject', evidenceRef: 'EMS-1' }, sh('2026-09-22'));
    expect(c.data.subjectNotified).toEqual({ at: sh('2026-09-22'), evidenceRef: 'EMS-1', channel: null });
    expect(eventsSince(c, 2)).toEqual([['listing.subject-notified', { channel: null }]]);
  });

  it.each([
    ['without evidence', listed, {}, { rule: 'dishonesty-listing/evidence-required', message: 'attach the evidence of service of the decision (evidenceRef)' }],
    ['with evidence', listed, { evidenceRef: 'EMS-1' }, null],
    [
      'once told',
      () => act(listed(), { action: 'notify-subject', evidenceRef: 'EMS-1' }, sh('2026-09-22')),
      { evidenceRef: 'EMS-2' },
      { rule: 'dishonesty-listing/already-told', message: 'the subject was told at 2026-09-22 10:00 (Beijing time)' },
    ],
  ])('notify-subject %s', (_name, make, extra, expected) => {
    expect(why(make(), { action: 'notify-subject', ...extra }, sh('2026-09-23'))).toEqual(expected);
  });
});

describe('record-statement (Art. 35 ¶2 陈述权和申辩权)', () => {
  it.each(['statement', 'defence'] as const)('a %s is kept with its time and text; the event carries the text as its reason', (kind) => {
    const c = file();
    act(c, { action: 'record-statement', kind, text: '对认定事实有异议' }, sh('2026-09-21'));
    expect(c.data.statements).toEqual([{ at: sh('2026-09-21'), kind, text: '对认定事实有异议' }]);
    expect(eventSince(c, 1)).toEqual([{ type: `subject.${kind}`, reason: '对认定事实有异议', evidenceRef: undefined, data: { kind } }]);
    expect(c.state).toBe('under-review');
  });

  it('statements accumulate, after the listing too', () => {
    const c = listed();
    act(c, { action: 'record-statement', kind: 'statement', text: '一' }, sh('2026-09-22'));
    act(c, { action: 'record-statement', kind: 'defence', text: '二' }, sh('2026-09-23'));
    expect(c.data.statements).toEqual([
      { at: sh('2026-09-22'), kind: 'statement', text: '一' },
      { at: sh('2026-09-23'), kind: 'defence', text: '二' },
    ]);
  });
});
