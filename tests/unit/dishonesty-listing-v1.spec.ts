/**
 * Serious-dishonesty listing version 1 (Heilongjiang Social Credit Regulation 2022, Art. 28; Art. 35) on the kernel's
 * pure functions, no Temporal, no database: one row per rule branch. Cases filed under it keep it (version 2 files the
 * new ones); the end of a listing by an upheld objection or an approved repair reaches them too.
 *
 * Calendar facts used (prisma/calendar/cn-2004-2026.json): 2026-09-21 Mon working; 10-01..07 国庆节 holidays; 10-21
 * Wed and 12-21 Mon working; 11-21 Sat a rest day. 2027 has no holiday notice loaded: its dates are provisional.
 * A due date D ends at 24:00 Asia/Shanghai = D T16:00:00.000Z.
 */
import { versions } from '../../procedures/dishonesty-listing';
import { DEFAULT_REMEDIES, dishonestyListingV1 as def, type ListingData } from '../../procedures/dishonesty-listing/v1';
import { applyIncomingEffect, processDue, refusalForAction } from '../../src/domain/kernel/case-kernel';
import { Ops, reader } from '../../src/domain/kernel/case-ops';
import type { IncomingEffect, KernelCase, KernelDeadline } from '../../src/domain/kernel/ops';
import * as harness from './kernel-harness';

const { calendar, sh } = harness;
type Case = KernelCase<ListingData>;

const endOf = (date: string) => `${date}T16:00:00.000Z`;
const CONDUCT = '拒不履行生效判决确定的给付义务,情节严重';
const DECISION = { reasons: '经法院认定为失信被执行人且拒不履行', basis: '《黑龙江省社会信用条例》第二十八条' };

const file = (filing: Record<string, unknown> = { conduct: CONDUCT }): Case => harness.file(def, filing);
const act = (c: Case, body: Record<string, unknown>, now: string): Case => harness.act(def, c, body, now);
const why = (c: Case, body: Record<string, unknown>, now: string) => {
  const r = harness.english(refusalForAction(def, c, harness.parse(def, body), now));
  return r && { rule: r.rule, message: r.message };
};
const deadline = (c: Case) => c.deadlines.find((d) => d.key === 'listing-period')!;
const eventsSince = (c: Case, from: number) => c.events.slice(from).map((e) => [e.type, e.data]);
/** Listed on Mon 2026-09-21 10:00 for one month (to Wed 10-21). */
const listed = () => act(file(), { action: 'decide', period: { months: 1 }, ...DECISION }, sh('2026-09-21'));
const LISTED_CREDIT = { seq: 1, kind: 'listed', at: sh('2026-09-21'), until: endOf('2026-10-21'), data: { ...DECISION, period: { months: 1 } } };
const incoming = (ground: 'objection-upheld' | 'repair'): IncomingEffect => ({
  id: 'o-7:1',
  effect: { kind: 'end-listing', listingCaseId: 'cc-listing', ground, reasons: '异议成立:原判决已履行完毕' },
  fromCaseId: 'o-7',
  fromProcedure: ground === 'repair' ? 'credit-repair' : 'objection-review',
  at: sh('2026-09-30'),
});

/**
 * The definition loaded afresh, for the tests of its schemas. The schemas are built lazily, once per module registry,
 * by the first test that reads them (in the shared registry, citations.spec, which checks no bounds): mutation testing
 * counts their code as run by that test alone. Loaded in a beforeAll, the module's own load stays outside every test
 * (its object literals remain static mutants), and each schema is built inside the one test that checks all of it.
 */
function fresh(): typeof def {
  let mod: { dishonestyListingV1: typeof def } | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module registry, for the lazy schemas
    mod = require('../../procedures/dishonesty-listing/v1');
  });
  return mod!.dishonestyListingV1;
}

describe('version 1 as published', () => {
  it('is the version 1 of the index; no clock runs at filing (Art. 28 sets no period for the decision)', () => {
    expect(versions.find((v) => v.version === 1)).toBe(def);
    const c = file();
    expect([c.state, c.deadlines, c.creditEffects]).toEqual(['under-review', [], []]);
    expect(c.data).toEqual({ conduct: CONDUCT, decision: null, notListed: null, removal: null });
    expect(file({}).data.conduct).toBeNull();
  });
});

