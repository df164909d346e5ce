/**
 * Credit repair version 1 (procedures/credit-repair/v1.ts, Art. 40 and Art. 45, Harbin measure No. 32) on the kernel's
 * pure functions (no Temporal, no database). Cases filed under version 1 still run under it: one row per rule branch.
 *
 * Calendar facts used (prisma/calendar/cn-2004-2026.json): 2026-09-21 is a Monday; 2026-09-25 Fri to 09-27 Sun 中秋节
 * holidays; 2026-10-01..07 国庆节 holidays; 2026-10-08 Thu working. The periods are local-policy promises (Art. 40
 * delegates the timetable): 2 working days to accept, 5 working days to decide.
 */
import { versions } from '../../procedures/credit-repair';
import { creditRepairV1 as def, REPAIR_EFFECTS, REPAIR_POLICY } from '../../procedures/credit-repair/v1';
import { refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { KernelCase } from '../../src/domain/kernel/ops';
import { act, due, english, file, parse, refusalOf, sh, statusOf } from './kernel-harness';

const LISTING = '7b0c1c3e-8a4f-4c7e-9d42-1f3a5b6c7d8e';
const RECEIVED = sh('2026-09-21');
const ACCEPTED = sh('2026-09-23');
const DECIDED = sh('2026-09-29');
const refusal = (c: KernelCase<unknown>, body: Record<string, unknown>, now: string) => english(refusalForAction(def, c, parse(def, body), now));
const basisOf = (id: string) => Object.values(def.rules).find((r) => r.id === id)!.basis;
const eventsOf = (c: KernelCase<unknown>) => c.events.filter((e) => e.type !== 'case.filed').map((e) => [e.type, e.data]);

function accepted(filing: object = { listingCaseId: LISTING }) {
  const c = file(def, filing, 'standard', RECEIVED);
  act(def, c, { action: 'accept' }, ACCEPTED);
  return c;
}

describe('credit repair v1 is still published (cases in flight keep it)', () => {
  it('is the older of the two versions', () => {
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[1]).toBe(def);
  });
});

describe('filing', () => {
  it('starts the acceptance promise (2 working days from the application, its day not counted)', () => {
    const c = file(def, { listingCaseId: LISTING, reasonCode: 'pandemic-measure-32' }, 'standard', RECEIVED);
    expect(c.state).toBe('applied');
    expect(c.deadlines).toHaveLength(1);
    // Received Mon 21 Sep: Tue 22 (1), Wed 23 (2).
    expect(c.deadlines[0]).toMatchObject({
      key: 'acceptance',
      kind: 'promised',
      startAt: RECEIVED,
      startEvent: 'repair application received',
      dueDate: '2026-09-23',
      status: 'running',
      basis: `${def.clocks.acceptance.basis} — local policy: ${REPAIR_POLICY}`,
    });
    expect(c.data).toEqual({ reasonCode: 'pandemic-measure-32', listingCaseId: LISTING, accepted: null, notAccepted: null, decision: null });
  });

  it('without a reason code the repair is for corrected conduct, and no listing is named', () => {
    const c = file(def, {}, 'standard', RECEIVED);
    expect(c.data).toEqual({ reasonCode: 'conduct-corrected', listingCaseId: null, accepted: null, notAccepted: null, decision: null });
  });

  it.each([
    [{ reasonCode: 'conduct-corrected' }, true],
    [{ reasonCode: 'pandemic-measure-32' }, true],
    [{ reasonCode: 'other' }, false],
    [{ listingCaseId: LISTING }, true],
    [{ listingCaseId: 'not-a-uuid' }, false],
    [{ unknown: 1 }, false],
  ])('the filing schema: %j -> %p', (filing, ok) => {
    expect(def.filing.safeParse(filing).success).toBe(ok);
  });
});

