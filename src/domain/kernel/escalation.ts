import { Calendar } from '../calendar';
import type { EscalationRecord } from '../case-model';
import { addEvent, Ops } from './case-ops';
import { BREACHABLE, isLadderLevel, isOpenDeadline, refreshStatuses } from './deadlines';
import { holdToDeclaredClocks, watchClocks } from './declared-clocks';
import type { KernelProcedure } from './definition';
import type { CaseOps, KernelCase, KernelDeadline, LadderStep } from './ops';

// Time: what falls due (reminders, yellow, red, the escalation ladder, expiries and the steps they trigger), once each.

/* eslint-disable @typescript-eslint/no-explicit-any -- the kernel runs every procedure's data without knowing its shape */
type AnyProcedure = KernelProcedure<any, any>;

const firedKey = (deadlineKey: string, level: string, dueAt: string) => `${deadlineKey}|${level}|${dueAt}`;

/** Moments at which something fires for an open deadline: reminders, yellow, the due instant, the ladder after it. */
function triggers(c: KernelCase<unknown>, d: KernelDeadline): LadderStep[] {
  if (d.dueAt === null) return [];
  const t: LadderStep[] = [...d.reminders];
  if (BREACHABLE.has(d.kind)) {
    if (d.yellowAt) t.push({ level: 'yellow', at: d.yellowAt });
    t.push({ level: 'red', at: d.dueAt });
    if (c.ladder) t.push(...(d.overdueSteps ?? []));
  } else {
    t.push({ level: d.kind === 'subject' ? 'lapsed' : 'expired', at: d.dueAt });
  }
  return t;
}

/** What `processDue` does with steps passed while nothing fired (late entry, a worker down, a due date moved back). */
export interface ProcessDueOptions {
  /**
   * true: every escalation level already passed (the red, then `escalation-1`, `escalation-2`, …) fires once each,
   * in order, marked `late`, before the latest step reached; false (cases whose history was recorded before it, see
   * `patched('ladder-every-level')` in workflows/case.workflow.ts): the red and the latest step reached only.
   */
  everyLevel?: boolean;
}

/** The red and the escalation levels: each one tells someone (the supervisors N levels up) and is never skipped. */
const isEscalationLevel = (level: string) => level === 'red' || level.startsWith('escalation-');

/**
 * Everything due at `now`, in time order: escalations once per deadline, level and due instant, and the steps an
 * expiry or window clock triggers (which may start new clocks, so it runs until nothing more is due).
 * Returns whether anything happened.
 */
export function processDue(def: AnyProcedure, calendar: Calendar, c: KernelCase<unknown>, now: string, options: ProcessDueOptions = {}): boolean {
  const everyLevel = options.everyLevel ?? true;
  let any = false;
  for (let round = 0; round < 100; round++) {
    const fired = new Set(c.escalations.map((e) => firedKey(e.deadlineKey, e.level, e.dueAt)));
    const due: (LadderStep & { d: KernelDeadline; late?: boolean })[] = [];
    for (const d of c.deadlines) {
      if (!isOpenDeadline(d) || d.completedAt) continue;
      // Stable sort: at one instant red outranks yellow.
      const passed = triggers(c, d)
        .filter((t) => t.at <= now)
        .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
      const reached = passed.at(-1);
      if (!reached) continue;
      const missing = (t: LadderStep) => !fired.has(firedKey(d.key, t.level, d.dueAt!));
      if (everyLevel) {
        // Every level already passed and not on record fires, once, in order, marked late: a supervisor is told even
        // when the case was entered (or the worker came back) after their level. Reminders (yellow, overdue-<K>)
        // missed meanwhile are not sent after a later step: only the latest one reached.
        for (const t of passed) if (t !== reached && isEscalationLevel(t.level) && missing(t)) due.push({ d, ...t, late: true });
        if (missing(reached)) due.push({ d, ...reached });
        continue;
      }
      if (!missing(reached)) continue;
      // Only the latest step reached fires (a yellow missed while the worker was down is not sent after the red, nor
      // the ladder's earlier days after a later one); the breach itself is always on record.
      if (isLadderLevel(reached.level) && !fired.has(firedKey(d.key, 'red', d.dueAt!))) due.push({ d, level: 'red', at: d.dueAt! });
      due.push({ d, ...reached });
    }
    if (!due.length) break;
    due.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
    for (const { d, level, levelsUp, at, late } of due) {
      const rung = levelsUp ? { levelsUp } : {};
      // A late step says when it was due to fire.
      const lateness = late ? { late: true, scheduledAt: at } : {};
      const record: EscalationRecord = { deadlineKey: d.key, level, dueAt: d.dueAt!, firedAt: now, owner: d.owner, ...rung, ...lateness };
      c.escalations.push(record);
      addEvent(c, { type: `deadline.${level}`, actor: 'system', at: now, recordedAt: now, data: { deadlineKey: d.key, dueAt: d.dueAt, level, owner: d.owner, ...rung, ...lateness } });
      if (level === 'expired' || level === 'lapsed') {
        d.status = level;
        const step = def.clocks[d.clock]?.onDue;
        if (step) {
          const clocks = watchClocks(c);
          def.steps![step](new Ops(def, calendar, c, d.dueAt!, now, 'system') as unknown as CaseOps<never>);
          holdToDeclaredClocks(def, `step ${step}`, def.stepClocks?.[step], clocks());
        }
      }
    }
    any = true;
  }
  refreshStatuses(c, now);
  return any;
}

/** The next moment something can fire, or null when nothing is pending. */
export function nextKernelWakeUp(c: KernelCase<unknown>, now: string): string | null {
  const fired = new Set(c.escalations.map((e) => firedKey(e.deadlineKey, e.level, e.dueAt)));
  let next: string | null = null;
  for (const d of c.deadlines) {
    if (!isOpenDeadline(d) || d.completedAt) continue;
    for (const t of triggers(c, d)) {
      if (fired.has(firedKey(d.key, t.level, d.dueAt!))) continue;
      if (t.at > now && (next === null || t.at < next)) next = t.at;
    }
  }
  return next;
}

/**
 * A case is finished when it is closed and nothing can fire any more. A legal clock that outlives the decision (an
 * assisting unit that has not replied) keeps the case running until its red is recorded against its owner.
 */
export function isKernelFinished(c: KernelCase<unknown>, now: string): boolean {
  return c.state === 'closed' && nextKernelWakeUp(c, now) === null;
}
