import { Calendar } from '../calendar';
import { DAY_MS, dayNumber, endOfShanghaiDay, instantMs, shanghaiDay, toIso } from '../local-date';
import { computeDeadline, Period, warningAt } from '../periods';
import type { KernelClock, KernelProcedure } from './definition';
import type { KernelCase, KernelDeadline, LadderStep } from './ops';

// Deadlines: how one is made and computed, the escalation ladder after its red, moves (suspension, extension,
// calendar) that keep the old values, and the statuses they end in.

/* eslint-disable @typescript-eslint/no-explicit-any -- the kernel runs every procedure's data without knowing its shape */
type AnyProcedure = KernelProcedure<any, any>;

/** Deadline statuses that can still be met and can still escalate. */
const OPEN = new Set(['running', 'suspended', 'overdue']);
export const isOpenDeadline = (d: KernelDeadline) => OPEN.has(d.status);
export const BREACHABLE = new Set(['legal', 'promised']);

export function newDeadline(clock: KernelClock, clockKey: string, key: string, period: Period, startAt: string, startEvent: string, owner: string, calendar: Calendar): KernelDeadline {
  return {
    key,
    clock: clockKey,
    label: clock.label,
    labelZh: clock.labelZh,
    kind: clock.kind as KernelDeadline['kind'],
    basis: clock.policy ? `${clock.basis} — local policy: ${clock.policy}` : clock.basis,
    period,
    suspendable: (clock.suspensionReasons ?? []).length > 0,
    suspensionReasons: clock.suspensionReasons ?? [],
    startAt,
    startEvent,
    status: 'running',
    dueDate: null,
    dueAt: null,
    yellowAt: null,
    reminders: [],
    provisional: false,
    calendarVersion: calendar.version,
    explanation: undefined as never,
    previous: [],
    extensions: [],
    completedAt: null,
    owner,
  };
}

export function compute(def: AnyProcedure, calendar: Calendar, c: KernelCase<unknown>, d: KernelDeadline): void {
  const result = computeDeadline(calendar, {
    start: d.startAt,
    period: d.period,
    startEvent: d.startEvent,
    suspensions: c.suspensions.filter((s) => d.suspensionReasons.includes(s.reason)).map(({ from, to, reason }) => ({ from, to, reason })),
    extensions: d.extensions,
    ...(def.clocks[d.clock]?.noRestDayRoll ? { noRestDayRoll: def.clocks[d.clock].noRestDayRoll } : {}),
  });
  d.dueDate = result.dueDate;
  d.dueAt = result.dueAt;
  d.provisional = result.provisional;
  d.calendarVersion = result.calendarVersion;
  d.explanation = result.explanation;
  const breachable = BREACHABLE.has(d.kind);
  d.yellowAt = result.dueDate && breachable ? warningAt(calendar, result.dueDate, def.escalation.yellowWorkingDaysBefore, d.startAt) : null;
  const clock = def.clocks[d.clock];
  d.reminders = result.dueDate
    ? (clock?.remindWorkingDaysBefore ?? []).map((n) => ({ level: `reminder-${n}`, at: warningAt(calendar, result.dueDate!, n, d.startAt) }))
    : [];
  if (c.ladder && d.kind === 'legal') d.overdueSteps = result.dueDate ? ladderSteps(def, calendar, result.dueDate) : [];
}

const OVERDUE_REMINDER_HOUR_MS = 9 * 3_600_000;
export const isLadderLevel = (level: string) => level.startsWith('overdue-') || level.startsWith('escalation-');

/**
 * docs/time-rules.md#warnings-and-escalation after a breach: at 09:00 Asia/Shanghai of the K-th working day after the due
 * date, `overdue-<K>`, or `escalation-<N>` every N × escalateAfterWorkingDaysOverdue days; it ends after the last level.
 */
export function ladderSteps(def: AnyProcedure, calendar: Calendar, dueDate: string): LadderStep[] {
  const { overdueReminders, escalateAfterWorkingDaysOverdue: every, maxEscalationLevels } = def.escalation;
  const steps: LadderStep[] = [];
  let day = dayNumber(dueDate);
  for (let k = 1; k <= every * maxEscalationLevels; ) {
    day += 1;
    if (!calendar.dayInfo(day).working) continue;
    const at = toIso(endOfShanghaiDay(day) - DAY_MS + OVERDUE_REMINDER_HOUR_MS);
    if (k % every === 0) steps.push({ level: `escalation-${k / every}`, at, levelsUp: k / every });
    else if (overdueReminders) steps.push({ level: `overdue-${k}`, at });
    k += 1;
  }
  return steps;
}

