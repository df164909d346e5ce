/**
 * The case kernel for supervision, on its pure functions: the authenticated actor, when events were recorded, a
 * step recorded after its deadline, extensions asked by the caseworker and decided by a supervisor
 * (docs/time-rules.md#extension; commitment verification v2, Social Credit Regulation Art. 30 ¶3), parties (assisting units), and the calendar
 * recompute event.
 *
 * Calendar facts (prisma/calendar/cn-2004-2026.json): December 2026 has no holidays; 10 working days from Wed
 * 2026-12-02 end on Wed 12-16, and 5 more on Wed 12-23. For objection review see objection-review-v2.spec.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { definitionForReceipt } from '../../procedures';
import { type CommitmentData, commitmentVerificationV1 as v1 } from '../../procedures/commitment-verification/v1';
import { commitmentVerificationV2 as v2 } from '../../procedures/commitment-verification/v2';
import { informationCorrectionV1 } from '../../procedures/information-correction/v1';
import { type ObjectionData, objectionReviewV2 } from '../../procedures/objection-review/v2';
import { Calendar } from '../../src/domain/calendar';
import type { Refusal } from '../../src/domain/case-model';
import {
  applyKernelAction,
  applyKernelCalendarLoad,
  fileKernelCase,
  isKernelFinished,
  isOpenDeadline,
  KERNEL_RULES,
  nextKernelWakeUp,
  parseKernelAction,
  partyActions,
  processDue,
  refusalForAction,
} from '../../src/domain/kernel/case-kernel';
import type { Actor, KernelCase } from '../../src/domain/kernel/ops';
import { english } from './kernel-harness';

type Seed = Parameters<typeof Calendar.fromSeed>[0];
const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')) as Seed;
const calendar = Calendar.fromSeed(seed);

const sh = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`).toISOString();
const endOf = (date: string) => `${date}T16:00:00.000Z`;

const caseworker: Actor = { id: 'cw-1', roles: ['caseworker'], unitId: 'unit-test', access: 'owner' };
const supervisor: Actor = { id: 'sv-1', roles: ['caseworker', 'supervisor'], unitId: 'unit-test', access: 'owner' };
const citySupervisor: Actor = { id: 'sv-city', roles: ['supervisor'], unitId: 'city', access: 'supervisor' };
const admin: Actor = { id: 'admin-1', roles: ['admin'], unitId: 'province', access: 'admin' };
const taxBureau: Actor = { id: 'tax-1', roles: ['caseworker'], unitId: 'tax-bureau', access: 'party' };
const taxSupervisor: Actor = { id: 'tax-sv', roles: ['supervisor'], unitId: 'tax-bureau', access: 'party' };

type AnyDef = Parameters<typeof fileKernelCase>[0];

function fileCase<D>(def: AnyDef, receivedAt: string, filing: unknown, unitId = 'unit-test'): KernelCase<D> {
  return fileKernelCase<D>(def, calendar, {
    caseId: `case-${def.procedure}`,
    idempotencyKey: 'k',
    procedure: def.procedure,
    definitionVersion: def.version,
    variant: def.defaultVariant,
    unitId,
    subject: { kind: 'organisation', name: 'Test Co', idNumber: '91350100M000100Y43' },
    receivedAt,
    filedAt: receivedAt,
    actor: 'cw-1',
    actorUnit: unitId,
    filing: def.filing.parse(filing),
  });
}

function refusal(def: AnyDef, c: KernelCase<unknown>, body: Record<string, unknown>, now: string, actor?: Actor): Refusal | null {
  const parsed = parseKernelAction(def, body, actor);
  if (!parsed.ok) throw new Error(`unexpected input problem: ${JSON.stringify(parsed.problem)}`);
  return refusalForAction(def, c, parsed.value, now);
}

/** As the workflow does it: what was due is recorded first, then the action is checked and applied. */
function act<D>(def: AnyDef, c: KernelCase<D>, body: Record<string, unknown>, now: string, actor?: Actor): KernelCase<D> {
  processDue(def, calendar, c as KernelCase<unknown>, now);
  const refused = refusal(def, c as KernelCase<unknown>, body, now, actor);
  if (refused) throw new Error(`unexpected refusal: ${JSON.stringify(refused)}`);
  const parsed = parseKernelAction(def, body, actor);
  if (!parsed.ok) throw new Error('parse');
  applyKernelAction(def, calendar, c as KernelCase<unknown>, parsed.value, now);
  return c;
}