describe('refusals: one row per rule branch', () => {
  it.each([
    ['accept once accepted', { action: 'accept' }, 'credit-repair/already-accepted', 'the application was already accepted on 2026-09-23 10:00 (Beijing time)'],
    ['refuse to accept once accepted', { action: 'refuse-acceptance', reasons: 'r' }, 'credit-repair/already-accepted', 'the application was already accepted on 2026-09-23 10:00 (Beijing time)'],
    ['reject without reasons', { action: 'decide', outcome: 'rejected' }, 'credit-repair/rejection-needs-reasons', 'a rejected repair must state its reasons'],
    ['reject naming authorities', { action: 'decide', outcome: 'rejected', reasons: 'r', authorities: ['税务局'] }, 'credit-repair/authorities-on-approval', 'restrictions end only on an approved repair'],
  ])('after acceptance: %s', (_name, body, rule, message) => {
    const c = accepted();
    expect(refusal(c, body, sh('2026-09-24'))).toEqual({ rule, basis: basisOf(rule), message });
  });

  it.each([
    ['approve without reasons', { action: 'decide', outcome: 'approved' }],
    ['approve naming authorities', { action: 'decide', outcome: 'approved', authorities: ['税务局'] }],
    ['reject with reasons', { action: 'decide', outcome: 'rejected', reasons: 'conduct not corrected' }],
  ])('after acceptance, accepted: %s', (_name, body) => {
    expect(refusal(accepted(), body, sh('2026-09-24'))).toBeNull();
  });

  it('deciding before acceptance is refused by the rule (the rule speaks before the state graph)', () => {
    const c = file(def, {}, 'standard', RECEIVED);
    expect(refusal(c, { action: 'decide', outcome: 'approved' }, sh('2026-09-22'))).toEqual({
      rule: 'credit-repair/decide-before-accept',
      basis: basisOf('credit-repair/decide-before-accept'),
      message: 'the application has not been accepted yet',
    });
  });

  it.each([
    ['accept', { action: 'accept' }],
    ['refuse-acceptance', { action: 'refuse-acceptance', reasons: 'r' }],
  ])('before acceptance, %s is allowed', (_name, body) => {
    expect(refusalOf(def, file(def, {}, 'standard', RECEIVED), body, sh('2026-09-22'))).toBeNull();
  });

  it('the action inputs: a refusal to accept needs reasons, a decision its outcome', () => {
    expect(() => parse(def, { action: 'refuse-acceptance' })).toThrow(/reasons/);
    expect(() => parse(def, { action: 'decide' })).toThrow(/outcome/);
    expect(() => parse(def, { action: 'decide', outcome: 'maybe' })).toThrow(/outcome/);
    expect(() => parse(def, { action: 'accept', extra: true })).toThrow(/extra/);
    expect(parse(def, { action: 'decide', outcome: 'approved', reasons: 'r', authorities: ['a', 'b'] }).input).toEqual({ outcome: 'approved', reasons: 'r', authorities: ['a', 'b'] });
  });
});

describe('acceptance', () => {
  it('accepting meets the acceptance promise and starts the decision promise (5 working days)', () => {
    const c = accepted({ reasonCode: 'pandemic-measure-32' });
    expect(c.state).toBe('accepted');
    expect(c.data.accepted).toEqual({ at: ACCEPTED });
    expect(statusOf(c, 'acceptance')).toBe('met');
    // Accepted Wed 23 Sep: Thu 24 (1); 25–27 中秋; Mon 28 (2), Tue 29 (3), Wed 30 (4); 1–7 Oct 国庆; Thu 8 Oct (5).
    expect(c.deadlines.find((d) => d.key === 'decision')).toMatchObject({ kind: 'promised', startAt: ACCEPTED, startEvent: 'application accepted', dueDate: '2026-10-08', status: 'running' });
    expect(eventsOf(c)).toEqual([['repair.accepted', { reasonCode: 'pandemic-measure-32' }]]);
  });

  it('a refusal to accept states its reasons and closes the case', () => {
    const c = file(def, {}, 'standard', RECEIVED);
    act(def, c, { action: 'refuse-acceptance', reasons: 'no corrected conduct shown' }, ACCEPTED);
    expect(c).toMatchObject({ state: 'closed', outcome: 'not-accepted', closedAt: ACCEPTED });
    expect(c.data.notAccepted).toEqual({ at: ACCEPTED, reasons: 'no corrected conduct shown' });
    expect(c.data.accepted).toBeNull();
    expect(statusOf(c, 'acceptance')).toBe('met');
    expect(due(c, 'decision')).toBeNull();
    expect(eventsOf(c)).toEqual([['repair.not-accepted', { reasons: 'no corrected conduct shown' }]]);
  });
});