describe('filing and action schemas (each built and checked whole in one test)', () => {
  let f: typeof def;
  beforeAll(() => {
    f = fresh();
  });

  it('the filing takes the conduct only, optional', () => {
    expect(f.filing.parse({ conduct: CONDUCT })).toEqual({ conduct: CONDUCT });
    expect(f.filing.parse({})).toEqual({});
    expect(f.filing.safeParse({ conduct: CONDUCT, period: { years: 1 } }).success).toBe(false);
  });

  it('decide: a listing period of 1-5 years or 1-60 months, reasons and basis required, conditions and remedies optional', () => {
    const schema = f.actions.decide.schema;
    const full = { period: { years: 2 }, ...DECISION, removalConditions: 'c', remedies: 'r' };
    expect(schema.parse(full)).toEqual(full);
    expect(schema.parse({ period: { months: 6 }, ...DECISION })).toEqual({ period: { months: 6 }, ...DECISION });
    expect(schema.safeParse({ period: { years: 2 }, reasons: 'r' }).success).toBe(false);
    const periods: [object, boolean][] = [
      [{ years: 1 }, true],
      [{ years: 5 }, true],
      [{ years: 6 }, false],
      [{ years: 0 }, false],
      [{ months: 1 }, true],
      [{ months: 60 }, true],
      [{ months: 61 }, false],
      [{ months: 0 }, false],
      [{ months: 1.5 }, false],
      [{ days: 30 }, false],
    ];
    expect(periods.map(([period]) => [period, schema.safeParse({ period, ...DECISION }).success])).toEqual(periods);
  });

  it('not-listed takes its reasons; remove its reasons and one of three grounds', () => {
    const { actions } = f;
    expect(actions['not-listed'].schema.parse({ reasons: '证据不足' })).toEqual({ reasons: '证据不足' });
    expect(actions['not-listed'].schema.safeParse({}).success).toBe(false);
    for (const ground of ['objection-upheld', 'repair', 'revoked']) expect(actions.remove.schema.parse({ reasons: 'r', ground })).toEqual({ reasons: 'r', ground });
    expect(actions.remove.schema.safeParse({ reasons: 'r', ground: 'period-ended' }).success).toBe(false);
    expect(actions.remove.schema.safeParse({ ground: 'repair' }).success).toBe(false);
  });
});

describe('decide (Art. 28: the written decision states the listing period)', () => {
  it.each([
    ['one month', { months: 1 }, '2026-10-21', false],
    // 21 Nov is a Saturday: version 1 moves the end of the listing to Mon 23 Nov (version 2 no longer does).
    ['two months, ending on a Saturday', { months: 2 }, '2026-11-23', false],
    ['three months', { months: 3 }, '2026-12-21', false],
    // No holiday notice for 2027 yet: 21 Sep 2027 is a Tuesday, provisionally.
    ['one year', { years: 1 }, '2027-09-21', true],
  ])('listed for %s: an expiry clock from the decision', (_name, period, dueDate, provisional) => {
    const c = act(file(), { action: 'decide', period, ...DECISION }, sh('2026-09-21'));
    expect(c.state).toBe('listed');
    expect(c.deadlines).toHaveLength(1);
    expect(deadline(c)).toMatchObject({
      clock: 'listing-period',
      kind: 'expiry',
      owner: 'unit-credit-office',
      period,
      startAt: sh('2026-09-21'),
      startEvent: 'listing decision',
      dueDate,
      dueAt: endOf(dueDate),
      provisional,
      status: 'running',
    });
    expect(c.data.decision).toEqual({ at: sh('2026-09-21'), period, until: endOf(dueDate), ...DECISION, removalConditions: null, remedies: DEFAULT_REMEDIES });
    expect(c.creditEffects).toEqual([{ seq: 1, kind: 'listed', at: sh('2026-09-21'), until: endOf(dueDate), data: { ...DECISION, period } }]);
    expect(eventsSince(c, 1)).toEqual([
      ['listing.decided', { written: true, period, until: endOf(dueDate), lastDay: dueDate, ...DECISION, removalConditions: null, remedies: DEFAULT_REMEDIES }],
    ]);
  });

  it('the removal conditions and remedies the unit words itself are kept', () => {
    const own = { removalConditions: '履行判决义务并完成信用修复', remedies: '可于六十日内申请行政复议' };
    const c = act(file(), { action: 'decide', period: { months: 1 }, ...DECISION, ...own }, sh('2026-09-21'));
    expect(c.data.decision).toEqual({ at: sh('2026-09-21'), period: { months: 1 }, until: endOf('2026-10-21'), ...DECISION, ...own });
    expect(c.events.at(-1)!.data).toMatchObject(own);
  });

  it('the default remedies name the Art. 35 objection, reconsideration and litigation', () => {
    expect(DEFAULT_REMEDIES).toBe(
      'The subject may object to the listing unit under Heilongjiang Social Credit Regulation (黑龙江省社会信用条例, 2022) Art. 35 (异议), or apply for administrative reconsideration (行政复议) or bring an administrative lawsuit (行政诉讼) according to law.',
    );
  });

  it.each([
    ['a case not yet decided', () => file(), null],
    ['a case that listed the subject', listed, { rule: 'dishonesty-listing/already-decided', message: 'the listing unit has already decided this case' }],
  ])('decide on %s', (_name, make, expected) => {
    expect(why(make(), { action: 'decide', period: { years: 1 }, ...DECISION }, sh('2026-09-22'))).toEqual(expected);
  });

  it('a decision not to list closes the case: the kernel refuses any further step, and the rule would too', () => {
    const c = act(file(), { action: 'not-listed', reasons: '证据不足' }, sh('2026-09-21'));
    expect(why(c, { action: 'decide', period: { years: 1 }, ...DECISION }, sh('2026-09-22'))!.rule).toBe('case-closed');
    expect(harness.english(def.actions.decide.refuse!(reader(c, sh('2026-09-22'), sh('2026-09-22')), { period: { years: 1 }, ...DECISION } as never))).toEqual({ rule: 'alreadyDecided', message: 'the listing unit has already decided this case' });
  });
});