const deadline = (c: KernelCase<unknown>, key: string) => c.deadlines.find((d) => d.key === key)!;

/** A v2 (or v1) case with an order to rectify within 10 working days of Wed 12-02: due Wed 12-16. */
function rectifying(def: AnyDef = v2): KernelCase<CommitmentData> {
  const c = fileCase<CommitmentData>(def, sh('2026-12-01'), { licence: { number: 'L-1', decidedAt: '2026-12-01' } });
  act(def, c, { action: 'verify', outcome: 'not-kept', findings: 'opening hours not as committed' }, sh('2026-12-02', '09:00'), caseworker);
  act(def, c, { action: 'order-rectification', period: { workingDays: 10 }, requirements: 'keep the committed hours' }, sh('2026-12-02'), caseworker);
  expect(deadline(c, 'rectification')).toMatchObject({ dueDate: '2026-12-16', dueAt: endOf('2026-12-16') });
  return c;
}
const request = (workingDays = 5, reason = 'flood closed the premises (Art. 30 ¶3)') => ({ action: 'request-extension', deadlineKey: 'rectification', workingDays, reason });
const approve = { action: 'approve-extension', deadlineKey: 'rectification' };

// ---------------------------------------------------------------------------------------------------------

describe('the authenticated actor', () => {
  it('is the event actor; the body cannot name another one', () => {
    const body = { action: 'verify', outcome: 'kept', findings: 'as committed', actor: 'someone-else' };
    expect(parseKernelAction(v2, body, caseworker)).toEqual({
      ok: true,
      value: { action: 'verify', actor: 'cw-1', authenticated: caseworker, input: { outcome: 'kept', findings: 'as committed' } },
    });
    // Even the reserved name is ignored once the API authenticated the user.
    expect(parseKernelAction(v2, { ...body, actor: 'system' }, caseworker)).toMatchObject({ ok: true, value: { actor: 'cw-1' } });
  });

  it('without one (histories recorded before authentication) the body actor stays, as it was', () => {
    expect(parseKernelAction(v2, { action: 'verify', outcome: 'kept', findings: 'x', actor: 'clerk-7' })).toEqual({
      ok: true,
      value: { action: 'verify', actor: 'clerk-7', input: { outcome: 'kept', findings: 'x' } },
    });
    expect(parseKernelAction(v2, { action: 'verify', outcome: 'kept', findings: 'x', actor: 'system' })).toMatchObject({ ok: false, problem: { field: 'actor' } });
  });

  it("events keep the actor's unit; every event keeps when it happened and when it was recorded", () => {
    const c = fileCase<CommitmentData>(v2, sh('2026-12-01'), { licence: { number: 'L-1', decidedAt: '2026-12-01' } });
    act(v2, c, { action: 'verify', outcome: 'false', findings: 'no such qualification', occurredAt: sh('2026-12-02', '09:00') }, sh('2026-12-03'), supervisor);
    processDue(v2, calendar, c, sh('2027-02-02'));
    expect(c.events.map((e) => [e.type, e.actor, e.at, e.recordedAt, e.data.actorUnit])).toEqual([
      ['case.filed', 'cw-1', sh('2026-12-01'), sh('2026-12-01'), 'unit-test'],
      ['commitment.verified', 'sv-1', sh('2026-12-02', '09:00'), sh('2026-12-03'), 'unit-test'],
    ]);
    // The kernel's own steps are recorded when they happen.
    const c2 = fileCase<CommitmentData>(v2, sh('2026-09-01'), { licence: { number: 'L-2', decidedAt: '2026-09-01' } });
    processDue(v2, calendar, c2, sh('2026-11-03', '08:00'));
    expect(c2.events.at(-1)).toMatchObject({ type: 'deadline.red', actor: 'system', at: sh('2026-11-03', '08:00'), recordedAt: sh('2026-11-03', '08:00') });
    expect(c2.events.at(-1)!.data.actorUnit).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('a step recorded after its deadline never erases the red', () => {
  const objection = () =>
    fileCase<ObjectionData>(objectionReviewV2, sh('2026-09-29'), { grounds: ['error'] }, 'unit-credit-office');

  it('backdated mark and decision after both reds: the reds stay, the deadlines are met-recorded-late', () => {
    const c = objection();
    // Mark due Wed 09-30, decision due Fri 10-09 (National Day skipped); nothing recorded until Mon 10-12.
    processDue(objectionReviewV2, calendar, c, sh('2026-10-12', '09:30'));
    const reds = () => c.escalations.filter((e) => e.level === 'red').map((e) => [e.deadlineKey, e.dueAt]);
    expect(reds()).toEqual([
      ['mark-disputed', endOf('2026-09-30')],
      ['decision', endOf('2026-10-09')],
    ]);

    act(objectionReviewV2, c, { action: 'mark-disputed', occurredAt: sh('2026-09-30', '09:00'), evidenceRef: 'register-log-0930' }, sh('2026-10-12', '10:00'), caseworker);
    act(objectionReviewV2, c, { action: 'decide', outcome: 'rejected', reasons: 'the record is right', occurredAt: sh('2026-10-09', '15:00') }, sh('2026-10-12', '10:05'), caseworker);

    expect(deadline(c, 'mark-disputed')).toMatchObject({
      status: 'met-recorded-late',
      completedAt: sh('2026-09-30', '09:00'),
      completionRecordedAt: sh('2026-10-12', '10:00'),
      evidenceRef: 'register-log-0930',
    });
    expect(deadline(c, 'decision')).toMatchObject({ status: 'met-recorded-late', completedAt: sh('2026-10-09', '15:00'), completionRecordedAt: sh('2026-10-12', '10:05') });
    expect(reds()).toEqual([
      ['mark-disputed', endOf('2026-09-30')],
      ['decision', endOf('2026-10-09')],
    ]);
    // Done: not open, no further ladder steps, the case is finished.
    expect(c.deadlines.filter(isOpenDeadline)).toEqual([]);
    expect(nextKernelWakeUp(c, sh('2026-10-12', '10:05'))).toBeNull();
    expect(isKernelFinished(c, sh('2026-10-12', '10:05'))).toBe(true);
  });

  it('met in time when recorded in time, met-late when it happened late', () => {
    const inTime = act(objectionReviewV2, objection(), { action: 'mark-disputed', occurredAt: sh('2026-09-30', '09:00') }, sh('2026-09-30', '23:59'));
    expect(deadline(inTime, 'mark-disputed')).toMatchObject({ status: 'met', completionRecordedAt: sh('2026-09-30', '23:59') });
    const late = act(objectionReviewV2, objection(), { action: 'mark-disputed', occurredAt: sh('2026-10-08', '09:00') }, sh('2026-10-08', '11:00'));
    expect(deadline(late, 'mark-disputed').status).toBe('met-late');
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('extensions asked by the caseworker, decided by a supervisor (docs/time-rules.md#extension; Art. 30 ¶3)', () => {
  it('request, then approval: the due date moves 5 working days, the old value is kept', () => {
    const c = rectifying();
    act(v2, c, request(), sh('2026-12-10'), caseworker);
    expect(c.extensionRequests).toEqual([
      { deadlineKey: 'rectification', workingDays: 5, reason: 'flood closed the premises (Art. 30 ¶3)', requestedAt: sh('2026-12-10'), requestedBy: 'cw-1', status: 'pending' },
    ]);
    expect(deadline(c, 'rectification').dueDate).toBe('2026-12-16');
    expect(c.events.at(-1)).toMatchObject({
      type: 'extension.requested',
      actor: 'cw-1',
      reason: 'flood closed the premises (Art. 30 ¶3)',
      data: { deadlineKey: 'rectification', workingDays: 5, dueAt: endOf('2026-12-16'), actorUnit: 'unit-test' },
    });

    act(v2, c, approve, sh('2026-12-11'), supervisor);
    const d = deadline(c, 'rectification');
    expect(d).toMatchObject({ dueDate: '2026-12-23', dueAt: endOf('2026-12-23'), status: 'running' });
    expect(d.previous).toEqual([
      { dueDate: '2026-12-16', dueAt: endOf('2026-12-16'), calendarVersion: calendar.version, changedAt: sh('2026-12-11'), reason: expect.stringContaining('extended by 5 working day(s)') },
    ]);
    expect(d.extensions).toEqual([{ period: { workingDays: 5 }, reason: 'flood closed the premises (Art. 30 ¶3)', grantedAt: sh('2026-12-11'), grantedBy: 'sv-1' }]);
    expect(c.extensionRequests[0]).toMatchObject({ status: 'approved', decidedAt: sh('2026-12-11'), decidedBy: 'sv-1' });
    expect(c.events.at(-1)).toMatchObject({
      type: 'extension.approved',
      actor: 'sv-1',
      data: {
        deadlineKey: 'rectification',
        workingDays: 5,
        requestedBy: 'cw-1',
        basis: expect.stringContaining('Art. 30 ¶3'),
        from: { dueDate: '2026-12-16', dueAt: endOf('2026-12-16') },
        to: { dueDate: '2026-12-23', dueAt: endOf('2026-12-23') },
      },
    });
    // Decided: nothing left to approve.
    expect(refusal(v2, c, approve, sh('2026-12-11', '11:00'), supervisor)).toMatchObject({ rule: 'no-extension-request' });
  });

  it('refused by a supervisor of a unit above: recorded with the reason, the deadline unchanged', () => {
    const c = rectifying();
    act(v2, c, request(), sh('2026-12-10'), caseworker);
    act(v2, c, { action: 'refuse-extension', deadlineKey: 'rectification', reason: 'the premises reopened on 12-08' }, sh('2026-12-11'), citySupervisor);
    expect(c.extensionRequests[0]).toMatchObject({ status: 'refused', decidedBy: 'sv-city', refusalReason: 'the premises reopened on 12-08' });
    expect(c.events.at(-1)).toMatchObject({ type: 'extension.refused', reason: 'the premises reopened on 12-08', data: { deadlineKey: 'rectification', actorUnit: 'city' } });
    expect(deadline(c, 'rectification')).toMatchObject({ dueDate: '2026-12-16', previous: [], extensions: [] });
    // A new request can follow a decided one.
    expect(refusal(v2, c, request(3), sh('2026-12-11', '11:00'), caseworker)).toBeNull();
  });

  it('an administrator may approve; the direct grant (extend) needs a supervisor too', () => {
    const c = act(v2, rectifying(), request(), sh('2026-12-10'), caseworker);
    expect(refusal(v2, c, approve, sh('2026-12-11'), admin)).toBeNull();
    const extend = { action: 'extend', deadlineKey: 'rectification', workingDays: 2, reason: 'typhoon warning' };
    expect(refusal(v2, c, extend, sh('2026-12-11'), caseworker)).toMatchObject({ rule: 'extension-needs-supervisor', forbidden: true });
    act(v2, c, extend, sh('2026-12-11'), citySupervisor);
    expect(deadline(c, 'rectification')).toMatchObject({ dueDate: '2026-12-18', extensions: [expect.objectContaining({ grantedBy: 'sv-city' })] });
    expect(c.events.at(-1)).toMatchObject({ type: 'deadline.extended', data: { from: { dueDate: '2026-12-16' }, to: { dueDate: '2026-12-18' } } });
  });

  type Row = [label: string, build: () => KernelCase<unknown>, body: Record<string, unknown>, now: string, actor: Actor | undefined, rule: string, forbidden: boolean];
  const requested = () => act(v2, rectifying(), request(), sh('2026-12-10'), caseworker) as KernelCase<unknown>;
  const verifying = () => fileCase<unknown>(v2, sh('2026-12-01'), { licence: { number: 'L-1', decidedAt: '2026-12-01' } });
  const extendedBy5 = () => act(v2, requested(), approve, sh('2026-12-11'), supervisor) as KernelCase<unknown>;
  const rows: Row[] = [
    ['a caseworker approves', requested, approve, sh('2026-12-11'), caseworker, 'extension-needs-supervisor', true],
    ['a caseworker refuses', requested, { action: 'refuse-extension', deadlineKey: 'rectification', reason: 'no' }, sh('2026-12-11'), caseworker, 'extension-needs-supervisor', true],
    ["an assisting unit's supervisor approves", requested, approve, sh('2026-12-11'), taxSupervisor, 'not-a-party', true],
    ['an assisting unit asks for an extension', rectifying, request(), sh('2026-12-10'), taxBureau, 'not-a-party', true],
    ['approve with nothing asked', rectifying, approve, sh('2026-12-11'), supervisor, 'no-extension-request', false],
    ['refuse with nothing asked', rectifying, { action: 'refuse-extension', deadlineKey: 'rectification', reason: 'no' }, sh('2026-12-11'), supervisor, 'no-extension-request', false],
    ['ask twice before a decision', requested, request(3), sh('2026-12-11'), caseworker, 'extension-request-pending', false],
    ['ask for more than 30 working days', rectifying, request(31), sh('2026-12-10'), caseworker, 'extension-too-long', false],
    ['ask for 26 more after 5 granted', extendedBy5, request(26), sh('2026-12-12'), caseworker, 'extension-too-long', false],
    ['ask to extend the verification (Art. 46 provides none)', verifying, { ...request(), deadlineKey: 'verification' }, sh('2026-12-10'), caseworker, 'extension-not-allowed', false],
    ['ask under version 1 (no extension provided)', () => rectifying(v1) as KernelCase<unknown>, request(), sh('2026-12-10'), caseworker, 'extension-not-allowed', false],
    ['ask after the deadline passed', rectifying, request(), endOf('2026-12-16'), caseworker, 'extension-after-deadline', false],
    // Judged when it is recorded: a backdated occurredAt does not bring a late request back in time.
    ['ask after the deadline, backdated before it', rectifying, { ...request(), occurredAt: sh('2026-12-16', '15:00') }, sh('2026-12-17', '09:00'), caseworker, 'extension-after-deadline', false],
    ['approve after the deadline passed', requested, approve, sh('2026-12-17', '09:00'), supervisor, 'extension-after-deadline', false],
    ['ask to extend a deadline the case does not have', rectifying, { ...request(), deadlineKey: 'nope' }, sh('2026-12-10'), caseworker, 'unknown-deadline', false],
  ];

  it.each(rows.map(([label, build, body, now, actor, rule, forbidden]) => ({ label, build, body, now, actor, rule, forbidden })))(
    '$label → $rule',
    ({ build, body, now, actor, rule, forbidden }) => {
      const c = build();
      const def = c.definitionVersion === 1 ? v1 : v2;
      processDue(def, calendar, c, now);
      const before = JSON.stringify(c);
      const kernelRule = Object.values(KERNEL_RULES).find((r) => r.id === rule)!;
      expect(english(refusal(def, c, body, now, actor))).toEqual({
        rule,
        basis: rule === 'extension-not-allowed' && c.definitionVersion === 1 ? `docs/time-rules.md#extension; ${v1.extensions.basis}` : kernelRule.basis,
        message: expect.any(String),
        ...(forbidden ? { forbidden: true } : {}),
      });
      expect('forbidden' in kernelRule).toBe(forbidden);
      expect(JSON.stringify(c)).toBe(before);
    },
  );

  it('says how much is left when a request is too long', () => {
    expect(refusal(v2, extendedBy5(), request(26), sh('2026-12-12'), caseworker)!.message).toBe(
      `26 working day(s) asked after 5 granted: at most 30 in all (${v2.clocks.rectification.extension!.basis})`,
    );
  });

  it('version 3 (the second legal review) files every receipt; versions 1 and 2 keep the cases filed under them', () => {
    expect(definitionForReceipt('commitment-verification', '2026-11-27')?.version).toBe(3);
    expect(definitionForReceipt('commitment-verification', '2026-11-28')?.version).toBe(3);
    expect(definitionForReceipt('commitment-verification', '2022-07-01')?.version).toBe(3);
    expect(v2.clocks.rectification.extension).toEqual({ basis: expect.stringContaining('Art. 30 ¶3'), maxWorkingDays: 30 });
    expect(v2.clocks.verification.extension).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('parties: assisting units act only for themselves', () => {
  const def = objectionReviewV2;
  const assisted = () => {
    const c = fileCase<ObjectionData>(def, sh('2026-09-29'), {}, 'unit-credit-office');
    const owner: Actor = { ...caseworker, unitId: 'unit-credit-office' };
    act(def, c, { action: 'mark-disputed' }, sh('2026-09-30', '09:00'), owner);
    act(def, c, { action: 'request-assistance', units: [{ unitId: 'tax-bureau' }, { unitId: 'court' }] }, sh('2026-09-30', '10:00'), owner);
    return c;
  };

  it('the units asked to assist become parties of the case', () => {
    expect(assisted().parties).toEqual(['tax-bureau', 'court']);
    expect(fileCase<ObjectionData>(def, sh('2026-09-29'), {}).parties).toEqual([]);
  });

  it('a party records its own receipt and reply; the event names its user and unit', () => {
    const c = assisted();
    act(def, c, { action: 'record-notice-receipt', unitId: 'tax-bureau' }, sh('2026-09-30', '11:00'), taxBureau);
    act(def, c, { action: 'record-assistance-reply', unitId: 'tax-bureau', result: 'arrears paid' }, sh('2026-10-08'), taxBureau);
    expect(c.events.at(-1)).toMatchObject({ type: 'assistance.replied', actor: 'tax-1', data: { unitId: 'tax-bureau', actorUnit: 'tax-bureau' } });
    expect(deadline(c, 'assistance-reply:tax-bureau').status).toBe('met');
  });

  it.each([
    ['the reply of another unit', { action: 'record-assistance-reply', unitId: 'court', result: 'x' }],
    ['the receipt of another unit', { action: 'record-notice-receipt', unitId: 'court' }],
    ['the decision', { action: 'decide', outcome: 'rejected', reasons: 'x' }],
    ['a suspension', { action: 'suspend', reason: 'testing' }],
  ])('a party may not record %s → not-a-party (forbidden)', (_label, body) => {
    expect(english(refusal(def, assisted(), body, sh('2026-09-30', '11:00'), taxBureau))).toEqual({
      rule: 'not-a-party',
      basis: KERNEL_RULES.notAParty.basis,
      message: expect.any(String),
      forbidden: true,
    });
  });

  it('the owning unit and its supervisors may still record any of them', () => {
    expect(refusal(def, assisted(), { action: 'record-assistance-reply', unitId: 'court', result: 'x' }, sh('2026-09-30', '11:00'), citySupervisor)).toBeNull();
  });

  it('lists the actions a party may take, and the field naming its unit', () => {
    expect(partyActions(def)).toEqual([
      { action: 'record-notice-receipt', field: 'unitId' },
      { action: 'record-assistance-reply', field: 'unitId' },
      { action: 'confirm-measure-ended', field: 'department' },
    ]);
    expect(partyActions(informationCorrectionV1)).toEqual([{ action: 'record-agency-receipt', field: 'agency' }]);
    expect(partyActions(v2)).toEqual([]);
  });

  it('departments ending punitive measures (Art. 35 ¶2) become parties with the decision', () => {
    const c = fileKernelCase<ObjectionData>(def, calendar, {
      caseId: 'list-1',
      idempotencyKey: 'list-1',
      procedure: def.procedure,
      definitionVersion: def.version,
      variant: 'serious-dishonesty-list',
      unitId: 'unit-credit-office',
      subject: { kind: 'organisation', name: 'Co', idNumber: '91350100M000100Y43' },
      receivedAt: sh('2026-09-29'),
      filedAt: sh('2026-09-29'),
      actor: 'cw-1',
      filing: {},
    });
    act(def, c, { action: 'decide', outcome: 'upheld', departments: ['market-regulation'] }, sh('2026-09-30'));
    expect(c.parties).toEqual(['market-regulation']);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('a calendar load says on the case which deadlines moved, from what to what (docs/time-rules.md#calendar-coverage)', () => {
  it('received Tue 09-29 with 2026 provisional (weekdays only): the decision moves from 10-02 to 10-09', () => {
    const years = Object.fromEntries(Object.entries(seed.years).filter(([year]) => year !== '2026'));
    const provisional = Calendar.fromSeed({ ...seed, version: 'test-without-2026', years });
    const def = objectionReviewV2;
    const c = fileKernelCase<ObjectionData>(def, provisional, {
      caseId: 'cal-1',
      idempotencyKey: 'cal-1',
      procedure: def.procedure,
      definitionVersion: def.version,
      variant: 'standard',
      unitId: 'unit-credit-office',
      subject: { kind: 'organisation', name: 'Co', idNumber: '91350100M000100Y43' },
      receivedAt: sh('2026-09-29'),
      filedAt: sh('2026-09-29'),
      actor: 'cw-1',
      filing: {},
    });
    expect(deadline(c, 'decision')).toMatchObject({ dueDate: '2026-10-02', provisional: true });

    const moved = applyKernelCalendarLoad(def, calendar, c, sh('2026-09-29', '12:00'));
    const expected = [
      // Same date, no longer provisional: listed too, so the case shows the notice confirmed it.
      { deadlineKey: 'mark-disputed', from: { dueDate: '2026-09-30', dueAt: endOf('2026-09-30') }, to: { dueDate: '2026-09-30', dueAt: endOf('2026-09-30') } },
      { deadlineKey: 'decision', from: { dueDate: '2026-10-02', dueAt: endOf('2026-10-02') }, to: { dueDate: '2026-10-09', dueAt: endOf('2026-10-09') } },
    ];
    expect(moved).toEqual(expected);
    expect(c.events.at(-1)).toEqual({
      seq: 2,
      type: 'calendar.recomputed',
      actor: 'system',
      at: sh('2026-09-29', '12:00'),
      recordedAt: sh('2026-09-29', '12:00'),
      data: { calendarVersion: calendar.version, deadlines: expected },
    });
    expect(deadline(c, 'decision').previous).toEqual([expect.objectContaining({ dueDate: '2026-10-02', calendarVersion: 'test-without-2026' })]);
    // A second load of the same calendar moves nothing and records nothing.
    expect(applyKernelCalendarLoad(def, calendar, c, sh('2026-09-29', '13:00'))).toEqual([]);
    expect(c.events).toHaveLength(2);
  });
});