describe('the decision', () => {
  it('rejected: states its reasons, writes no credit effect, closes as rejected', () => {
    const c = accepted();
    act(def, c, { action: 'decide', outcome: 'rejected', reasons: 'conduct not corrected' }, DECIDED);
    expect(c).toMatchObject({ state: 'closed', outcome: 'rejected', closedAt: DECIDED });
    expect(c.data.decision).toEqual({ at: DECIDED, outcome: 'rejected', reasons: 'conduct not corrected', authorities: [] });
    expect(statusOf(c, 'decision')).toBe('met');
    expect(c.creditEffects).toEqual([]);
    expect(eventsOf(c).slice(1)).toEqual([['repair.rejected', { reasons: 'conduct not corrected' }]]);
  });

  it('approved for a named listing: the repair is written against it, every effect of Art. 45 is stated, each authority ends its restriction', () => {
    const c = accepted({ listingCaseId: LISTING, reasonCode: 'pandemic-measure-32' });
    act(def, c, { action: 'decide', outcome: 'approved', reasons: 'fine paid', authorities: ['税务局', '市场监督管理局'] }, DECIDED);
    expect(c).toMatchObject({ state: 'closed', outcome: 'approved', closedAt: DECIDED });
    expect(c.data.decision).toEqual({ at: DECIDED, outcome: 'approved', reasons: 'fine paid', authorities: ['税务局', '市场监督管理局'] });
    expect(statusOf(c, 'decision')).toBe('met');
    expect(c.creditEffects).toEqual([{ seq: 1, kind: 'repaired', at: DECIDED, until: null, data: { listingCaseId: LISTING, reasonCode: 'pandemic-measure-32' } }]);
    expect(eventsOf(c).slice(1)).toEqual([
      ['repair.approved', { reasonCode: 'pandemic-measure-32', listingCaseId: LISTING, reasons: 'fine paid', effects: [...REPAIR_EFFECTS], authorities: ['税务局', '市场监督管理局'] }],
      ['restriction.ended', { authority: '税务局', listingCaseId: LISTING }],
      ['restriction.ended', { authority: '市场监督管理局', listingCaseId: LISTING }],
    ]);
  });

  it('approved with no listing named and no reasons or authorities: the repair is written as unnamed (version 1)', () => {
    const c = accepted({});
    act(def, c, { action: 'decide', outcome: 'approved' }, DECIDED);
    expect(c.data.decision).toEqual({ at: DECIDED, outcome: 'approved', reasons: null, authorities: [] });
    expect(c.creditEffects).toEqual([{ seq: 1, kind: 'repaired', at: DECIDED, until: null, data: { unnamed: 'credit-repair-v1', reasonCode: 'conduct-corrected' } }]);
    expect(eventsOf(c).slice(1)).toEqual([
      ['repair.approved', { reasonCode: 'conduct-corrected', listingCaseId: null, reasons: null, effects: [...REPAIR_EFFECTS], authorities: [] }],
    ]);
  });

  it('after the decision the case is closed', () => {
    const c = accepted();
    act(def, c, { action: 'decide', outcome: 'approved' }, DECIDED);
    expect(refusalOf(def, c, { action: 'decide', outcome: 'approved' }, sh('2026-09-30'))).toBe('case-closed');
  });
});