describe('not-listed (Art. 28)', () => {
  it('closes the case with its reasons; nothing on the credit record', () => {
    const c = act(file(), { action: 'not-listed', reasons: '证据不足' }, sh('2026-09-21'));
    expect([c.state, c.outcome, c.closedAt]).toEqual(['closed', 'not-listed', sh('2026-09-21')]);
    expect(c.data).toEqual({ conduct: CONDUCT, decision: null, notListed: { at: sh('2026-09-21'), reasons: '证据不足' }, removal: null });
    expect(eventsSince(c, 1)).toEqual([['listing.not-listed', { reasons: '证据不足' }]]);
    expect([c.deadlines, c.creditEffects]).toEqual([[], []]);
  });

  it.each([
    ['a case not yet decided', () => file(), null],
    ['a case that listed the subject', listed, { rule: 'dishonesty-listing/already-decided', message: 'the subject is already listed by this case' }],
  ])('not-listed on %s', (_name, make, expected) => {
    expect(why(make(), { action: 'not-listed', reasons: 'x' }, sh('2026-09-22'))).toEqual(expected);
  });
});

describe('remove (Art. 28 removal conditions; Art. 35; Arts. 40, 45)', () => {
  it.each(['objection-upheld', 'repair', 'revoked'] as const)('ground %s: the clock stops, the end goes on the credit record, the case closes as removed', (ground) => {
    const c = listed();
    act(c, { action: 'remove', reasons: '已履行判决义务', ground }, sh('2026-09-30'));
    expect([c.state, c.outcome, c.closedAt]).toEqual(['closed', 'removed', sh('2026-09-30')]);
    expect(deadline(c).status).toBe('cancelled');
    expect(c.data.removal).toEqual({ at: sh('2026-09-30'), reasons: '已履行判决义务', ground });
    expect(c.creditEffects).toEqual([LISTED_CREDIT, { seq: 2, kind: 'listing-ended', at: sh('2026-09-30'), until: null, data: { listingCaseId: c.caseId, reason: ground, reasons: '已履行判决义务' } }]);
    expect(eventsSince(c, 2)).toEqual([['listing.removed', { ground, reasons: '已履行判决义务', plannedUntil: endOf('2026-10-21') }]]);
  });

  it.each([
    ['a case not yet decided', () => file(), { rule: 'dishonesty-listing/not-listed', message: 'the subject is not listed by this case' }],
    ['a listed subject', listed, null],
  ])('remove on %s', (_name, make, expected) => {
    expect(why(make(), { action: 'remove', reasons: 'x', ground: 'revoked' }, sh('2026-09-22'))).toEqual(expected);
  });
});

