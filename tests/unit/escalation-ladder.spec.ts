/**
 * The escalation ladder after the red of a legal clock (docs/time-rules.md#warnings-and-escalation; policy
 * DEFAULT_ESCALATION: a reminder at 09:00 Asia/Shanghai of each working day overdue, one level up every 3 working
 * days, 3 levels), on the kernel's pure functions.
 *
 * Calendar facts (prisma/calendar/cn-2004-2026.json): 2026-10-01..07 National Day holidays, Sat 10-10 a make-up
 * working day, Sun 10-11 rest. The working days after Wed 09-30 are therefore 10-08, 10-09, 10-10, 10-12, 10-13,
 * 10-14, 10-15, 10-16, 10-19.
 */
import * as fs from 'fs';
import * as path from 'path';
import { commitmentVerificationV2 } from '../../procedures/commitment-verification/v2';
import { DEFAULT_ESCALATION } from '../../procedures/definition';
import { type ObjectionData, objectionReviewV2 as def } from '../../procedures/objection-review/v2';
import { Calendar } from '../../src/domain/calendar';
import { applyKernelAction, fileKernelCase, isKernelFinished, ladderSteps, nextKernelWakeUp, parseKernelAction, processDue, workingDaysOverdue } from '../../src/domain/kernel/case-kernel';
import type { KernelCase } from '../../src/domain/kernel/ops';

type Seed = Parameters<typeof Calendar.fromSeed>[0];
const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')) as Seed;
const calendar = Calendar.fromSeed(seed);