/**
 * Working days overdue at `now`: the working days after the due date (Asia/Shanghai, on `calendar`) up to and
 * including the day of `now`; 0 before the due instant and on the rest days right after it. The K-th one is the day
 * of the ladder's `overdue-<K>` (docs/time-rules.md#warnings-and-escalation).
 */
export function workingDaysOverdue(calendar: Calendar, dueDate: string, now: string): number {
  const today = shanghaiDay(instantMs(now));
  let n = 0;
  for (let day = dayNumber(dueDate) + 1; day <= today; day++) if (calendar.dayInfo(day).working) n += 1;
  return n;
}

/** A due date before and after it moved. */
export interface DeadlineMove {
  deadlineKey: string;
  from: { dueDate: string | null; dueAt: string | null };
  to: { dueDate: string | null; dueAt: string | null };
}

/** docs/time-rules.md#extension: recorded like a suspension, the old value kept in `previous`. */
export function extendDeadline(def: AnyProcedure, calendar: Calendar, c: KernelCase<unknown>, d: KernelDeadline, workingDays: number, reason: string, at: string, by: string): DeadlineMove {
  d.extensions.push({ period: { workingDays }, reason, grantedAt: at, grantedBy: by });
  const before = { dueDate: d.dueDate, dueAt: d.dueAt, calendarVersion: d.calendarVersion };
  compute(def, calendar, c, d);
  d.previous.push({ ...before, changedAt: at, reason: `extended by ${workingDays} working day(s): ${reason}` });
  return { deadlineKey: d.key, from: { dueDate: before.dueDate, dueAt: before.dueAt }, to: { dueDate: d.dueDate, dueAt: d.dueAt } };
}

/** Recomputes every open deadline, keeping the old values when they change (docs/time-rules.md#suspension and docs/time-rules.md#calendar-coverage). */
export function recompute(def: AnyProcedure, calendar: Calendar, c: KernelCase<unknown>, at: string, reason: string): DeadlineMove[] {
  const changed: DeadlineMove[] = [];
  for (const d of c.deadlines) {
    if (!isOpenDeadline(d) || d.completedAt) continue;
    const before = { dueDate: d.dueDate, dueAt: d.dueAt, calendarVersion: d.calendarVersion, provisional: d.provisional };
    compute(def, calendar, c, d);
    if (before.dueAt !== d.dueAt || before.calendarVersion !== d.calendarVersion || before.provisional !== d.provisional) {
      d.previous.push({ dueDate: before.dueDate, dueAt: before.dueAt, calendarVersion: before.calendarVersion, changedAt: at, reason });
      changed.push({ deadlineKey: d.key, from: { dueDate: before.dueDate, dueAt: before.dueAt }, to: { dueDate: d.dueDate, dueAt: d.dueAt } });
    }
  }
  refreshStatuses(c, at);
  return changed;
}

// ---------------------------------------------------------------- time: statuses, escalations, expiries

export function refreshStatuses(c: KernelCase<unknown>, now: string): void {
  for (const d of c.deadlines) {
    if (d.status === 'cancelled' || d.status === 'not-applicable' || d.status === 'expired' || d.status === 'lapsed') continue;
    if (d.completedAt) d.status = metStatus(d, d.completedAt);
    else if (d.dueAt === null) d.status = 'suspended';
    else d.status = BREACHABLE.has(d.kind) && now >= d.dueAt ? 'overdue' : 'running';
  }
}

/** Met late when it happened after the due instant; met-recorded-late when it happened in time but was recorded after it. */
function metStatus(d: KernelDeadline, completedAt: string): KernelDeadline['status'] {
  if (d.dueAt === null) return 'met';
  if (completedAt >= d.dueAt) return 'met-late';
  return d.completionRecordedAt !== undefined && d.completionRecordedAt >= d.dueAt ? 'met-recorded-late' : 'met';
}