describe('the end of the listing period (Art. 28)', () => {
  it('nothing happens before the last day has ended', () => {
    const c = listed();
    processDue(def, calendar, c, '2026-10-21T15:59:59.999Z');
    expect([c.state, deadline(c).status, c.creditEffects.length]).toEqual(['listed', 'running', 1]);
  });

  it('at the end of the last day (Wed 10-21) the listing ends by itself: credit record, event, case closed', () => {
    const c = listed();
    processDue(def, calendar, c, endOf('2026-10-21'));
    expect([c.state, c.outcome, c.closedAt]).toEqual(['closed', 'period-ended', endOf('2026-10-21')]);
    expect(deadline(c).status).toBe('expired');
    expect(c.creditEffects).toEqual([LISTED_CREDIT, { seq: 2, kind: 'listing-ended', at: endOf('2026-10-21'), until: null, data: { listingCaseId: c.caseId, reason: 'period ended' } }]);
    expect(c.events.slice(2).map((e) => [e.type, e.actor, e.data])).toEqual([
      ['deadline.expired', 'system', { deadlineKey: 'listing-period', dueAt: endOf('2026-10-21'), level: 'expired', owner: 'unit-credit-office' }],
      ['listing.ended', 'system', { reason: 'period ended', period: { months: 1 } }],
    ]);
  });

  it('processed late (the worker was down), the end is dated at the end of the period and recorded when processed', () => {
    const c = listed();
    processDue(def, calendar, c, sh('2026-10-23'));
    expect(c.closedAt).toBe(endOf('2026-10-21'));
    expect(c.events.at(-1)).toMatchObject({ type: 'listing.ended', at: endOf('2026-10-21'), recordedAt: sh('2026-10-23'), data: { reason: 'period ended', period: { months: 1 }, recordedAt: sh('2026-10-23') } });
  });
});

describe('an upheld objection or an approved repair ends the listing in this case (end-listing)', () => {
  it.each([
    ['objection-upheld', 'removed', 'objection-review'],
    ['repair', 'repaired', 'credit-repair'],
  ] as const)('%s: the clock stops, the removal names the case that ended it, the case closes as %s', (ground, outcome, fromProcedure) => {
    const c = listed();
    expect(applyIncomingEffect(def, calendar, c, incoming(ground), sh('2026-09-30'))).toBe(true);
    expect([c.state, c.outcome, c.closedAt]).toEqual(['closed', outcome, sh('2026-09-30')]);
    expect(deadline(c).status).toBe('cancelled');
    expect(c.data.removal).toEqual({ at: sh('2026-09-30'), reasons: '异议成立:原判决已履行完毕', ground, byCaseId: 'o-7' });
    expect(c.creditEffects).toEqual([
      LISTED_CREDIT,
      { seq: 2, kind: 'listing-ended', at: sh('2026-09-30'), until: null, data: { listingCaseId: c.caseId, reason: ground, byCaseId: 'o-7', reasons: '异议成立:原判决已履行完毕' } },
    ]);
    expect(c.events.slice(2).map((e) => [e.type, e.actor, e.data])).toEqual([
      ['listing.removed', 'system', { ground, reasons: '异议成立:原判决已履行完毕', byCaseId: 'o-7', byProcedure: fromProcedure, plannedUntil: endOf('2026-10-21') }],
    ]);
  });

  it('a case that listed nobody records the effect as not applied and stays under review', () => {
    const c = file();
    expect(applyIncomingEffect(def, calendar, c, incoming('repair'), sh('2026-09-30'))).toBe(false);
    expect(c.state).toBe('under-review');
    expect(c.data.removal).toBeNull();
    expect(c.events.at(-1)).toMatchObject({ type: 'effect.not-applied', data: { why: 'the subject is not listed by this case', fromCaseId: 'o-7' } });
  });
});

describe('a removal stops the listing period itself', () => {
  // Closing the case would cancel an expiry clock too (the kernel's close cancels every clock that cannot be breached);
  // the removal does not rely on it: it stops exactly its own listing-period clock, before anything else.
  const other = { clock: 'assistance-reply', kind: 'expiry' } as KernelDeadline;
  it.each([
    ['remove', (c: Case) => act(c, { action: 'remove', reasons: '已履行', ground: 'revoked' }, sh('2026-09-30'))],
    ['end-listing', (c: Case) => applyIncomingEffect(def, calendar, c, incoming('repair'), sh('2026-09-30'))],
  ])('%s cancels the listing-period clock and only it, then closes', (_name, end) => {
    const c = listed();
    const cancel = jest.spyOn(Ops.prototype, 'cancel');
    try {
      end(c);
      const [own, byClose] = cancel.mock.calls.map(([which]) => which);
      expect(cancel).toHaveBeenCalledTimes(2);
      expect([own(deadline(c)), own(other)]).toEqual([true, false]);
      expect(byClose(other)).toBe(true);
    } finally {
      cancel.mockRestore();
    }
    expect(deadline(c).status).toBe('cancelled');
  });
});