const sh = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`).toISOString();
const endOf = (date: string) => `${date}T16:00:00.000Z`;
const RECEIVED = sh('2026-09-29');

function file(ladder = true, filedAt = RECEIVED): KernelCase<ObjectionData> {
  return fileKernelCase<ObjectionData>(
    def,
    calendar,
    {
      caseId: 'ladder-1',
      idempotencyKey: 'ladder-1',
      procedure: def.procedure,
      definitionVersion: def.version,
      variant: 'standard',
      unitId: 'unit-credit-office',
      subject: { kind: 'organisation', name: 'Harbin Example Trading Co.', idNumber: '91230100MA1BXXXX0X' },
      receivedAt: RECEIVED,
      filedAt,
      actor: 'caseworker-1',
      filing: def.filing.parse({}),
    },
    { ladder },
  );
}

function act(c: KernelCase<ObjectionData>, body: Record<string, unknown>, now: string) {
  const parsed = parseKernelAction(def, body);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problem));
  applyKernelAction(def, calendar, c, parsed.value, now);
}

const ladderOf = (c: KernelCase<ObjectionData>, key: string) => c.escalations.filter((e) => e.deadlineKey === key).map((e) => e.level);

describe('the steps after a due date', () => {
  it('09:00 of each working day after it, skipping the National Day holidays and Sunday, counting the make-up Saturday', () => {
    expect(ladderSteps(def, calendar, '2026-09-30')).toEqual([
      { level: 'overdue-1', at: sh('2026-10-08', '09:00') },
      { level: 'overdue-2', at: sh('2026-10-09', '09:00') },
      { level: 'escalation-1', at: sh('2026-10-10', '09:00'), levelsUp: 1 },
      { level: 'overdue-4', at: sh('2026-10-12', '09:00') },
      { level: 'overdue-5', at: sh('2026-10-13', '09:00') },
      { level: 'escalation-2', at: sh('2026-10-14', '09:00'), levelsUp: 2 },
      { level: 'overdue-7', at: sh('2026-10-15', '09:00') },
      { level: 'overdue-8', at: sh('2026-10-16', '09:00') },
      { level: 'escalation-3', at: sh('2026-10-19', '09:00'), levelsUp: 3 },
    ]);
    expect(sh('2026-10-08', '09:00')).toBe('2026-10-08T01:00:00.000Z');
  });

  it('follows the policy: without daily reminders, every 2 working days, 2 levels', () => {
    const policy = { ...DEFAULT_ESCALATION, overdueReminders: false, escalateAfterWorkingDaysOverdue: 2, maxEscalationLevels: 2, policy: 'test' };
    expect(ladderSteps({ ...def, escalation: policy }, calendar, '2026-09-30')).toEqual([
      { level: 'escalation-1', at: sh('2026-10-09', '09:00'), levelsUp: 1 },
      { level: 'escalation-2', at: sh('2026-10-12', '09:00'), levelsUp: 2 },
    ]);
  });

  it('legal clocks only: a subject clock has no ladder', () => {
    const v2 = commitmentVerificationV2;
    const c = fileKernelCase(v2, calendar, {
      caseId: 'cv',
      idempotencyKey: 'cv',
      procedure: v2.procedure,
      definitionVersion: v2.version,
      variant: v2.defaultVariant,
      unitId: 'unit-test',
      subject: { kind: 'organisation', name: 'Co', idNumber: '91350100M000100Y43' },
      receivedAt: sh('2026-12-01'),
      filedAt: sh('2026-12-01'),
      actor: 'tester',
      filing: v2.filing.parse({ licence: { number: 'L-1', decidedAt: '2026-12-01' }, materialsDue: { items: ['map'], period: { workingDays: 5 } } }),
    });
    expect(c.deadlines.map((d) => [d.key, d.kind, d.overdueSteps?.length])).toEqual([
      ['verification', 'legal', 9],
      ['materials', 'subject', undefined],
    ]);
  });
});

describe('on a case', () => {
  it('red at the due instant, then one step per working day, once each; escalation-n says how many levels up', () => {
    const c = file();
    processDue(def, calendar, c, endOf('2026-09-30'));
    expect(ladderOf(c, 'mark-disputed')).toEqual(['red']);
    // The next thing due is the first reminder after the holidays, not anything during them.
    expect(nextKernelWakeUp(c, endOf('2026-09-30'))).toBe(sh('2026-10-08', '09:00'));
    expect(processDue(def, calendar, c, sh('2026-10-08', '08:59'))).toBe(false);

    expect(processDue(def, calendar, c, sh('2026-10-08', '09:00'))).toBe(true);
    expect(processDue(def, calendar, c, sh('2026-10-08', '09:00'))).toBe(false);
    expect(c.escalations.at(-1)).toEqual({
      deadlineKey: 'mark-disputed',
      level: 'overdue-1',
      dueAt: endOf('2026-09-30'),
      firedAt: sh('2026-10-08', '09:00'),
      owner: 'unit-credit-office',
    });
    processDue(def, calendar, c, sh('2026-10-09', '09:00'));
    processDue(def, calendar, c, sh('2026-10-10', '09:00'));
    expect(c.escalations.filter((e) => e.deadlineKey === 'mark-disputed').at(-1)).toEqual({
      deadlineKey: 'mark-disputed',
      level: 'escalation-1',
      dueAt: endOf('2026-09-30'),
      firedAt: sh('2026-10-10', '09:00'),
      owner: 'unit-credit-office',
      levelsUp: 1,
    });
    expect(c.events.find((e) => e.type === 'deadline.escalation-1')).toMatchObject({
      type: 'deadline.escalation-1',
      actor: 'system',
      at: sh('2026-10-10', '09:00'),
      recordedAt: sh('2026-10-10', '09:00'),
      data: { deadlineKey: 'mark-disputed', level: 'escalation-1', owner: 'unit-credit-office', levelsUp: 1, dueAt: endOf('2026-09-30') },
    });
    expect(ladderOf(c, 'mark-disputed')).toEqual(['red', 'overdue-1', 'overdue-2', 'escalation-1']);
  });

  it('meeting the deadline stops its ladder; the steps already recorded stay', () => {
    const c = file();
    processDue(def, calendar, c, sh('2026-10-08', '09:00'));
    act(c, { action: 'mark-disputed' }, sh('2026-10-08', '09:30'));
    expect(c.deadlines[0].status).toBe('met-late');
    processDue(def, calendar, c, sh('2026-10-19', '12:00'));
    expect(ladderOf(c, 'mark-disputed')).toEqual(['red', 'overdue-1']);
  });

  it('catch-up after downtime: the red if missing, every escalation level passed (late), then the latest step reached', () => {
    const c = file();
    processDue(def, calendar, c, sh('2026-10-13', '12:00'));
    // mark-disputed (due 09-30): 10-13 is its 5th working day overdue, past escalation-1 (10-10); decision (due 10-09):
    // its 3rd (10-10, 10-12, 10-13), escalation-1 itself. The daily reminders missed meanwhile are not sent.
    expect(c.escalations.map((e) => [e.deadlineKey, e.level, e.late ?? false])).toEqual([
      ['mark-disputed', 'red', true],
      ['decision', 'red', true],
      ['mark-disputed', 'escalation-1', true],
      ['mark-disputed', 'overdue-5', false],
      ['decision', 'escalation-1', false],
    ]);
    expect(processDue(def, calendar, c, sh('2026-10-13', '18:00'))).toBe(false);
    expect(nextKernelWakeUp(c, sh('2026-10-13', '18:00'))).toBe(sh('2026-10-14', '09:00'));
  });

  it('the previous behaviour stays for histories recorded before it (everyLevel: false): the red and the latest step only', () => {
    const c = file();
    processDue(def, calendar, c, sh('2026-10-13', '12:00'), { everyLevel: false });
    expect(c.escalations.map((e) => [e.deadlineKey, e.level])).toEqual([
      ['mark-disputed', 'red'],
      ['decision', 'red'],
      ['mark-disputed', 'overdue-5'],
      ['decision', 'escalation-1'],
    ]);
  });

  it('the ladder ends after the last level: nothing more fires, the breach stays on record', () => {
    const c = file();
    act(c, { action: 'refer', competentUnit: 'market-regulation' }, sh('2026-09-30', '09:00'));
    // Referring cancels the mark; the decision is met, the promised referral period is met: nothing left.
    expect(isKernelFinished(c, sh('2026-09-30', '09:00'))).toBe(true);

    const late = file();
    processDue(def, calendar, late, sh('2026-10-19', '09:00'));
    expect(ladderOf(late, 'mark-disputed')).toEqual(['red', 'escalation-1', 'escalation-2', 'escalation-3']);
    // decision (due 10-09): its 9th working day overdue is 10-21.
    expect(nextKernelWakeUp(late, sh('2026-10-19', '09:00'))).toBe(sh('2026-10-20', '09:00'));
    processDue(def, calendar, late, sh('2026-10-30', '09:00'));
    expect(ladderOf(late, 'mark-disputed')).toEqual(['red', 'escalation-1', 'escalation-2', 'escalation-3']);
    expect(ladderOf(late, 'decision')).toEqual(['red', 'escalation-1', 'escalation-2', 'overdue-7', 'escalation-3']);
    expect(nextKernelWakeUp(late, sh('2026-10-30', '09:00'))).toBeNull();
  });

  it('a case filed before the ladder (ladder off) keeps the red only, as it had', () => {
    const c = file(false);
    processDue(def, calendar, c, sh('2026-10-13', '12:00'));
    expect(c.escalations.map((e) => e.level)).toEqual(['red', 'red']);
    expect(c.deadlines.every((d) => d.overdueSteps === undefined)).toBe(true);
    expect(nextKernelWakeUp(c, sh('2026-10-13', '12:00'))).toBeNull();
  });
});

describe('a case entered late: every level already passed fires, once each, in order, marked late', () => {
  // Received Tue 2026-09-29: mark-disputed due Wed 09-30 (its working days overdue: 10-08, 10-09, 10-10 escalation-1,
  // 10-12, 10-13, 10-14 escalation-2, 10-15, 10-16, 10-19 escalation-3); decision due Fri 10-09 (10-10, 10-12,
  // 10-13 escalation-1, 10-14, 10-15, 10-16 escalation-2, 10-19, 10-20, 10-21 escalation-3).
  type Row = [filedAt: string, markDisputed: string[], decision: string[]];
  const rows: Row[] = [
    [sh('2026-10-01'), ['red'], []],
    [sh('2026-10-09', '12:00'), ['red (late)', 'overdue-2'], ['yellow']],
    // The finding: 4 working days overdue, and escalation-1 (10-10) had never fired.
    [sh('2026-10-12', '12:00'), ['red (late)', 'escalation-1 (late)', 'overdue-4'], ['red (late)', 'overdue-2']],
    [sh('2026-10-14', '09:00'), ['red (late)', 'escalation-1 (late)', 'escalation-2'], ['red (late)', 'escalation-1 (late)', 'overdue-4']],
    [sh('2026-11-30'), ['red (late)', 'escalation-1 (late)', 'escalation-2 (late)', 'escalation-3'], ['red (late)', 'escalation-1 (late)', 'escalation-2 (late)', 'escalation-3']],
  ];
  const levels = (c: KernelCase<ObjectionData>, key: string) =>
    c.escalations.filter((e) => e.deadlineKey === key).map((e) => `${e.level}${e.late ? ' (late)' : ''}`);

  it.each(rows)('filed %s', (filedAt, markDisputed, decision) => {
    const c = file(true, filedAt);
    expect(processDue(def, calendar, c, filedAt)).toBe(true);
    expect(levels(c, 'mark-disputed')).toEqual(markDisputed);
    expect(levels(c, 'decision')).toEqual(decision);
    // In the order they were due to fire, each late one saying when that was.
    const scheduled = c.escalations.map((e) => e.scheduledAt ?? filedAt);
    expect(scheduled).toEqual([...scheduled].sort());
    for (const e of c.escalations.filter((x) => x.late)) {
      const step = e.level === 'red' ? e.dueAt : c.deadlines.find((d) => d.key === e.deadlineKey)!.overdueSteps!.find((t) => t.level === e.level)!.at;
      expect(e.scheduledAt).toBe(step);
      expect(c.events.find((ev) => ev.type === `deadline.${e.level}` && ev.data.deadlineKey === e.deadlineKey)?.data).toMatchObject({ late: true, scheduledAt: step });
    }
    // Once each, also after a restart (the case carried as JSON, as through continue-as-new or a replay).
    const restarted = JSON.parse(JSON.stringify(c)) as KernelCase<ObjectionData>;
    expect(processDue(def, calendar, restarted, filedAt)).toBe(false);
    processDue(def, calendar, restarted, sh('2026-12-31'));
    const keys = restarted.escalations.map((e) => `${e.deadlineKey}|${e.level}|${e.dueAt}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of ['mark-disputed', 'decision']) {
      expect(restarted.escalations.filter((e) => e.deadlineKey === key && e.level.startsWith('escalation-')).map((e) => e.level)).toEqual(['escalation-1', 'escalation-2', 'escalation-3']);
    }
  });

  it('a case caught up before this rule (only its latest level on record) gets the levels it skipped at its next step, none twice', () => {
    const c = file(true, sh('2026-10-19', '09:00'));
    processDue(def, calendar, c, sh('2026-10-19', '09:00'), { everyLevel: false });
    expect(levels(c, 'mark-disputed')).toEqual(['red', 'escalation-3']);
    processDue(def, calendar, c, sh('2026-10-19', '10:00'));
    expect(levels(c, 'mark-disputed')).toEqual(['red', 'escalation-3', 'escalation-1 (late)', 'escalation-2 (late)']);
    expect(processDue(def, calendar, c, sh('2026-10-19', '11:00'))).toBe(false);
    expect(levels(c, 'mark-disputed')).toEqual(['red', 'escalation-3', 'escalation-1 (late)', 'escalation-2 (late)']);
  });
});

