/**
 * Objection review version 2 (procedures/objection-review/v2.ts, Social Credit Regulation Art. 39 / Art. 35 ¶2) run on
 * the case kernel's pure functions, with no Temporal and no database.
 *
 * Expected dates were worked out by hand from prisma/calendar/cn-2004-2026.json (re-checked in the first block):
 *
 *   2026-09-29 Tue  working  — the objection is received (not counted, Civil Code Art. 201)
 *   2026-09-30 Wed  working
 *   2026-10-01..07  国庆节 National Day holidays
 *   2026-10-08 Thu, 10-09 Fri  working
 *   2026-10-10 Sat  国庆节调休 make-up working day
 *   2026-10-11 Sun  rest;  10-12 Mon .. 10-16 Fri working
 *
 * A due date D ends at 24:00 Asia/Shanghai = D T16:00:00.000Z.
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { DEFAULT_ESCALATION, defineAction, defineProcedure } from '../../procedures/definition';
import { type ObjectionData, objectionReviewV2 as def } from '../../procedures/objection-review/v2';
import { Calendar } from '../../src/domain/calendar';
import type { Refusal } from '../../src/domain/case-model';
import {
  applyKernelAction,
  fileKernelCase,
  isKernelFinished,
  KERNEL_RULES,
  nextKernelWakeUp,
  parseKernelAction,
  processDue,
  refusalForAction,
} from '../../src/domain/kernel/case-kernel';
import type { KernelCase, KernelDeadline } from '../../src/domain/kernel/ops';
import { english } from './kernel-harness';

type Seed = Parameters<typeof Calendar.fromSeed>[0];
const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')) as Seed;
const calendar = Calendar.fromSeed(seed);

/** An Asia/Shanghai wall-clock time as a UTC instant string. */
const sh = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`).toISOString();
/** 24:00 Asia/Shanghai at the end of `date`. */
const endOf = (date: string) => `${date}T16:00:00.000Z`;

const RECEIVED = sh('2026-09-29'); // Tue 2026-09-29 10:00 Shanghai
const MARKED = sh('2026-09-30', '09:00');
const NATIONAL_DAY = '国庆节 National Day';
const NATIONAL_DAY_MAKEUP = '国庆节调休 National Day make-up working day';

type Case = KernelCase<ObjectionData>;
type Variant = 'standard' | 'serious-dishonesty-list';

let seq = 0;
function file(variant: Variant = 'standard', receivedAt = RECEIVED, filing: unknown = { grounds: ['error'], reasons: 'the fine was paid' }): Case {
  seq += 1;
  return fileKernelCase<ObjectionData>(def, calendar, {
    caseId: `c-${seq}`,
    idempotencyKey: `k-${seq}`,
    procedure: def.procedure,
    definitionVersion: def.version,
    variant,
    unitId: 'unit-credit-office',
    subject: { kind: 'organisation', name: 'Harbin Example Trading Co.', idNumber: '91230100MA1BXXXX0X' },
    receivedAt,
    filedAt: receivedAt,
    actor: 'caseworker-1',
    filing: def.filing.parse(filing),
  });
}

function parse(body: Record<string, unknown>) {
  const parsed = parseKernelAction(def, { actor: 'caseworker-1', ...body });
  if (!parsed.ok) throw new Error(`unexpected input problem: ${JSON.stringify(parsed.problem)}`);
  return parsed.value;
}

/** The way the workflow does it: parse the body, check it against the law, apply it. */
function act(c: Case, body: Record<string, unknown>, now: string): Case {
  const a = parse(body);
  const refusal = refusalForAction(def, c, a, now);
  if (refusal) throw new Error(`unexpected refusal: ${JSON.stringify(refusal)}`);
  applyKernelAction(def, calendar, c, a, now);
  return c;
}

function refusalOf(c: Case, body: Record<string, unknown>, now: string): Refusal | null {
  return refusalForAction(def, c, parse(body), now);
}

function deadline(c: Case, key: string): KernelDeadline {
  const d = c.deadlines.find((x) => x.key === key);
  if (!d) throw new Error(`no deadline ${key}; have ${c.deadlines.map((x) => x.key).join(', ')}`);
  return d;
}

const marked = (receivedAt = RECEIVED) => act(file('standard', receivedAt), { action: 'mark-disputed' }, MARKED);
const units = (n: number, prefix = 'u') => Array.from({ length: n }, (_, i) => ({ unitId: `${prefix}${i + 1}` }));
const systems = (n: number) => Array.from({ length: n }, (_, i) => `system-${i + 1}`);

// ---------------------------------------------------------------------------------------------------------

describe('the calendar facts the expected dates rely on', () => {
  it.each([
    ['2026-09-29', true],
    ['2026-09-30', true],
    ['2026-10-01', false],
    ['2026-10-04', false],
    ['2026-10-07', false],
    ['2026-10-08', true],
    ['2026-10-09', true],
    ['2026-10-10', true], // Saturday, make-up working day
    ['2026-10-11', false],
    ['2026-10-12', true],
  ])('%s working: %s', (date, working) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('parseKernelAction on the v2 definition (kernel schema behaviour)', () => {
  /** parseKernelAction with its input problem's Chinese message checked and left out (see `english`). */
  const parseEnglish = (body: unknown): ReturnType<typeof parseKernelAction> => {
    const parsed = parseKernelAction(def, body);
    return parsed.ok ? parsed : { ...parsed, problem: english(parsed.problem) };
  };

  it.each([
    ['NUL character in the common note → note', { action: 'mark-disputed', note: 'a\u0000b' }, 'note'],
    ['unknown nested field of an assisting unit → units.0.hack', { action: 'request-assistance', units: [{ unitId: 'u1', hack: true }] }, 'units.0.hack'],
    ['unknown action → action', { action: 'approve' }, 'action'],
    ['missing action → action', { actor: 'x' }, 'action'],
    ['unknown top-level field → reason', { action: 'mark-disputed', reason: 'x' }, 'reason'],
    ['empty list of units → units', { action: 'request-assistance', units: [] }, 'units'],
    ['21 units in one request → units', { action: 'request-assistance', units: units(21) }, 'units'],
    ['NUL in a decision reason → reasons', { action: 'decide', outcome: 'rejected', reasons: '\u0000' }, 'reasons'],
    ['unknown outcome → outcome', { action: 'decide', outcome: 'partly' }, 'outcome'],
    ['occurredAt without offset → occurredAt', { action: 'mark-disputed', occurredAt: '2026-09-30T10:00:00' }, 'occurredAt'],
    ['extend with 0 working days → workingDays', { action: 'extend', deadlineKey: 'decision', workingDays: 0, reason: 'x' }, 'workingDays'],
    ['extend with a fraction of a working day → workingDays', { action: 'extend', deadlineKey: 'decision', workingDays: 1.5, reason: 'x' }, 'workingDays'],
    ['extend without a reason → reason', { action: 'extend', deadlineKey: 'decision', workingDays: 2 }, 'reason'],
    ['extend without naming the deadline → deadlineKey', { action: 'extend', workingDays: 2, reason: 'x' }, 'deadlineKey'],
  ] as [string, unknown, string][])('%s', (_label, body, field) => {
    const r = parseEnglish(body);
    expect(r).toEqual({ ok: false, problem: { field, message: expect.any(String) } });
  });

  it('names the unknown nested field in the message', () => {
    const r = parseEnglish({ action: 'request-assistance', units: [{ unitId: 'u1', hack: 1 }] });
    expect(r).toEqual({ ok: false, problem: { field: 'units.0.hack', message: 'units.0.hack is not a known field' } });
  });

  it('normalises occurredAt to UTC, trims text, defaults the actor and keeps the note', () => {
    const r = parseKernelAction(def, { action: 'refer', competentUnit: '  market-regulation  ', occurredAt: '2026-09-30T09:00:00+08:00', note: ' by phone ' });
    expect(r).toEqual({
      ok: true,
      value: { action: 'refer', actor: 'caseworker', occurredAt: '2026-09-30T01:00:00.000Z', note: 'by phone', input: { competentUnit: 'market-regulation' } },
    });
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('refusals (refusalForAction)', () => {
  const NOW = sh('2026-09-30', '12:00');
  const at = (time: string) => sh('2026-09-30', time);

  const onList = () => file('serious-dishonesty-list');
  const suspended = () => act(marked(), { action: 'suspend', reason: 'testing' }, at('10:00'));
  const assisted = () => act(marked(), { action: 'request-assistance', units: [{ unitId: 'tax-bureau' }] }, at('10:00'));
  const noticed = () => act(assisted(), { action: 'record-notice-receipt', unitId: 'tax-bureau' }, at('10:30'));
  const replied = () => act(assisted(), { action: 'record-assistance-reply', unitId: 'tax-bureau', result: 'confirmed' }, at('10:30'));
  const twentyUnits = () => act(marked(), { action: 'request-assistance', units: units(20) }, at('10:00'));
  const upheld = () => act(marked(), { action: 'decide', outcome: 'upheld', downstreamSystems: ['credit-china'] }, at('11:00'));
  const fiftySystems = () => act(marked(), { action: 'decide', outcome: 'upheld', downstreamSystems: systems(50) }, at('11:00'));
  const corrected = () => act(upheld(), { action: 'correct-record', evidenceRef: 'register-diff-1' }, at('11:10'));
  const notified = () => act(upheld(), { action: 'notify-applicant', evidenceRef: 'letter-1' }, at('11:10'));
  const receivedCorrection = () => act(upheld(), { action: 'record-correction-receipt', system: 'credit-china' }, at('11:10'));
  const confirmed = () => act(upheld(), { action: 'confirm-correction', system: 'credit-china' }, at('11:10'));
  const rejected = () => act(marked(), { action: 'decide', outcome: 'rejected', reasons: 'the record is right' }, at('11:00'));
  const listUpheld = () => act(onList(), { action: 'decide', outcome: 'upheld', departments: ['market-regulation'] }, at('11:00'));
  const measureEnded = () => act(listUpheld(), { action: 'confirm-measure-ended', department: 'market-regulation' }, at('11:10'));

  type Row = [label: string, build: () => Case, body: Record<string, unknown>, rule: string];
  const rows: Row[] = [
    // mark-disputed
    ['mark twice', marked, { action: 'mark-disputed' }, 'objection-review/already-done'],
    ['mark an Art. 35 objection as disputed', onList, { action: 'mark-disputed' }, 'objection-review/art35-no-mark'],
    // refer
    ['refer after an upheld decision', upheld, { action: 'refer', competentUnit: 'tax-bureau' }, 'objection-review/after-decision'],
    // request-assistance
    ['request assistance on an Art. 35 objection', onList, { action: 'request-assistance', units: [{ unitId: 'u1' }] }, 'objection-review/art35-no-assistance'],
    ['request assistance after the decision', upheld, { action: 'request-assistance', units: [{ unitId: 'u1' }] }, 'objection-review/after-decision'],
    ['ask the same unit twice', assisted, { action: 'request-assistance', units: [{ unitId: 'tax-bureau' }] }, 'objection-review/already-done'],
    ['name the same unit twice in one request', marked, { action: 'request-assistance', units: [{ unitId: 'u1' }, { unitId: 'u1' }] }, 'objection-review/already-done'],
    ['ask a 21st assisting unit', twentyUnits, { action: 'request-assistance', units: [{ unitId: 'u21' }] }, 'objection-review/too-many-parties'],
    // record-notice-receipt
    ['receipt by a unit that was not asked', assisted, { action: 'record-notice-receipt', unitId: 'u9' }, 'objection-review/unknown-party'],
    ['receipt recorded twice', noticed, { action: 'record-notice-receipt', unitId: 'tax-bureau' }, 'objection-review/already-done'],
    // record-assistance-reply
    ['reply from a unit that was not asked', assisted, { action: 'record-assistance-reply', unitId: 'u9', result: 'ok' }, 'objection-review/unknown-party'],
    ['reply recorded twice', replied, { action: 'record-assistance-reply', unitId: 'tax-bureau', result: 'again' }, 'objection-review/already-done'],
    // decide
    ['decide before the record is marked', () => file(), { action: 'decide', outcome: 'upheld' }, 'objection-review/mark-before-decision'],
    ['decide twice', upheld, { action: 'decide', outcome: 'upheld' }, 'objection-review/already-done'],
    ['decide while the clock is suspended', suspended, { action: 'decide', outcome: 'upheld' }, 'objection-review/decide-while-suspended'],
    ['reject without reasons', marked, { action: 'decide', outcome: 'rejected' }, 'objection-review/rejection-needs-reasons'],
    ['reject and send corrections', marked, { action: 'decide', outcome: 'rejected', reasons: 'r', downstreamSystems: ['credit-china'] }, 'objection-review/correction-needs-upheld'],
    ['reject an Art. 35 objection and end measures', onList, { action: 'decide', outcome: 'rejected', reasons: 'r', departments: ['tax-bureau'] }, 'objection-review/correction-needs-upheld'],
    ['uphold an Art. 39 objection with departments', marked, { action: 'decide', outcome: 'upheld', departments: ['tax-bureau'] }, 'objection-review/measures-need-art35-upheld'],
    ['uphold an Art. 35 objection with downstream systems', onList, { action: 'decide', outcome: 'upheld', downstreamSystems: ['credit-china'] }, 'objection-review/correction-needs-upheld'],
    // correct-record
    ['correct the record before a decision', marked, { action: 'correct-record', evidenceRef: 'e' }, 'objection-review/correction-needs-upheld'],
    ['correct the record of an Art. 35 objection', listUpheld, { action: 'correct-record', evidenceRef: 'e' }, 'objection-review/correction-needs-upheld'],
    ['correct the record twice', corrected, { action: 'correct-record', evidenceRef: 'e' }, 'objection-review/already-done'],
    ['correct the record without evidence', upheld, { action: 'correct-record' }, 'objection-review/evidence-required'],
    // notify-applicant
    ['notify the applicant before a decision', marked, { action: 'notify-applicant', evidenceRef: 'e' }, 'objection-review/correction-needs-upheld'],
    ['notify the applicant twice', notified, { action: 'notify-applicant', evidenceRef: 'e' }, 'objection-review/already-done'],
    ['notify the applicant without evidence', upheld, { action: 'notify-applicant' }, 'objection-review/evidence-required'],
    ['notify an Art. 35 applicant without evidence', listUpheld, { action: 'notify-applicant', channel: 'post' }, 'objection-review/evidence-required'],
    // send-correction
    ['send a correction for an Art. 35 objection', listUpheld, { action: 'send-correction', systems: ['credit-china'] }, 'objection-review/correction-needs-upheld'],
    ['send the correction to the same system again', upheld, { action: 'send-correction', systems: ['credit-china'] }, 'objection-review/already-done'],
    ['send the correction to a 51st system', fiftySystems, { action: 'send-correction', systems: ['system-51'] }, 'objection-review/too-many-parties'],
    // record-correction-receipt
    ['correction receipt by a system not sent to', upheld, { action: 'record-correction-receipt', system: 'some-portal' }, 'objection-review/unknown-party'],
    ['correction receipt recorded twice', receivedCorrection, { action: 'record-correction-receipt', system: 'credit-china' }, 'objection-review/already-done'],
    // confirm-correction
    ['confirm a correction before any decision', marked, { action: 'confirm-correction', system: 'credit-china' }, 'objection-review/correction-needs-upheld'],
    ['confirm a correction for an unknown system', upheld, { action: 'confirm-correction', system: 'some-portal' }, 'objection-review/unknown-party'],
    ['confirm a correction twice', confirmed, { action: 'confirm-correction', system: 'credit-china' }, 'objection-review/already-done'],
    // confirm-measure-ended
    ['end a measure on an Art. 39 objection', upheld, { action: 'confirm-measure-ended', department: 'tax-bureau' }, 'objection-review/measures-need-art35-upheld'],
    ['end a measure before the Art. 35 decision', onList, { action: 'confirm-measure-ended', department: 'tax-bureau' }, 'objection-review/measures-need-art35-upheld'],
    ['end a measure of a department not named', listUpheld, { action: 'confirm-measure-ended', department: 'tax-bureau' }, 'objection-review/unknown-party'],
    ['end a measure twice', measureEnded, { action: 'confirm-measure-ended', department: 'market-regulation' }, 'objection-review/already-done'],
    // kernel rules
    ['mark a closed case', rejected, { action: 'mark-disputed' }, 'case-closed'],
    ['resume on a closed case', rejected, { action: 'resume' }, 'case-closed'],
    ['refer a closed case', rejected, { action: 'refer', competentUnit: 'tax-bureau' }, 'case-closed'],
    ['occurredAt in the future', marked, { action: 'suspend', reason: 'testing', occurredAt: at('12:01') }, 'action-time'],
    ['occurredAt before the previous step', marked, { action: 'suspend', reason: 'testing', occurredAt: at('08:59') }, 'action-time'],
    ['occurredAt before the objection was received', () => file(), { action: 'mark-disputed', occurredAt: sh('2026-09-28') }, 'action-time'],
    ['suspend the Art. 35 decision for inspection (Art. 35 provides none)', onList, { action: 'suspend', reason: 'inspection' }, 'suspension-not-provided'],
    ['suspend for a reason the law does not list', marked, { action: 'suspend', reason: 'staff-shortage' }, 'suspension-not-provided'],
    ['suspend after the decision (no clock honours testing any more)', upheld, { action: 'suspend', reason: 'testing' }, 'suspension-not-provided'],
    ['suspend twice', suspended, { action: 'suspend', reason: 'inspection' }, 'already-suspended'],
    ['resume a running clock', marked, { action: 'resume' }, 'not-suspended'],
    ['extend the decision deadline', marked, { action: 'extend', deadlineKey: 'decision', workingDays: 2, reason: 'workload' }, 'extension-not-allowed'],
  ];

  const ruleBasis = (id: string) => [...Object.values(def.rules), ...Object.values(KERNEL_RULES)].find((r) => r.id === id)?.basis;

  it.each(rows.map(([label, build, body, rule]) => ({ label, build, body, rule })))('$label → $rule', ({ build, body, rule }) => {
    const c = build();
    const before = JSON.stringify(c);
    const refusal = refusalOf(c, body, NOW);
    expect(english(refusal)).toEqual({ rule, basis: expect.any(String), message: expect.any(String) });
    // extension-not-allowed cites the definition's own basis after the kernel rule.
    if (rule === 'extension-not-allowed') expect(refusal!.basis).toBe(`docs/time-rules.md#extension; ${def.extensions.basis}`);
    else expect(refusal!.basis).toBe(ruleBasis(rule));
    expect(JSON.stringify(c)).toBe(before);
  });

  const MESSAGES: Record<string, string> = {
    'mark twice': 'the record was already marked as disputed at 2026-09-30 09:00 (Beijing time)',
    'mark an Art. 35 objection as disputed': 'the Art. 35 re-examination has no separate dispute mark',
    'refer after an upheld decision': 'a decided objection cannot be referred',
    'request assistance on an Art. 35 objection': 'assisted verification is not available for an Art. 35 objection',
    'request assistance after the decision': 'the objection is already decided',
    'ask the same unit twice': 'unit tax-bureau was already asked to verify',
    'name the same unit twice in one request': 'unit u1 was already asked to verify',
    'ask a 21st assisting unit': 'at most 20 assisting units per objection',
    'receipt by a unit that was not asked': 'unit u9 was not asked to verify',
    'receipt recorded twice': 'unit tax-bureau received the notice at 2026-09-30 10:30 (Beijing time)',
    'reply from a unit that was not asked': 'unit u9 was not asked to verify',
    'reply recorded twice': 'unit tax-bureau already replied at 2026-09-30 10:30 (Beijing time)',
    'decide before the record is marked': 'mark the record as disputed first',
    'decide twice': 'the objection was already decided (upheld)',
    'decide while the clock is suspended': 'resume the clock before deciding',
    'reject without reasons': 'a rejection must state its reasons',
    'reject and send corrections': 'downstream systems and departments receive a correction, so they belong only to an upheld decision',
    'reject an Art. 35 objection and end measures': 'downstream systems and departments receive a correction, so they belong only to an upheld decision',
    'uphold an Art. 39 objection with departments': 'punitive measures end only for an upheld Art. 35 objection',
    'uphold an Art. 35 objection with downstream systems': 'an Art. 35 decision ends punitive measures (departments), not a record correction',
    'correct the record before a decision': 'no upheld Art. 39 objection to correct',
    'correct the record of an Art. 35 objection': 'no upheld Art. 39 objection to correct',
    'correct the record twice': 'the record was corrected at 2026-09-30 11:10 (Beijing time)',
    'correct the record without evidence': 'attach the evidence of the correction (evidenceRef)',
    'notify the applicant before a decision': 'the applicant of a rejected objection is told the reasons with the decision',
    'notify the applicant twice': 'the applicant was notified at 2026-09-30 11:10 (Beijing time)',
    'notify the applicant without evidence': 'attach the evidence of the notification (evidenceRef)',
    'notify an Art. 35 applicant without evidence': 'attach the evidence of the notification (evidenceRef)',
    'send a correction for an Art. 35 objection': 'no upheld Art. 39 objection to correct',
    'send the correction to the same system again': 'the correction was already sent to credit-china',
    'send the correction to a 51st system': 'at most 50 downstream systems per objection',
    'correction receipt by a system not sent to': 'the correction was not sent to some-portal',
    'correction receipt recorded twice': 'credit-china received the correction at 2026-09-30 11:10 (Beijing time)',
    'confirm a correction before any decision': 'no upheld decision to correct',
    'confirm a correction for an unknown system': 'the correction was not sent to some-portal',
    'confirm a correction twice': 'credit-china already confirmed at 2026-09-30 11:10 (Beijing time)',
    'end a measure on an Art. 39 objection': 'punitive measures end only for an upheld Art. 35 objection',
    'end a measure before the Art. 35 decision': 'punitive measures end only for an upheld Art. 35 objection',
    'end a measure of a department not named': 'tax-bureau was not asked to end a punitive measure',
    'end a measure twice': 'market-regulation already confirmed at 2026-09-30 11:10 (Beijing time)',
  };

  it.each(rows.filter(([label]) => label in MESSAGES).map(([label, build, body]) => ({ label, build, body })))('$label: the message says why', ({ label, build, body }) => {
    expect(english(refusalOf(build(), body, NOW))!.message).toBe(MESSAGES[label]);
  });

  it('every refusal of a definition rule has its message pinned', () => {
    expect(rows.filter(([, , , rule]) => rule.startsWith('objection-review/')).map(([label]) => label).filter((label) => !(label in MESSAGES))).toEqual([]);
  });

  it('the party limits: the 20th assisting unit and the 50th system are accepted', () => {
    expect(refusalOf(act(marked(), { action: 'request-assistance', units: units(19) }, at('10:00')), { action: 'request-assistance', units: [{ unitId: 'u20' }] }, NOW)).toBeNull();
    const fortyNine = act(marked(), { action: 'decide', outcome: 'upheld', downstreamSystems: systems(49) }, at('11:00'));
    expect(refusalOf(fortyNine, { action: 'send-correction', systems: ['system-50'] }, NOW)).toBeNull();
    expect(refusalOf(fortyNine, { action: 'send-correction', systems: ['system-50', 'system-51'] }, NOW)).toMatchObject({ rule: 'objection-review/too-many-parties' });
  });

  it('covers every rule of the definition', () => {
    const kernelHere = ['case-closed', 'action-time', 'suspension-not-provided', 'already-suspended', 'not-suspended', 'extension-not-allowed'];
    expect(new Set(rows.map((r) => r[3]))).toEqual(new Set([...Object.values(def.rules).map((r) => r.id), ...kernelHere]));
    // The remaining kernel rules need a definition with extensions and a window (below) or an authenticated actor
    // (tests/unit/kernel-supervision.spec.ts).
    const underTestDefinition = ['extension-after-deadline', 'unknown-deadline', 'window-closed', 'action-not-in-state'];
    const withActorsAndRequests = ['extension-too-long', 'no-extension-request', 'extension-request-pending', 'extension-needs-supervisor', 'not-a-party'];
    expect(new Set([...kernelHere, ...underTestDefinition, ...withActorsAndRequests])).toEqual(new Set(Object.values(KERNEL_RULES).map((r) => r.id)));
  });

  it('says why a suspension is not provided', () => {
    expect(refusalOf(onList(), { action: 'suspend', reason: 'inspection' }, NOW)!.message).toBe('no running clock of this case is suspended for inspection');
    expect(refusalOf(marked(), { action: 'suspend', reason: 'staff-shortage' }, NOW)!.message).toBe(
      'staff-shortage is not a suspension reason of objection-review (inspection, testing, quarantine, appraisal, expert-review)',
    );
  });

  it('allows the same actions when the law allows them', () => {
    expect(refusalOf(marked(), { action: 'decide', outcome: 'rejected', reasons: 'matches the judgment' }, NOW)).toBeNull();
    expect(refusalOf(onList(), { action: 'decide', outcome: 'upheld', departments: ['tax-bureau'] }, NOW)).toBeNull();
    expect(refusalOf(suspended(), { action: 'resume' }, NOW)).toBeNull();
    expect(refusalOf(marked(), { action: 'suspend', reason: 'expert-review', occurredAt: MARKED }, NOW)).toBeNull();
    expect(refusalOf(file(), { action: 'refer', competentUnit: 'tax-bureau' }, NOW)).toBeNull();
    expect(refusalOf(upheld(), { action: 'correct-record', evidenceRef: 'e' }, NOW)).toBeNull();
    expect(refusalOf(suspended(), { action: 'mark-disputed' }, NOW)).toMatchObject({ rule: 'objection-review/already-done' });
    expect(refusalOf(act(file(), { action: 'suspend', reason: 'testing' }, at('10:00')), { action: 'mark-disputed' }, NOW)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('kernel rules under a definition with extensions and a window', () => {
  const testAction = defineAction<Record<string, never>>();
  const windowed = defineProcedure<Record<string, never>, Record<string, never>>()({
    procedure: 'kernel-test',
    version: 1,
    title: 'Kernel test',
    titleZh: '测试',
    basis: ['test'],
    validFrom: '2022-07-01',
    variants: { standard: { label: 'Standard', labelZh: '测试', basis: 'test' } },
    defaultVariant: 'standard',
    filing: z.object({}).strict(),
    clocks: {
      answer: {
        label: 'Answer',
        labelZh: '答复',
        basis: 'test: 3 working days',
        kind: 'legal',
        period: { workingDays: 3 },
        extension: { basis: 'test: up to 5 working days', maxWorkingDays: 5 },
      },
      window: { label: 'Submission window', labelZh: '提交期限', basis: 'test: a 5-day window', kind: 'window', period: { days: 5 }, onDue: 'closeWindow' },
    },
    actions: {
      submit: testAction({
        label: 'Submit within the window',
        labelZh: '测试',
        basis: 'test',
        schema: z.object({}).strict(),
        within: 'window',
        apply: (k) => k.event('submitted'),
      }),
      archive: testAction({ label: 'An action no state lists', labelZh: '测试', basis: 'test', schema: z.object({}).strict(), apply: (k) => k.event('archived') }),
    },
    steps: { closeWindow: (k) => k.event('window.closed') },
    states: { open: { label: 'Open', labelZh: '办理中', actions: ['submit'] } },
    rules: {},
    suspensionReasons: [],
    escalation: DEFAULT_ESCALATION,
    extensions: { allowed: true, basis: 'test: extensions allowed' },
    initialState: 'open',
    file(k) {
      k.start('answer');
      k.start('window');
      return {};
    },
  });

  const fileWindowed = () =>
    fileKernelCase<Record<string, never>>(windowed, calendar, {
      caseId: 'w-1',
      idempotencyKey: 'w-1',
      procedure: windowed.procedure,
      definitionVersion: 1,
      variant: 'standard',
      unitId: 'unit',
      subject: { kind: 'organisation', name: 'Co', idNumber: '91350100M000100Y43' },
      receivedAt: RECEIVED,
      filedAt: RECEIVED,
      actor: 'caseworker-1',
      filing: {},
    });
  const refuse = (c: KernelCase<unknown>, body: Record<string, unknown>, now: string) => {
    const parsed = parseKernelAction(windowed, body);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problem));
    return refusalForAction(windowed, c, parsed.value, now);
  };

  it('the test clocks: answer due 10-09 (3 working days), the 5-calendar-day window ends on a holiday and rolls to 10-08', () => {
    const c = fileWindowed();
    expect(c.deadlines.find((d) => d.key === 'answer')).toMatchObject({ dueDate: '2026-10-09', dueAt: endOf('2026-10-09') });
    // Calendar days: 09-30 .. 10-04, a holiday (Civil Code Art. 203: the end rolls forward to the next working day, 10-08).
    expect(c.deadlines.find((d) => d.key === 'window')!.dueDate).toBe('2026-10-08');
  });

  type Row = [label: string, body: Record<string, unknown>, now: string, rule: string];
  const rows: Row[] = [
    ['extend after the deadline passed', { action: 'extend', deadlineKey: 'answer', workingDays: 2, reason: 'late' }, endOf('2026-10-09'), 'extension-after-deadline'],
    ['extend a deadline the case does not have', { action: 'extend', deadlineKey: 'nope', workingDays: 2, reason: 'x' }, sh('2026-09-30'), 'unknown-deadline'],
    ['submit after the window closed', { action: 'submit' }, endOf('2026-10-08'), 'window-closed'],
    ['an action the state graph does not list for the state', { action: 'archive' }, sh('2026-09-30'), 'action-not-in-state'],
  ];
  it.each(rows.map(([label, body, now, rule]) => ({ label, body, now, rule })))('$label → $rule', ({ body, now, rule }) => {
    const refusal = refuse(fileWindowed(), body, now);
    expect(english(refusal)).toEqual({ rule, basis: expect.any(String), message: expect.any(String) });
  });

  it('window-closed cites the window clock and the extension refusals cite the kernel rules', () => {
    expect(english(refuse(fileWindowed(), { action: 'submit' }, endOf('2026-10-08')))).toEqual({
      rule: 'window-closed',
      basis: 'test: a 5-day window',
      message: 'the submission window ran until the end of 2026-10-08 (Beijing time)',
    });
    expect(refuse(fileWindowed(), { action: 'extend', deadlineKey: 'nope', workingDays: 2, reason: 'x' }, sh('2026-09-30'))!.basis).toBe(KERNEL_RULES.unknownDeadline.basis);
  });

  it('accepts the same actions in time: an extension moves the answer from 10-09 to 10-12', () => {
    const c = fileWindowed();
    expect(refuse(c, { action: 'submit' }, sh('2026-10-08', '15:00'))).toBeNull();
    const body = { action: 'extend', deadlineKey: 'answer', workingDays: 2, reason: 'complex case' };
    expect(refuse(c, body, sh('2026-10-09', '15:00'))).toBeNull();
    const parsed = parseKernelAction(windowed, body);
    if (!parsed.ok) throw new Error('parse');
    applyKernelAction(windowed, calendar, c, parsed.value, sh('2026-10-09', '15:00'));
    // 10-09 + 2 working days: 10-10 (make-up Saturday), 10-12.
    expect(c.deadlines.find((d) => d.key === 'answer')).toMatchObject({ dueDate: '2026-10-12', previous: [expect.objectContaining({ dueDate: '2026-10-09' })] });
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('legal table: dated due dates (Art. 39, Art. 35 ¶2)', () => {
  type Row = [label: string, build: () => Case, key: string, dueDate: string];
  const rows: Row[] = [
    ['received Tue 09-29: mark within 1 working day', () => file(), 'mark-disputed', '2026-09-30'],
    ['received Tue 09-29: decide within 3 working days (National Day skipped)', () => file(), 'decision', '2026-10-09'],
    ['received Wed 09-30: mark on the first working day after National Day', () => file('standard', sh('2026-09-30')), 'mark-disputed', '2026-10-08'],
    ['received Wed 09-30: decision due on the make-up Saturday', () => file('standard', sh('2026-09-30')), 'decision', '2026-10-10'],
    ['Art. 35 objection received Tue 09-29: re-examination within 3 working days', () => file('serious-dishonesty-list'), 'decision', '2026-10-09'],
    [
      'assistance asked Wed 09-30: 7 working days from the receipt of the objection',
      () => act(marked(), { action: 'request-assistance', units: [{ unitId: 'tax-bureau' }] }, sh('2026-09-30', '10:00')),
      'decision',
      '2026-10-14',
    ],
    [
      'assistance asked Mon 10-12, after the 3-day period: still 7 working days from receipt',
      () => act(marked(), { action: 'request-assistance', units: [{ unitId: 'tax-bureau' }] }, sh('2026-10-12')),
      'decision',
      '2026-10-14',
    ],
    [
      'notice sent Thu 10-08, received Sat 10-10: reply within 2 working days of receipt',
      () =>
        act(
          act(marked(), { action: 'request-assistance', units: [{ unitId: 'tax-bureau' }] }, sh('2026-10-08')),
          { action: 'record-notice-receipt', unitId: 'tax-bureau', occurredAt: sh('2026-10-10') },
          sh('2026-10-10', '11:00'),
        ),
      'assistance-reply:tax-bureau',
      '2026-10-13',
    ],
    [
      'correction sent Thu 10-08, received Mon 10-12: processed within 3 working days of receipt',
      () =>
        act(
          act(marked(), { action: 'decide', outcome: 'upheld', downstreamSystems: ['credit-china'] }, sh('2026-10-08', '15:00')),
          { action: 'record-correction-receipt', system: 'credit-china', occurredAt: sh('2026-10-12', '09:00') },
          sh('2026-10-12'),
        ),
      'correction:credit-china',
      '2026-10-15',
    ],
    [
      'suspended for testing Thu 10-08 to Mon 10-12: 10-08..10-10 not counted',
      () => act(act(marked(), { action: 'suspend', reason: 'testing' }, sh('2026-10-08')), { action: 'resume' }, sh('2026-10-12', '09:00')),
      'decision',
      '2026-10-13',
    ],
    ['referral on Fri 10-09: measured from receipt of the objection', () => act(marked(), { action: 'refer', competentUnit: 'tax-bureau' }, sh('2026-10-09')), 'referral', '2026-10-09'],
  ];

  it.each(rows.map(([label, build, key, due]) => ({ label, build, key, due })))('$label → $key due $due', ({ build, key, due }) => {
    const d = deadline(build(), key);
    expect(d.dueDate).toBe(due);
    expect(d.dueAt).toBe(endOf(due));
    expect(d.provisional).toBe(false);
    expect(d.calendarVersion).toBe('cn-official-2004-2026.1');
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('filing a standard objection (received Tue 2026-09-29 10:00 Shanghai)', () => {
  const c = file();

  it('starts the mark and the 3-day decision clocks, both legal, owned by the unit', () => {
    expect(c.state).toBe('received');
    expect(c.receivedAt).toBe('2026-09-29T02:00:00.000Z');
    expect(c.data).toMatchObject({ grounds: ['error'], reasons: 'the fine was paid', assistance: [], corrections: [], measures: [] });
    expect(c.deadlines.map((d) => [d.key, d.clock, d.kind, d.owner, d.status])).toEqual([
      ['mark-disputed', 'mark-disputed', 'legal', 'unit-credit-office', 'running'],
      ['decision', 'decision', 'legal', 'unit-credit-office', 'running'],
    ]);
    expect(deadline(c, 'mark-disputed')).toMatchObject({ dueDate: '2026-09-30', yellowAt: endOf('2026-09-29'), suspensionReasons: [] });
    expect(deadline(c, 'decision')).toMatchObject({ dueDate: '2026-10-09', yellowAt: endOf('2026-10-08'), suspendable: true });
    expect(deadline(c, 'decision').basis).toContain('三个工作日');
  });

  it('explains the decision date: 09-30, 10-08, 10-09 counted, the seven National Day holidays skipped by name', () => {
    const e = deadline(c, 'decision').explanation;
    expect(e.countedDays).toEqual(['2026-09-30', '2026-10-08', '2026-10-09']);
    expect(e.skippedDays).toEqual(
      ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'].map((date) => ({ date, reason: 'holiday', name: NATIONAL_DAY })),
    );
    expect(e.makeupWorkdaysCounted).toEqual([]);
  });

  it('received Wed 09-30: the make-up Saturday 10-10 is counted as the third working day', () => {
    const e = deadline(file('standard', sh('2026-09-30')), 'decision').explanation;
    expect(e.countedDays).toEqual(['2026-10-08', '2026-10-09', '2026-10-10']);
    expect(e.makeupWorkdaysCounted).toEqual([{ date: '2026-10-10', name: NATIONAL_DAY_MAKEUP }]);
  });

  it('an unmarked record goes red at the end of 09-30 (only the latest step fires)', () => {
    const x = file();
    expect(nextKernelWakeUp(x, RECEIVED)).toBe(endOf('2026-09-29'));
    expect(processDue(def, calendar, x, endOf('2026-09-30'))).toBe(true);
    expect(x.escalations).toEqual([
      { deadlineKey: 'mark-disputed', level: 'red', dueAt: endOf('2026-09-30'), firedAt: endOf('2026-09-30'), owner: 'unit-credit-office' },
    ]);
    expect(deadline(x, 'mark-disputed').status).toBe('overdue');
    // Marked late: met-late, the red stays.
    act(x, { action: 'mark-disputed' }, sh('2026-10-08', '09:00'));
    expect(deadline(x, 'mark-disputed')).toMatchObject({ status: 'met-late', completedAt: sh('2026-10-08', '09:00') });
    expect(x.escalations.map((e) => e.level)).toEqual(['red']);
  });
});

describe('assisted verification (Art. 39 ¶2)', () => {
  it('7 working days from the receipt of the objection, counting the make-up Saturday; the 3-day value stays in previous', () => {
    const c = act(marked(), { action: 'request-assistance', units: [{ unitId: 'tax-bureau', name: 'Tax bureau' }] }, sh('2026-09-30', '10:00'));
    const d = deadline(c, 'decision');
    expect(d).toMatchObject({ period: { workingDays: 7 }, startAt: RECEIVED, dueDate: '2026-10-14', status: 'running' });
    expect(d.basis).toContain('七个工作日');
    expect(d.explanation.countedDays).toEqual(['2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12', '2026-10-13', '2026-10-14']);
    expect(d.explanation.makeupWorkdaysCounted).toEqual([{ date: '2026-10-10', name: NATIONAL_DAY_MAKEUP }]);
    expect(d.explanation.skippedDays.filter((s) => s.reason === 'weekend').map((s) => s.date)).toEqual(['2026-10-11']);
    expect(d.previous).toEqual([
      { dueDate: '2026-10-09', dueAt: endOf('2026-10-09'), calendarVersion: 'cn-official-2004-2026.1', changedAt: sh('2026-09-30', '10:00'), reason: expect.stringContaining('7-working-day') },
    ]);
    // No reply clock until the unit's receipt of the notice is known.
    expect(c.deadlines.map((x) => x.key)).toEqual(['mark-disputed', 'decision']);
    expect(c.data.assistance).toEqual([{ unitId: 'tax-bureau', name: 'Tax bureau', noticeSentAt: sh('2026-09-30', '10:00'), noticeReceivedAt: null, repliedAt: null, result: null }]);

    // A second request does not change the period again.
    act(c, { action: 'request-assistance', units: [{ unitId: 'court' }] }, sh('2026-09-30', '11:00'));
    expect(deadline(c, 'decision').previous).toHaveLength(1);
  });

  it('asked after the 3-day period: accepted, 7 working days from receipt, and the red of 10-09 stays recorded', () => {
    const c = marked();
    processDue(def, calendar, c, sh('2026-10-12', '09:00'));
    // Caught up at 09:00 of the second working day after 10-09 (the make-up Saturday 10-10 was the first): red and
    // the latest ladder step only.
    expect(c.escalations.map((e) => [e.level, e.dueAt, e.firedAt])).toEqual([
      ['red', endOf('2026-10-09'), sh('2026-10-12', '09:00')],
      ['overdue-2', endOf('2026-10-09'), sh('2026-10-12', '09:00')],
    ]);
    expect(deadline(c, 'decision').status).toBe('overdue');

    act(c, { action: 'request-assistance', units: [{ unitId: 'tax-bureau' }], occurredAt: sh('2026-10-12') }, sh('2026-10-12', '10:30'));
    expect(deadline(c, 'decision')).toMatchObject({ period: { workingDays: 7 }, startAt: RECEIVED, dueDate: '2026-10-14', dueAt: endOf('2026-10-14'), status: 'running' });
    expect(deadline(c, 'decision').previous[0]).toMatchObject({ dueDate: '2026-10-09', changedAt: sh('2026-10-12') });

    // The new due date escalates on its own (yellow at the close of 10-13); the old red stays.
    processDue(def, calendar, c, endOf('2026-10-13'));
    expect(c.escalations.map((e) => [e.level, e.dueAt])).toEqual([
      ['red', endOf('2026-10-09')],
      ['overdue-2', endOf('2026-10-09')],
      ['yellow', endOf('2026-10-14')],
    ]);
    act(c, { action: 'decide', outcome: 'rejected', reasons: 'the unit confirmed the record' }, sh('2026-10-14', '10:00'));
    expect(deadline(c, 'decision')).toMatchObject({ status: 'met', completedAt: sh('2026-10-14', '10:00') });
    expect(c.escalations.some((e) => e.deadlineKey === 'decision' && e.level === 'red' && e.dueAt === endOf('2026-10-09'))).toBe(true);
    expect(isKernelFinished(c, sh('2026-10-14', '10:00'))).toBe(true);
  });

  it("the assisting unit's reply clock runs from the recorded receipt (Sat 10-10), not the sending (Thu 10-08)", () => {
    const c = act(marked(), { action: 'request-assistance', units: [{ unitId: 'tax-bureau' }] }, sh('2026-10-08'));
    act(c, { action: 'record-notice-receipt', unitId: 'tax-bureau', occurredAt: sh('2026-10-10') }, sh('2026-10-10', '11:00'));
    const d = deadline(c, 'assistance-reply:tax-bureau');
    // From the sending it would have been 10-09, 10-10 → 10-10; from the receipt: 10-12, 10-13.
    expect(d).toMatchObject({ clock: 'assistance-reply', kind: 'legal', owner: 'tax-bureau', startAt: sh('2026-10-10'), dueDate: '2026-10-13', yellowAt: endOf('2026-10-12') });
    expect(d.explanation.countedDays).toEqual(['2026-10-12', '2026-10-13']);
    expect(c.data.assistance[0]).toMatchObject({ noticeSentAt: sh('2026-10-08'), noticeReceivedAt: sh('2026-10-10') });
    expect(c.events.at(-1)).toMatchObject({ type: 'assistance.notice-received', at: sh('2026-10-10'), data: { unitId: 'tax-bureau', recordedAt: sh('2026-10-10', '11:00') } });

    act(c, { action: 'record-assistance-reply', unitId: 'tax-bureau', result: 'arrears paid 2026-08-01' }, sh('2026-10-13', '15:00'));
    expect(deadline(c, 'assistance-reply:tax-bureau')).toMatchObject({ status: 'met', completedAt: sh('2026-10-13', '15:00') });
  });

  it('a reply without a recorded receipt proves the receipt and meets the clock at once', () => {
    const c = act(marked(), { action: 'request-assistance', units: [{ unitId: 'court' }] }, sh('2026-10-08'));
    act(c, { action: 'record-assistance-reply', unitId: 'court', result: 'no judgment found' }, sh('2026-10-12'));
    expect(deadline(c, 'assistance-reply:court')).toMatchObject({ startAt: sh('2026-10-12'), dueDate: '2026-10-14', status: 'met', owner: 'court' });
    expect(c.data.assistance[0]).toMatchObject({ noticeReceivedAt: sh('2026-10-12'), repliedAt: sh('2026-10-12'), result: 'no judgment found' });
  });

  it('an assisting unit that replies in time after the decision is recorded as met on the closed case', () => {
    const c = act(marked(), { action: 'request-assistance', units: [{ unitId: 'tax-bureau' }] }, sh('2026-09-30', '10:00'));
    act(c, { action: 'record-notice-receipt', unitId: 'tax-bureau' }, sh('2026-09-30', '11:00'));
    act(c, { action: 'decide', outcome: 'rejected', reasons: 'the register matches the penalty decision' }, sh('2026-09-30', '15:00'));
    act(c, { action: 'record-assistance-reply', unitId: 'tax-bureau', result: 'confirmed' }, sh('2026-10-08', '10:00'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'rejected' });
    expect(deadline(c, 'assistance-reply:tax-bureau')).toMatchObject({ status: 'met', completedAt: sh('2026-10-08', '10:00') });
    expect(isKernelFinished(c, sh('2026-10-08', '10:00'))).toBe(true);
  });

  it("the assisting unit's clock survives a rejection: red against that unit after the case is closed", () => {
    const c = act(marked(), { action: 'request-assistance', units: [{ unitId: 'tax-bureau' }] }, sh('2026-09-30', '10:00'));
    act(c, { action: 'record-notice-receipt', unitId: 'tax-bureau' }, sh('2026-09-30', '11:00'));
    // 2 working days from Wed 09-30: 10-08, 10-09.
    expect(deadline(c, 'assistance-reply:tax-bureau')).toMatchObject({ dueDate: '2026-10-09', owner: 'tax-bureau' });

    act(c, { action: 'decide', outcome: 'rejected', reasons: 'the register matches the penalty decision' }, sh('2026-09-30', '15:00'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'rejected', closedAt: sh('2026-09-30', '15:00') });
    expect(deadline(c, 'decision').status).toBe('met');
    expect(deadline(c, 'assistance-reply:tax-bureau').status).toBe('running');
    expect(isKernelFinished(c, sh('2026-09-30', '15:00'))).toBe(false);
    expect(nextKernelWakeUp(c, sh('2026-09-30', '15:00'))).toBe(endOf('2026-10-08'));

    processDue(def, calendar, c, sh('2026-10-10', '08:00'));
    expect(c.escalations).toEqual([
      { deadlineKey: 'assistance-reply:tax-bureau', level: 'red', dueAt: endOf('2026-10-09'), firedAt: sh('2026-10-10', '08:00'), owner: 'tax-bureau' },
    ]);
    expect(c.events.at(-1)).toMatchObject({
      type: 'deadline.red',
      actor: 'system',
      data: { deadlineKey: 'assistance-reply:tax-bureau', level: 'red', owner: 'tax-bureau', dueAt: endOf('2026-10-09') },
    });
    expect(deadline(c, 'assistance-reply:tax-bureau').status).toBe('overdue');
    expect(c.state).toBe('closed');
    // The ladder runs against the unit after the case closed: from 09:00 of the make-up Saturday 10-10 to the last
    // level on the 9th working day (10-21); then the case is finished with the breach on record.
    expect(isKernelFinished(c, sh('2026-10-10', '08:00'))).toBe(false);
    expect(nextKernelWakeUp(c, sh('2026-10-10', '08:00'))).toBe(sh('2026-10-10', '09:00'));
    processDue(def, calendar, c, sh('2026-10-21', '09:00'));
    // Woken only on the last day: the levels passed meanwhile still reach their supervisors, late, in order.
    expect(c.escalations.map((e) => [e.level, e.owner, e.levelsUp, e.late])).toEqual([
      ['red', 'tax-bureau', undefined, undefined],
      ['escalation-1', 'tax-bureau', 1, true],
      ['escalation-2', 'tax-bureau', 2, true],
      ['escalation-3', 'tax-bureau', 3, undefined],
    ]);
    expect(isKernelFinished(c, sh('2026-10-21', '09:00'))).toBe(true);
  });
});

describe('suspension for testing (Art. 39 ¶2)', () => {
  it('stops only the decision clock; on resume 10-08..10-10 are not counted and the decision moves to 10-13', () => {
    const c = act(marked(), { action: 'suspend', reason: 'testing', evidenceRef: 'lab-order-17' }, sh('2026-10-08'));
    expect(c.state).toBe('suspended');
    expect(deadline(c, 'decision')).toMatchObject({ status: 'suspended', dueDate: null, dueAt: null });
    expect(refusalOf(c, { action: 'decide', outcome: 'upheld' }, sh('2026-10-09'))).toMatchObject({ rule: 'objection-review/decide-while-suspended' });

    act(c, { action: 'resume' }, sh('2026-10-12', '09:00'));
    const d = deadline(c, 'decision');
    expect(d).toMatchObject({ status: 'running', dueDate: '2026-10-13', yellowAt: endOf('2026-10-12') });
    expect(d.explanation.suspensions[0].daysNotCounted).toEqual(['2026-10-08', '2026-10-09', '2026-10-10']);
    expect(d.explanation.skippedDays.filter((s) => s.reason === 'suspended').every((s) => s.name === 'testing')).toBe(true);
    expect(d.previous.map((p) => p.dueDate)).toEqual(['2026-10-09', null]);
    expect(c.state).toBe('under-review');
  });
});

describe('escalation follows the due instant', () => {
  const decisionCards = (c: Case) => c.escalations.filter((e) => e.deadlineKey === 'decision').map((e) => `${e.level}/${e.dueAt}`);

  it('a suspension that moves the decision after its yellow card gives the new due date its own yellow and red', () => {
    const c = marked();
    // Decision due Fri 10-09; yellow at the close of Thu 10-08.
    expect(deadline(c, 'decision').dueAt).toBe(endOf('2026-10-09'));
    processDue(def, calendar, c, sh('2026-10-09', '08:00'));
    expect(decisionCards(c)).toEqual([`yellow/${endOf('2026-10-09')}`]);

    act(c, { action: 'suspend', reason: 'appraisal' }, sh('2026-10-09', '09:00'));
    act(c, { action: 'resume' }, sh('2026-10-13', '09:00'));
    // 10-09, 10-10 (make-up Saturday) and 10-12 ended while suspended; 10-13 is the third counted day.
    expect(deadline(c, 'decision').dueDate).toBe('2026-10-13');
    processDue(def, calendar, c, sh('2026-10-13', '09:01'));
    expect(decisionCards(c)).toEqual([`yellow/${endOf('2026-10-09')}`, `yellow/${endOf('2026-10-13')}`]);
    processDue(def, calendar, c, sh('2026-10-13', '23:00'));
    expect(decisionCards(c)).toHaveLength(2);
    processDue(def, calendar, c, sh('2026-10-14', '00:00'));
    expect(decisionCards(c)).toEqual([`yellow/${endOf('2026-10-09')}`, `yellow/${endOf('2026-10-13')}`, `red/${endOf('2026-10-13')}`]);
  });
});

describe('late entry of steps (occurredAt)', () => {
  it('records the steps of a late-entered case at the times they happened, before the filing', () => {
    const c = fileKernelCase<ObjectionData>(def, calendar, {
      caseId: 'c-late',
      idempotencyKey: 'k-late',
      procedure: def.procedure,
      definitionVersion: def.version,
      variant: 'standard',
      unitId: 'unit-credit-office',
      subject: { kind: 'organisation', name: 'Harbin Example Trading Co.', idNumber: '91230100MA1BXXXX0X' },
      receivedAt: RECEIVED,
      filedAt: sh('2026-10-20'),
      actor: 'caseworker-1',
      filing: def.filing.parse({ grounds: ['error'], reasons: 'the fine was paid' }),
    });
    act(c, { action: 'mark-disputed', occurredAt: sh('2026-09-30', '09:00') }, sh('2026-10-20', '11:00'));
    // Done in time, recorded after the due instant: met-recorded-late (README, "People, access and supervision").
    expect(deadline(c, 'mark-disputed')).toMatchObject({ status: 'met-recorded-late', completedAt: sh('2026-09-30', '09:00') });
    expect(c.events.at(-1)).toMatchObject({ type: 'record.marked-disputed', at: sh('2026-09-30', '09:00'), recordedAt: sh('2026-10-20', '11:00') });
  });
});

describe('decisions and what follows them (Art. 39 ¶3)', () => {
  it('upheld: closes only after the record is corrected (with evidence), the applicant notified and every system confirmed', () => {
    const c = marked();
    const decidedAt = sh('2026-10-08', '15:00');
    act(c, { action: 'decide', outcome: 'upheld', downstreamSystems: ['credit-china', 'hlj-credit-portal', 'credit-china'] }, decidedAt);
    expect(c).toMatchObject({ state: 'correcting', outcome: null, closedAt: null });
    expect(c.data.decision).toEqual({ outcome: 'upheld', reasons: null, at: decidedAt });
    expect(c.data.corrections.map((x) => x.name)).toEqual(['credit-china', 'hlj-credit-portal']);
    expect(deadline(c, 'decision')).toMatchObject({ status: 'met', completedAt: decidedAt });
    expect(c.events.at(-1)).toMatchObject({
      type: 'decision.upheld',
      data: { effects: ['correct the record', 'send the correction to every system that received the information', 'notify the applicant'] },
    });
    expect(c.creditEffects).toEqual([]);

    expect(refusalOf(c, { action: 'correct-record' }, sh('2026-10-09'))).toMatchObject({ rule: 'objection-review/evidence-required' });
    act(c, { action: 'correct-record', evidenceRef: 'register-diff-1' }, sh('2026-10-09'));
    act(c, { action: 'notify-applicant', evidenceRef: 'letter-1', channel: 'post' }, sh('2026-10-09', '11:00'));
    act(c, { action: 'confirm-correction', system: 'credit-china' }, sh('2026-10-09', '12:00'));
    expect(c.state).toBe('correcting');
    expect(isKernelFinished(c, sh('2026-10-09', '12:00'))).toBe(false);

    act(c, { action: 'confirm-correction', system: 'hlj-credit-portal' }, sh('2026-10-12', '16:00'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'upheld', closedAt: sh('2026-10-12', '16:00') });
    expect(c.data.recordCorrected).toEqual({ at: sh('2026-10-09'), evidenceRef: 'register-diff-1' });
    expect(c.data.applicantNotified).toEqual({ at: sh('2026-10-09', '11:00'), evidenceRef: 'letter-1', channel: 'post' });
    expect(isKernelFinished(c, sh('2026-10-12', '16:00'))).toBe(true);
  });

  it('upheld: the notification last closes the case', () => {
    const c = act(marked(), { action: 'decide', outcome: 'upheld' }, sh('2026-10-08'));
    act(c, { action: 'correct-record', evidenceRef: 'e' }, sh('2026-10-08', '11:00'));
    expect(c.state).toBe('correcting');
    act(c, { action: 'notify-applicant', evidenceRef: 'n' }, sh('2026-10-08', '12:00'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'upheld' });
  });

  it('correction clock from the recorded receipt; a system added after the decision gets its clock from its own receipt', () => {
    const c = act(marked(), { action: 'decide', outcome: 'upheld', downstreamSystems: ['credit-china'] }, sh('2026-10-08', '15:00'));
    expect(c.deadlines.some((d) => d.clock === 'correction')).toBe(false);
    act(c, { action: 'record-correction-receipt', system: 'credit-china', occurredAt: sh('2026-10-12', '09:00') }, sh('2026-10-12'));
    // From the decision it would have been 10-09, 10-10, 10-12; from the receipt: 10-13, 10-14, 10-15.
    expect(deadline(c, 'correction:credit-china')).toMatchObject({ kind: 'legal', owner: 'credit-china', startAt: sh('2026-10-12', '09:00'), dueDate: '2026-10-15', status: 'running' });

    act(c, { action: 'send-correction', systems: ['hlj-credit-portal'] }, sh('2026-10-12', '10:30'));
    expect(c.data.corrections[1]).toEqual({ name: 'hlj-credit-portal', sentAt: sh('2026-10-12', '10:30'), receivedAt: null, confirmedAt: null });
    expect(c.events.at(-1)).toMatchObject({ type: 'correction.sent', data: { systems: ['hlj-credit-portal'] } });
    // The confirmation proves the receipt: 3 working days from Tue 10-13 → 10-16, met at once.
    act(c, { action: 'confirm-correction', system: 'hlj-credit-portal' }, sh('2026-10-13'));
    expect(deadline(c, 'correction:hlj-credit-portal')).toMatchObject({ startAt: sh('2026-10-13'), dueDate: '2026-10-16', status: 'met', owner: 'hlj-credit-portal' });

    // credit-china confirms late: met-late after its red.
    processDue(def, calendar, c, sh('2026-10-16', '08:00'));
    expect(c.escalations.map((e) => [e.deadlineKey, e.level])).toEqual([['correction:credit-china', 'red']]);
    act(c, { action: 'confirm-correction', system: 'credit-china' }, sh('2026-10-16', '08:30'));
    expect(deadline(c, 'correction:credit-china').status).toBe('met-late');
  });

  it('rejected: closed at once with the reasons; nothing left to escalate', () => {
    const reasons = 'the penalty decision was confirmed on appeal';
    const c = act(marked(), { action: 'decide', outcome: 'rejected', reasons }, sh('2026-10-08'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'rejected', closedAt: sh('2026-10-08') });
    expect(c.events.at(-1)).toMatchObject({ type: 'decision.rejected', reason: reasons, data: { effects: ['notify the applicant with reasons'] } });
    expect(isKernelFinished(c, sh('2026-10-08'))).toBe(true);
  });
});

describe('referral (promised period, Art. 39 ¶2 sets none)', () => {
  it.each([
    ['Fri 10-09, within the promised 3 working days → met', sh('2026-10-09'), 'met'],
    ['Mon 10-12, after them → met-late (a warning, not a breach)', sh('2026-10-12'), 'met-late'],
  ])('referred %s', (_label, when, status) => {
    const c = act(marked(), { action: 'refer', competentUnit: 'market-regulation-bureau' }, when);
    expect(c).toMatchObject({ state: 'closed', outcome: 'referred', closedAt: when });
    expect(c.data.referral).toEqual({ competentUnit: 'market-regulation-bureau', at: when });
    const d = deadline(c, 'referral');
    expect(d).toMatchObject({ kind: 'promised', startAt: RECEIVED, dueDate: '2026-10-09', completedAt: when, status });
    expect(d.basis).toContain('local policy');
    // Referring disposes of the objection: the decision clock is met or met late, never erased.
    expect(deadline(c, 'decision').status).toBe(status);
    expect(isKernelFinished(c, when)).toBe(true);
  });
});

describe('serious-dishonesty-list variant (Art. 35 ¶2)', () => {
  it('one unsuspendable 3-working-day decision clock, no mark', () => {
    const c = file('serious-dishonesty-list');
    expect(c.deadlines.map((d) => [d.key, d.clock])).toEqual([['decision', 'decision-art35']]);
    expect(deadline(c, 'decision')).toMatchObject({ period: { workingDays: 3 }, dueDate: '2026-10-09', suspendable: false, suspensionReasons: [] });
    expect(deadline(c, 'decision').basis).toContain('Art. 35');
  });

  it('suspend refused; upheld with departments: listing ended, closes only after every measure ended and the applicant notified', () => {
    const c = file('serious-dishonesty-list');
    expect(refusalOf(c, { action: 'suspend', reason: 'appraisal' }, sh('2026-09-30'))).toMatchObject({ rule: 'suspension-not-provided' });

    const decidedAt = sh('2026-10-08');
    act(c, { action: 'decide', outcome: 'upheld', departments: ['market-regulation', 'tax-bureau'] }, decidedAt);
    expect(c.state).toBe('correcting');
    expect(deadline(c, 'decision')).toMatchObject({ status: 'met', completedAt: decidedAt });
    // Version 2 named no listing, so this record ends none (the defect version 3 corrects: tests/unit/cross-case-procedures.spec.ts).
    expect(c.creditEffects).toEqual([{ seq: 1, kind: 'listing-ended', at: decidedAt, until: null, data: { unnamed: 'objection-review-v2', reason: 'objection upheld (Art. 35 ¶2)' } }]);
    expect(c.events.at(-1)).toMatchObject({
      type: 'decision.upheld',
      data: { effects: expect.arrayContaining(['remove the subject from the serious-dishonesty list']), departments: ['market-regulation', 'tax-bureau'] },
    });

    act(c, { action: 'confirm-measure-ended', department: 'market-regulation' }, sh('2026-10-08', '11:00'));
    act(c, { action: 'notify-applicant', evidenceRef: 'letter-2' }, sh('2026-10-08', '12:00'));
    expect(c.state).toBe('correcting');
    act(c, { action: 'confirm-measure-ended', department: 'tax-bureau' }, sh('2026-10-09'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'upheld', closedAt: sh('2026-10-09') });
    expect(c.data.measures.every((m) => m.confirmedAt && m.receivedAt)).toBe(true);
    expect(c.data.markedAt).toBeNull();
    expect(isKernelFinished(c, sh('2026-10-09'))).toBe(true);
  });

  it('rejected: closed, no credit effect', () => {
    const c = act(file('serious-dishonesty-list'), { action: 'decide', outcome: 'rejected', reasons: 'the judgment stands' }, sh('2026-10-08'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'rejected', creditEffects: [] });
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('what each step records and the event it emits', () => {
  const at = (time: string) => sh('2026-09-30', time);
  const eventsSince = (c: Case, from: number) => c.events.slice(from).map((e) => [e.type, e.data]);
  const upheld = (downstreamSystems?: string[]) => act(marked(), { action: 'decide', outcome: 'upheld', ...(downstreamSystems ? { downstreamSystems } : {}) }, at('11:00'));

  it('filed: the grounds and reasons of the filing, nothing else yet; absent, recorded as not stated', () => {
    const c = file();
    expect(c.data).toEqual({
      grounds: ['error'],
      reasons: 'the fine was paid',
      markedAt: null,
      referral: null,
      assistance: [],
      decision: null,
      recordCorrected: null,
      applicantNotified: null,
      corrections: [],
      measures: [],
    });
    expect(c.deadlines.map((d) => [d.key, d.startEvent])).toEqual([
      ['mark-disputed', 'objection received'],
      ['decision', 'objection received'],
    ]);
    expect(file('serious-dishonesty-list').deadlines.map((d) => [d.key, d.startEvent])).toEqual([['decision', 'objection received']]);
    expect(file('standard', RECEIVED, {}).data).toMatchObject({ grounds: [], reasons: null });
  });

  it.each([
    [['error', 'omission', 'overdue-publication', 'infringement'], true],
    [['error', 'omission', 'overdue-publication', 'infringement', 'error'], false],
    [[], false],
  ])('filing grounds %j accepted: %s', (grounds, ok) => {
    expect(def.filing.safeParse({ grounds }).success).toBe(ok);
  });

  it('mark-disputed: the time and an event with no data', () => {
    const c = file();
    act(c, { action: 'mark-disputed' }, MARKED);
    expect(c.data.markedAt).toBe(MARKED);
    expect(eventsSince(c, 1)).toEqual([['record.marked-disputed', {}]]);
  });

  it('refer: the other open clocks are cancelled, an assisting unit keeps its own', () => {
    const c = act(marked(), { action: 'request-assistance', units: [{ unitId: 'tax' }] }, at('10:00'));
    act(c, { action: 'record-notice-receipt', unitId: 'tax' }, at('10:30'));
    const from = c.events.length;
    act(c, { action: 'refer', competentUnit: 'tax-bureau' }, at('11:00'));
    expect(c.deadlines.map((d) => [d.key, d.status])).toEqual([
      ['mark-disputed', 'met'],
      ['decision', 'met'],
      ['assistance-reply:tax', 'running'],
      ['referral', 'met'],
    ]);
    expect(deadline(c, 'referral').startEvent).toBe('objection received');
    expect(eventsSince(c, from)[0]).toEqual(['case.referred', { competentUnit: 'tax-bureau' }]);
  });

  it('request-assistance: each unit recorded, a party; the 7-day regime replaces the 3-day period once, with its reason', () => {
    const c = marked();
    const from = c.events.length;
    act(c, { action: 'request-assistance', units: [{ unitId: 'tax', name: '市税务局' }, { unitId: 'court' }] }, at('10:00'));
    expect(c.data.assistance).toEqual([
      { unitId: 'tax', name: '市税务局', noticeSentAt: at('10:00'), noticeReceivedAt: null, repliedAt: null, result: null },
      { unitId: 'court', noticeSentAt: at('10:00'), noticeReceivedAt: null, repliedAt: null, result: null },
    ]);
    expect(c.parties).toEqual(['tax', 'court']);
    expect(eventsSince(c, from)).toEqual([['assistance.requested', { units: [{ unitId: 'tax', name: '市税务局' }, { unitId: 'court' }] }]]);
    expect(deadline(c, 'decision')).toMatchObject({ clock: 'decision', period: { workingDays: 7 } });
    expect(deadline(c, 'decision').previous.map((p) => p.reason)).toEqual(['assisted verification: the 7-working-day period replaces the 3-working-day period']);
    act(c, { action: 'request-assistance', units: [{ unitId: 'bank' }] }, at('10:10'));
    expect(deadline(c, 'decision').previous).toHaveLength(1);
    expect(c.state).toBe('under-review');
  });

  it('request-assistance from the received state moves the case under review', () => {
    const c = act(file(), { action: 'request-assistance', units: [{ unitId: 'tax' }] }, at('10:00'));
    expect(c.state).toBe('under-review');
  });

  it('record-notice-receipt: the receipt, and the unit’s own 2-day clock it owns', () => {
    const c = act(marked(), { action: 'request-assistance', units: [{ unitId: 'tax' }] }, at('10:00'));
    const from = c.events.length;
    act(c, { action: 'record-notice-receipt', unitId: 'tax' }, at('10:30'));
    expect(c.data.assistance[0]).toMatchObject({ noticeReceivedAt: at('10:30'), repliedAt: null });
    expect(deadline(c, 'assistance-reply:tax')).toMatchObject({ clock: 'assistance-reply', owner: 'tax', startAt: at('10:30'), startEvent: 'verification notice received by tax', status: 'running' });
    expect(eventsSince(c, from)).toEqual([['assistance.notice-received', { unitId: 'tax' }]]);
    act(c, { action: 'record-assistance-reply', unitId: 'tax', result: '核实无误' }, at('11:00'));
    expect(c.data.assistance[0]).toMatchObject({ noticeReceivedAt: at('10:30'), repliedAt: at('11:00'), result: '核实无误' });
    expect(deadline(c, 'assistance-reply:tax')).toMatchObject({ startEvent: 'verification notice received by tax', completedAt: at('11:00'), status: 'met' });
    expect(c.events.at(-1)).toMatchObject({ type: 'assistance.replied', data: { unitId: 'tax', result: '核实无误' } });
  });

  it('a reply without a recorded receipt proves the receipt: the clock starts and is met at the reply', () => {
    const c = act(marked(), { action: 'request-assistance', units: [{ unitId: 'tax' }] }, at('10:00'));
    act(c, { action: 'record-assistance-reply', unitId: 'tax', result: '核实无误' }, at('11:00'));
    expect(c.data.assistance[0]).toMatchObject({ noticeReceivedAt: at('11:00'), repliedAt: at('11:00'), result: '核实无误' });
    expect(deadline(c, 'assistance-reply:tax')).toMatchObject({ owner: 'tax', startAt: at('11:00'), startEvent: 'verification notice received by tax (receipt proved by the reply)', completedAt: at('11:00') });
  });

  it('decide upheld (Art. 39): the event names the systems and no departments; each system once', () => {
    const c = marked();
    const from = c.events.length;
    act(c, { action: 'decide', outcome: 'upheld', reasons: '处罚已撤销', downstreamSystems: ['credit-china', 'credit-china'] }, at('11:00'));
    expect(c.data.decision).toEqual({ outcome: 'upheld', reasons: '处罚已撤销', at: at('11:00') });
    expect(c.events.slice(from).map((e) => [e.type, e.reason, e.data])).toEqual([
      [
        'decision.upheld',
        '处罚已撤销',
        { effects: ['correct the record', 'send the correction to every system that received the information', 'notify the applicant'], downstreamSystems: ['credit-china', 'credit-china'], departments: [] },
      ],
    ]);
    expect(c.data.corrections).toEqual([{ name: 'credit-china', sentAt: at('11:00'), receivedAt: null, confirmedAt: null }]);
    expect(c.data.measures).toEqual([]);
  });

  it('decide upheld (Art. 35): the event names the departments; each department once, a party', () => {
    const c = file('serious-dishonesty-list');
    act(c, { action: 'decide', outcome: 'upheld', departments: ['tax-bureau', 'market-regulation', 'tax-bureau'] }, at('11:00'));
    expect(c.events.at(-1)!.data).toEqual({
      effects: ['remove the subject from the serious-dishonesty list', 'every department applying a punitive measure ends it', 'notify the applicant'],
      downstreamSystems: [],
      departments: ['tax-bureau', 'market-regulation', 'tax-bureau'],
    });
    expect(c.data.measures).toEqual([
      { name: 'tax-bureau', sentAt: at('11:00'), receivedAt: null, confirmedAt: null },
      { name: 'market-regulation', sentAt: at('11:00'), receivedAt: null, confirmedAt: null },
    ]);
    expect(c.parties).toEqual(['tax-bureau', 'market-regulation']);
  });

  it('decide rejected: the event has no systems or departments and carries the reasons', () => {
    const c = act(marked(), { action: 'decide', outcome: 'rejected', reasons: '记录无误' }, at('11:00'));
    expect(c.events.at(-1)).toMatchObject({ type: 'decision.rejected', reason: '记录无误' });
    expect(c.events.at(-1)!.data).toEqual({ effects: ['notify the applicant with reasons'], downstreamSystems: [], departments: [] });
    expect(c.data.decision).toEqual({ outcome: 'rejected', reasons: '记录无误', at: at('11:00') });
  });

  it('correct-record and notify-applicant: their records and events', () => {
    const c = upheld();
    act(c, { action: 'correct-record', evidenceRef: 'diff-1' }, at('11:10'));
    expect(c.data.recordCorrected).toEqual({ at: at('11:10'), evidenceRef: 'diff-1' });
    expect(c.events.at(-1)).toMatchObject({ type: 'record.corrected', data: {} });
    act(c, { action: 'notify-applicant', evidenceRef: 'letter-1' }, at('11:20'));
    expect(c.data.applicantNotified).toEqual({ at: at('11:20'), evidenceRef: 'letter-1', channel: null });
    expect(c.events.filter((e) => e.type === 'applicant.notified').map((e) => e.data)).toEqual([{ channel: null }]);
    const withChannel = act(upheld(), { action: 'notify-applicant', evidenceRef: 'letter-1', channel: 'EMS' }, at('11:20'));
    expect(withChannel.events.at(-1)).toMatchObject({ type: 'applicant.notified', data: { channel: 'EMS' } });
  });

  it('send-correction: each new system once; the event lists the systems sent to', () => {
    const c = upheld(['credit-china']);
    act(c, { action: 'send-correction', systems: ['portal', 'portal'] }, at('11:10'));
    expect(c.data.corrections.map((x) => x.name)).toEqual(['credit-china', 'portal']);
    expect(c.events.at(-1)).toMatchObject({ type: 'correction.sent', data: { systems: ['portal', 'portal'] } });
  });

  it('record-correction-receipt: the receipt, the system’s own 3-day clock it owns, and the event', () => {
    const c = upheld(['credit-china']);
    const from = c.events.length;
    act(c, { action: 'record-correction-receipt', system: 'credit-china' }, at('11:10'));
    expect(c.data.corrections[0]).toEqual({ name: 'credit-china', sentAt: at('11:00'), receivedAt: at('11:10'), confirmedAt: null });
    expect(deadline(c, 'correction:credit-china')).toMatchObject({ clock: 'correction', owner: 'credit-china', startAt: at('11:10'), startEvent: 'correction received by credit-china' });
    expect(eventsSince(c, from)).toEqual([['correction.received', { system: 'credit-china' }]]);
    act(c, { action: 'confirm-correction', system: 'credit-china' }, at('11:20'));
    expect(c.data.corrections[0]).toEqual({ name: 'credit-china', sentAt: at('11:00'), receivedAt: at('11:10'), confirmedAt: at('11:20') });
    expect(deadline(c, 'correction:credit-china')).toMatchObject({ startEvent: 'correction received by credit-china', completedAt: at('11:20') });
    expect(c.events.at(-1)).toMatchObject({ type: 'correction.confirmed', data: { system: 'credit-china' } });
  });

  it('a confirmation without a recorded receipt proves the receipt', () => {
    const c = upheld(['credit-china']);
    act(c, { action: 'confirm-correction', system: 'credit-china' }, at('11:20'));
    expect(c.data.corrections[0]).toMatchObject({ receivedAt: at('11:20'), confirmedAt: at('11:20') });
    expect(deadline(c, 'correction:credit-china')).toMatchObject({ owner: 'credit-china', startAt: at('11:20'), startEvent: 'correction received by credit-china (receipt proved by the confirmation)', completedAt: at('11:20') });
  });

  it('confirm-measure-ended: the department’s confirmation and the event', () => {
    const c = act(file('serious-dishonesty-list'), { action: 'decide', outcome: 'upheld', departments: ['tax-bureau'] }, at('11:00'));
    act(c, { action: 'confirm-measure-ended', department: 'tax-bureau' }, at('11:10'));
    expect(c.data.measures).toEqual([{ name: 'tax-bureau', sentAt: at('11:00'), receivedAt: at('11:10'), confirmedAt: at('11:10') }]);
    expect(c.events.at(-1)).toMatchObject({ type: 'punitive-measure.ended', data: { department: 'tax-bureau' } });
  });

  it.each([
    ['the record corrected, the applicant told, no systems', [['correct-record', 'e']], ['notify-applicant', 'n'], true],
    ['the applicant told, the record not corrected', [], ['notify-applicant', 'n'], false],
  ] as const)('Art. 39 upheld closes when %s: %s', (_name, before, last, closes) => {
    const c = upheld();
    for (const [action, evidenceRef] of before) act(c, { action, evidenceRef }, at('11:10'));
    act(c, { action: last[0], evidenceRef: last[1] }, at('11:20'));
    expect(c.state === 'closed').toBe(closes);
  });

  it('Art. 39 upheld stays open while a system has not confirmed, and the Art. 35 one while a measure has not ended', () => {
    const c = upheld(['credit-china']);
    act(c, { action: 'correct-record', evidenceRef: 'e' }, at('11:10'));
    act(c, { action: 'notify-applicant', evidenceRef: 'n' }, at('11:20'));
    expect(c.state).toBe('correcting');
    const l = act(file('serious-dishonesty-list'), { action: 'decide', outcome: 'upheld', departments: ['tax-bureau'] }, at('11:00'));
    act(l, { action: 'notify-applicant', evidenceRef: 'n' }, at('11:20'));
    expect(l.state).toBe('correcting');
    const none = act(file('serious-dishonesty-list'), { action: 'decide', outcome: 'upheld' }, at('11:00'));
    act(none, { action: 'notify-applicant', evidenceRef: 'n' }, at('11:20'));
    expect([none.state, none.outcome]).toEqual(['closed', 'upheld']);
  });

  it('with several units or systems, each receipt, reply and re-send is matched to the one it names', () => {
    const c = act(marked(), { action: 'request-assistance', units: [{ unitId: 'tax' }, { unitId: 'court' }] }, at('10:00'));
    act(c, { action: 'record-notice-receipt', unitId: 'court' }, at('10:30'));
    act(c, { action: 'record-assistance-reply', unitId: 'court', result: '属实' }, at('10:40'));
    expect(c.data.assistance.map((u) => [u.unitId, u.noticeReceivedAt, u.repliedAt, u.result])).toEqual([
      ['tax', null, null, null],
      ['court', at('10:30'), at('10:40'), '属实'],
    ]);
    const u = upheld(['credit-china', 'portal']);
    act(u, { action: 'record-correction-receipt', system: 'portal' }, at('11:10'));
    expect(u.data.corrections.map((x) => [x.name, x.receivedAt])).toEqual([
      ['credit-china', null],
      ['portal', at('11:10')],
    ]);
    expect(refusalOf(u, { action: 'send-correction', systems: ['portal'] }, at('11:20'))).toMatchObject({ rule: 'objection-review/already-done', message: 'the correction was already sent to portal' });
  });

  it('a decision naming no departments involves no other unit', () => {
    expect(upheld(['credit-china']).parties).toEqual([]);
    expect(act(file('serious-dishonesty-list'), { action: 'decide', outcome: 'upheld' }, at('11:00')).parties).toEqual([]);
  });

  it('input limits: 20 assisting units and 50 systems per request, names of at most 200 characters, a channel of at most 100', () => {
    const { actions } = def;
    const ask = actions['request-assistance'].schema;
    expect([ask.safeParse({ units: units(20) }).success, ask.safeParse({ units: units(21) }).success]).toEqual([true, false]);
    expect([ask.safeParse({ units: [{ unitId: 'u'.repeat(200) }] }).success, ask.safeParse({ units: [{ unitId: 'u'.repeat(201) }] }).success]).toEqual([true, false]);
    expect(ask.safeParse({ units: [{ unitId: 'u', name: 'n'.repeat(201) }] }).success).toBe(false);
    expect(ask.safeParse({ units: [{ unitId: 'u', extra: 1 }] }).success).toBe(false);
    const send = actions['send-correction'].schema;
    expect([send.safeParse({ systems: systems(50) }).success, send.safeParse({ systems: systems(51) }).success]).toEqual([true, false]);
    const decide = actions.decide.schema;
    expect([decide.safeParse({ outcome: 'upheld', downstreamSystems: systems(50) }).success, decide.safeParse({ outcome: 'upheld', downstreamSystems: systems(51) }).success]).toEqual([true, false]);
    expect([decide.safeParse({ outcome: 'upheld', departments: systems(50) }).success, decide.safeParse({ outcome: 'upheld', departments: systems(51) }).success]).toEqual([true, false]);
    expect(decide.safeParse({ outcome: 'upheld', departments: ['d'.repeat(201)] }).success).toBe(false);
    expect(decide.safeParse({ outcome: 'upheld', extra: 1 }).success).toBe(false);
    const notify = actions['notify-applicant'].schema;
    expect([notify.safeParse({ channel: 'c'.repeat(100) }).success, notify.safeParse({ channel: 'c'.repeat(101) }).success]).toEqual([true, false]);
    for (const [name, body] of [
      ['mark-disputed', {}],
      ['correct-record', {}],
      ['refer', { competentUnit: 'x' }],
      ['record-notice-receipt', { unitId: 'x' }],
      ['record-assistance-reply', { unitId: 'x', result: 'r' }],
      ['record-correction-receipt', { system: 'x' }],
      ['confirm-correction', { system: 'x' }],
      ['confirm-measure-ended', { department: 'x' }],
    ] as const) {
      const schema = actions[name].schema;
      expect([name, schema.safeParse(body).success, schema.safeParse({ ...body, extra: 1 }).success]).toEqual([name, true, false]);
    }
    for (const [name, field] of [
      ['refer', 'competentUnit'],
      ['record-notice-receipt', 'unitId'],
      ['record-correction-receipt', 'system'],
      ['confirm-correction', 'system'],
      ['confirm-measure-ended', 'department'],
    ] as const) {
      const schema = actions[name].schema;
      expect([name, schema.safeParse({ [field]: 'x'.repeat(200) }).success, schema.safeParse({ [field]: 'x'.repeat(201) }).success]).toEqual([name, true, false]);
    }
  });
});
