import * as fs from 'fs';
import * as path from 'path';
import { objectionReviewV1 } from '../../procedures/objection-review/v1';
import { Calendar } from '../../src/domain/calendar';
import {
  applyObjectionAction,
  dueEscalations,
  fileObjectionCase,
  type ObjectionCase,
  parseObjectionAction,
  recordEscalations,
  refusalFor,
} from '../../src/domain/objection-review';

// Escalation per due instant, back-dated steps, and extensions (docs/time-rules.md#extension) on the official calendar.
const calendar = Calendar.fromSeed(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')));
const sh = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`).toISOString();
const endOf = (date: string) => `${date}T16:00:00.000Z`;
const extending = { ...objectionReviewV1, extensions: { allowed: true, basis: 'test definition that allows extensions' } };

function file(def = objectionReviewV1, receivedAt = sh('2026-09-29'), filedAt = receivedAt): ObjectionCase {
  return fileObjectionCase(def, calendar, {
    caseId: 'c-time',
    idempotencyKey: 'k-time',
    variant: 'standard',
    unitId: 'unit',
    subject: { kind: 'organisation', name: 'Co', idNumber: '91350100M000100Y43' },
    receivedAt,
    filedAt,
    actor: 'caseworker',
  });
}

function act(c: ObjectionCase, body: Record<string, unknown>, now: string, def = objectionReviewV1) {
  const parsed = parseObjectionAction(body);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problem));
  const refusal = refusalFor(def, c, parsed.value, now);
  if (refusal) return refusal;
  applyObjectionAction(def, calendar, c, parsed.value, now);
  return null;
}

function fire(c: ObjectionCase, now: string) {
  const due = dueEscalations(c, now);
  recordEscalations(c, due, now);
  return due.map((e) => `${e.deadlineKey}/${e.level}/${e.dueAt}`);
}

const decision = (c: ObjectionCase) => c.deadlines.find((d) => d.key === 'decision')!;

describe('escalation follows the due instant', () => {
  it('a suspension that moves the decision after its yellow card gives the new due date its own yellow and red', () => {
    const c = file();
    expect(act(c, { action: 'mark-disputed' }, sh('2026-09-30', '09:00'))).toBeNull();
    // Decision due Fri 10-09; yellow at the close of Thu 10-08.
    expect(decision(c).dueAt).toBe(endOf('2026-10-09'));
    expect(fire(c, sh('2026-10-09', '08:00'))).toEqual([`decision/yellow/${endOf('2026-10-09')}`]);

    expect(act(c, { action: 'suspend', reason: 'appraisal' }, sh('2026-10-09', '09:00'))).toBeNull();
    expect(act(c, { action: 'resume' }, sh('2026-10-13', '09:00'))).toBeNull();
    // 10-09, 10-10 (make-up Saturday) and 10-12 ended while suspended; 10-13 is the third counted day.
    expect(decision(c).dueDate).toBe('2026-10-13');
    expect(fire(c, sh('2026-10-13', '09:01'))).toEqual([`decision/yellow/${endOf('2026-10-13')}`]);
    expect(fire(c, sh('2026-10-13', '23:00'))).toEqual([]);
    expect(fire(c, sh('2026-10-14', '00:00'))).toEqual([`decision/red/${endOf('2026-10-13')}`]);
    expect(fire(c, sh('2026-10-20'))).toEqual([]);
  });
});

describe('late entry of steps (occurredAt)', () => {
  it('dates a step back past automatic escalations, to the previous caseworker step, so it counts as on time', () => {
    const c = file();
    act(c, { action: 'mark-disputed', occurredAt: sh('2026-09-29', '16:00') }, sh('2026-09-29', '16:05'));
    expect(fire(c, sh('2026-10-10', '08:00'))).toEqual([`decision/red/${endOf('2026-10-09')}`]);
    // Decided on Friday 10-09 at 17:00, entered on Saturday after the red card fired.
    expect(act(c, { action: 'decide', outcome: 'rejected', reasons: 'accurate', occurredAt: sh('2026-10-09', '17:00') }, sh('2026-10-10', '09:00'))).toBeNull();
    expect(decision(c).status).toBe('met');
  });

  it('records steps of a late-entered case at the times they happened, before the filing', () => {
    const c = file(objectionReviewV1, sh('2026-09-29'), sh('2026-10-20'));
    expect(act(c, { action: 'mark-disputed', occurredAt: sh('2026-09-30', '09:00') }, sh('2026-10-20', '11:00'))).toBeNull();
    expect(c.deadlines.find((d) => d.key === 'mark-disputed')!.status).toBe('met');
  });

  it('still refuses a step dated before the previous caseworker step', () => {
    const c = file();
    act(c, { action: 'mark-disputed', occurredAt: sh('2026-09-30', '09:00') }, sh('2026-09-30', '10:00'));
    expect(act(c, { action: 'suspend', reason: 'testing', occurredAt: sh('2026-09-29', '18:00') }, sh('2026-09-30', '11:00'))).toMatchObject({ rule: 'action-time' });
  });
});

describe('extensions (docs/time-rules.md#extension)', () => {
  it('are refused by the objection-review definition, naming the rule', () => {
    const c = file();
    expect(act(c, { action: 'extend', deadlineKey: 'decision', workingDays: 2, reason: 'workload' }, sh('2026-09-30'))).toMatchObject({
      rule: 'extension-not-allowed',
    });
    expect(c.events.map((e) => e.type)).toEqual(['case.filed']);
  });

  it('where a definition allows them: add working days before the deadline passes and keep the old value', () => {
    const c = file(extending);
    expect(act(c, { action: 'extend', deadlineKey: 'decision', workingDays: 2, reason: 'complex file', actor: 'supervisor-wang' }, sh('2026-10-09', '15:00'), extending)).toBeNull();
    // 10-09 + 2 working days: 10-10 (make-up Saturday) and 10-12.
    expect(decision(c).dueDate).toBe('2026-10-12');
    expect(decision(c).previous).toEqual([expect.objectContaining({ dueDate: '2026-10-09' })]);
    expect(decision(c).explanation.extensions).toEqual([expect.objectContaining({ grantedBy: 'supervisor-wang', dueDateBefore: '2026-10-09' })]);
    expect(c.events.at(-1)).toMatchObject({ type: 'deadline.extended', actor: 'supervisor-wang', reason: 'complex file' });
  });

  it.each([
    ['after the deadline passed', { deadlineKey: 'decision' }, sh('2026-10-10', '09:00'), 'extension-after-deadline'],
    ['an unknown deadline', { deadlineKey: 'nonsense' }, sh('2026-09-30'), 'unknown-deadline'],
  ])('are refused %s', (_label, body, now, rule) => {
    const c = file(extending);
    expect(act(c, { action: 'extend', workingDays: 1, reason: 'r', ...body }, now, extending)).toMatchObject({ rule });
  });

  it.each([
    [{ action: 'extend', deadlineKey: 'decision', workingDays: 0, reason: 'r' }, 'workingDays'],
    [{ action: 'extend', deadlineKey: 'decision', workingDays: 1.5, reason: 'r' }, 'workingDays'],
    [{ action: 'extend', deadlineKey: 'decision', workingDays: 2 }, 'reason'],
    [{ action: 'extend', workingDays: 2, reason: 'r' }, 'deadlineKey'],
  ])('malformed extension %j names %s', (body, field) => {
    const parsed = parseObjectionAction(body);
    expect(parsed.ok ? null : parsed.problem.field).toBe(field);
  });
});

describe('decision input', () => {
  it('refuses downstream systems on a rejected decision: they receive corrections only when upheld', () => {
    const parsed = parseObjectionAction({ action: 'decide', outcome: 'rejected', reasons: 'accurate', downstreamSystems: ['credit-china'] });
    expect(parsed.ok ? null : parsed.problem.field).toBe('downstreamSystems');
  });
});