describe('working days overdue, on the official calendar in Asia/Shanghai (GET /supervision/overdue)', () => {
  // Due Wed 2026-09-30 24:00 (16:00 UTC): National Day 10-01..07, make-up Saturday 10-10, Sunday 10-11.
  const rows: [now: string, expected: number][] = [
    ['2026-09-30T15:59:59.000Z', 0], // before the due instant
    ['2026-09-30T16:00:00.000Z', 0], // the due instant: Thu 10-01, a holiday
    ['2026-10-07T15:59:59.000Z', 0], // 23:59 of the last holiday
    ['2026-10-07T16:00:00.000Z', 1], // 00:00 Shanghai of Thu 10-08 (still 10-07 in UTC)
    [sh('2026-10-09', '18:00'), 2],
    [sh('2026-10-10', '09:00'), 3], // the make-up Saturday counts: escalation-1 is due now
    [sh('2026-10-11', '12:00'), 3], // Sunday does not
    [sh('2026-10-12', '08:00'), 4],
    [sh('2026-10-19', '09:00'), 9], // escalation-3
  ];
  it.each(rows)('at %s: %d', (now, expected) => {
    expect(workingDaysOverdue(calendar, '2026-09-30', now)).toBe(expected);
  });

  it('agrees with the ladder: overdue-<K> and escalation-<N> fall on the K-th working day overdue', () => {
    let k = 0;
    for (const step of ladderSteps(def, calendar, '2026-09-30')) {
      k += 1;
      expect(workingDaysOverdue(calendar, '2026-09-30', step.at)).toBe(k);
    }
    expect(k).toBe(9);
  });
});
