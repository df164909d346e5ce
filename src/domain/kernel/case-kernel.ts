import type { z as zod } from 'zod';
import type { KernelClock, KernelProcedure } from '../../../procedures/definition';
import { Calendar } from '../calendar';
import type { CaseEventRecord, EscalationRecord, InputProblem, Refusal, Subject } from '../case-model';
import { computeDeadline, Period, warningAt } from '../periods';
import type { CaseOps, CaseReader, KernelCase, KernelDeadline, RuleHit, StartClock } from './ops';
import { isoInstant, lazy, problemOf, text } from './schema';
import { z } from './zod';

/* eslint-disable @typescript-eslint/no-explicit-any -- the kernel runs every procedure's data without knowing its shape */
type AnyProcedure = KernelProcedure<any, any>;

export interface KernelFiling {
  caseId: string;
  idempotencyKey: string;
  procedure: string;
  definitionVersion: number;
  variant: string;
  unitId: string;
  subject: Subject;
  receivedAt: string;
  filedAt: string;
  actor: string;
  evidenceRef?: string;
  /** The procedure's own filing fields, already parsed by its schema. */
  filing: unknown;
}

export interface KernelAction {
  action: string;
  actor: string;
  occurredAt?: string;
  evidenceRef?: string;
  note?: string;
  input: unknown;
}

/** Deadline statuses that can still be met and can still escalate. */
const OPEN = new Set(['running', 'suspended', 'overdue']);
export const isOpenDeadline = (d: KernelDeadline) => OPEN.has(d.status);
const BREACHABLE = new Set(['legal', 'promised']);

/** Actions every procedure has; each is refused, with its rule, where the definition does not provide for it. */
const KERNEL_ACTIONS = {
  suspend: lazy(() => z.object({ reason: text(100) }).strict()),
  resume: lazy(() => z.object({}).strict()),
  extend: lazy(() => z.object({ deadlineKey: text(200), workingDays: z.number().int().min(1).max(60), reason: text() }).strict()),
} as const;

export const KERNEL_RULES = {
  caseClosed: { id: 'case-closed', basis: 'A closed case accepts no further actions' },
  actionTime: { id: 'action-time', basis: 'An action cannot be dated in the future or before the previous step of the case' },
  suspensionNotProvided: {
    id: 'suspension-not-provided',
    basis: 'TIME-RULES rule 6: a clock is suspended only for the reasons its article provides (none unless it says so)',
  },
  alreadySuspended: { id: 'already-suspended', basis: 'TIME-RULES rule 6: the clock is already stopped' },
  notSuspended: { id: 'not-suspended', basis: 'TIME-RULES rule 6: only a stopped clock can resume' },
  extensionNotAllowed: { id: 'extension-not-allowed', basis: 'TIME-RULES rule 7: only where the procedure definition allows it' },
  extensionAfterDeadline: { id: 'extension-after-deadline', basis: 'TIME-RULES rule 7: an extension is granted before the deadline passes' },
  unknownDeadline: { id: 'unknown-deadline', basis: 'Only an open deadline of the case can be extended' },
  windowClosed: { id: 'window-closed', basis: 'The action is accepted only while its window runs' },
} as const;

// ---------------------------------------------------------------- parsing (400s)

const COMMON = lazy(() =>
  z.object({ actor: text(200).optional(), occurredAt: isoInstant().optional(), evidenceRef: text(500).optional(), note: text().optional() }).strict(),
);

export function actionNames(def: AnyProcedure): string[] {
  return [...Object.keys(def.actions), ...Object.keys(KERNEL_ACTIONS)];
}

export function actionSchema(def: AnyProcedure, name: string): zod.ZodType | undefined {
  return def.actions[name]?.schema ?? (KERNEL_ACTIONS as Record<string, zod.ZodType>)[name];
}

/** Checks the shape of an action body against the common fields and the action's schema. */
export function parseKernelAction(def: AnyProcedure, body: unknown): { ok: true; value: KernelAction } | { ok: false; problem: InputProblem } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, problem: { field: 'body', message: 'the body must be a JSON object' } };
  const { action, actor, occurredAt, evidenceRef, note, ...fields } = body as Record<string, unknown>;
  const names = actionNames(def);
  if (typeof action !== 'string' || !names.includes(action)) {
    return { ok: false, problem: { field: 'action', message: `action must be one of: ${names.join(', ')}` } };
  }
  const common = COMMON.safeParse({ actor, occurredAt, evidenceRef, note });
  if (!common.success) return { ok: false, problem: problemOf(common.error) };
  if (common.data.actor === 'system') return { ok: false, problem: { field: 'actor', message: "actor 'system' is reserved for the steps the service takes itself" } };
  const own = actionSchema(def, action)!.safeParse(fields);
  if (!own.success) return { ok: false, problem: problemOf(own.error) };
  const c = common.data;
  return {
    ok: true,
    value: {
      action,
      actor: c.actor ?? 'caseworker',
      ...(c.occurredAt ? { occurredAt: c.occurredAt } : {}),
      ...(c.evidenceRef ? { evidenceRef: c.evidenceRef } : {}),
      ...(c.note ? { note: c.note } : {}),
      input: own.data,
    },
  };
}

// ---------------------------------------------------------------- the operations procedures use

class Ops<D> implements CaseOps<D> {
  constructor(
    private readonly def: AnyProcedure,
    private readonly calendar: Calendar,
    readonly c: KernelCase<D>,
    readonly at: string,
    readonly now: string,
    readonly actor: string,
    readonly evidenceRef?: string,
    readonly note?: string,
  ) {}

  get data(): D {
    return this.c.data;
  }
  deadline(key: string) {
    return this.c.deadlines.find((d) => d.key === key);
  }
  isOpen(key: string) {
    const d = this.deadline(key);
    return !!d && isOpenDeadline(d) && !d.completedAt;
  }
  start(clockKey: string, o: StartClock = {}): KernelDeadline {
    const clock = this.def.clocks[clockKey];
    if (!clock) throw new Error(`${this.def.procedure} v${this.def.version} has no clock ${clockKey}`);
    const period = o.period ?? clock.period;
    if (!period) throw new Error(`clock ${clockKey} needs a period entered at runtime`);
    const key = o.key ?? clockKey;
    if (this.c.deadlines.some((d) => d.key === key)) throw new Error(`deadline ${key} already exists`);
    const d = newDeadline(clock, clockKey, key, period, o.startAt ?? this.at, o.startEvent ?? clock.label, o.owner ?? (clock.kind === 'subject' ? 'subject' : this.c.unitId), this.calendar);
    compute(this.def, this.calendar, this.c, d);
    this.c.deadlines.push(d);
    return d;
  }
  complete(key: string) {
    const d = this.deadline(key);
    if (d && isOpenDeadline(d) && !d.completedAt) d.completedAt = this.at;
  }
  cancel(which: (d: KernelDeadline) => boolean) {
    for (const d of this.c.deadlines) if (isOpenDeadline(d) && !d.completedAt && which(d)) d.status = 'cancelled';
  }
  replacePeriod(key: string, clockKey: string, reason: string) {
    const d = this.deadline(key);
    const clock = this.def.clocks[clockKey];
    if (!d || !clock?.period) throw new Error(`cannot replace the period of ${key} with ${clockKey}`);
    const before = { dueDate: d.dueDate, dueAt: d.dueAt, calendarVersion: d.calendarVersion };
    d.period = clock.period;
    d.basis = clock.basis;
    compute(this.def, this.calendar, this.c, d);
    d.previous.push({ ...before, changedAt: this.at, reason });
  }
  event(type: string, data: Record<string, unknown> = {}, reason?: string) {
    addEvent(this.c, {
      type,
      actor: this.actor,
      at: this.at,
      ...(reason ? { reason } : {}),
      ...(this.evidenceRef ? { evidenceRef: this.evidenceRef } : {}),
      data: { ...data, ...(this.note ? { note: this.note } : {}), ...(this.at !== this.now ? { recordedAt: this.now } : {}) },
    });
  }
  setState(state: string) {
    if (this.c.stateBeforeSuspension !== null) this.c.stateBeforeSuspension = state;
    else this.c.state = state;
  }
  close(outcome: string) {
    this.c.state = 'closed';
    this.c.stateBeforeSuspension = null;
    this.c.outcome = outcome;
    this.c.closedAt = this.at;
    this.cancel((d) => !BREACHABLE.has(d.kind));
  }
  credit(kind: KernelCase['creditEffects'][number]['kind'], data: Record<string, unknown> = {}, until: string | null = null) {
    this.c.creditEffects.push({ seq: this.c.creditEffects.length + 1, kind, at: this.at, until, data });
  }
}

function newDeadline(clock: KernelClock, clockKey: string, key: string, period: Period, startAt: string, startEvent: string, owner: string, calendar: Calendar): KernelDeadline {
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

function compute(def: AnyProcedure, calendar: Calendar, c: KernelCase<unknown>, d: KernelDeadline): void {
  const result = computeDeadline(calendar, {
    start: d.startAt,
    period: d.period,
    startEvent: d.startEvent,
    suspensions: c.suspensions.filter((s) => d.suspensionReasons.includes(s.reason)).map(({ from, to, reason }) => ({ from, to, reason })),
    extensions: d.extensions,
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
}

function addEvent(c: KernelCase<unknown>, e: Omit<CaseEventRecord, 'seq'>): void {
  c.events.push({ ...e, seq: c.events.length + 1 });
}

// ---------------------------------------------------------------- filing

export function fileKernelCase<D>(def: AnyProcedure, calendar: Calendar, f: KernelFiling): KernelCase<D> {
  const c: KernelCase<D> = {
    kernel: 1,
    caseId: f.caseId,
    idempotencyKey: f.idempotencyKey,
    procedure: def.procedure,
    definitionVersion: def.version,
    variant: f.variant,
    unitId: f.unitId,
    subject: f.subject,
    receivedAt: f.receivedAt,
    filedAt: f.filedAt,
    state: def.initialState,
    stateBeforeSuspension: null,
    outcome: null,
    closedAt: null,
    data: {} as D,
    suspensions: [],
    deadlines: [],
    escalations: [],
    events: [],
    creditEffects: [],
    actionReceipts: [],
    revision: 0,
  };
  addEvent(c, {
    type: 'case.filed',
    actor: f.actor,
    at: f.filedAt,
    ...(f.evidenceRef ? { evidenceRef: f.evidenceRef } : {}),
    data: { receivedAt: f.receivedAt, variant: f.variant, definitionVersion: def.version, lateEntry: f.receivedAt < f.filedAt, filing: f.filing },
  });
  const ops = new Ops<D>(def, calendar, c, f.receivedAt, f.filedAt, f.actor, f.evidenceRef);
  c.data = def.file(ops, f.filing);
  refreshStatuses(c, f.filedAt);
  return c;
}

// ---------------------------------------------------------------- legal checks (422s)

function ruleRefusal(def: AnyProcedure, hit: RuleHit): Refusal {
  const r = def.rules[hit.rule];
  if (!r) throw new Error(`${def.procedure} v${def.version} has no rule ${hit.rule}`);
  return { rule: r.id, basis: r.basis, message: hit.message };
}

const kernelRefusal = (rule: keyof typeof KERNEL_RULES, message: string, basis?: string): Refusal => ({
  rule: KERNEL_RULES[rule].id,
  basis: basis ?? KERNEL_RULES[rule].basis,
  message,
});

function reader<D>(c: KernelCase<D>, at: string, now: string, evidenceRef?: string): CaseReader<D> {
  return {
    c,
    data: c.data,
    at,
    now,
    evidenceRef,
    deadline: (key) => c.deadlines.find((d) => d.key === key),
    isOpen: (key) => {
      const d = c.deadlines.find((x) => x.key === key);
      return !!d && isOpenDeadline(d) && !d.completedAt;
    },
  };
}

export function refusalForAction(def: AnyProcedure, c: KernelCase<unknown>, a: KernelAction, now: string): Refusal | null {
  if (c.state === 'closed' && !def.actions[a.action]?.afterClose) return kernelRefusal('caseClosed', `case ${c.caseId} is closed (${c.outcome})`);
  const at = a.occurredAt ?? now;
  // Late entry may date a step back to the previous caseworker step (not to filing or to automatic steps).
  const lastAt = c.events.filter((e) => e.actor !== 'system' && e.type !== 'case.filed').reduce((m, e) => (e.at > m ? e.at : m), c.receivedAt);
  if (at > now) return kernelRefusal('actionTime', `occurredAt ${at} is in the future`);
  if (at < lastAt) return kernelRefusal('actionTime', `occurredAt ${at} is before the previous step of the case (${lastAt})`);
  const suspended = c.stateBeforeSuspension !== null;
  switch (a.action) {
    case 'suspend': {
      const { reason } = a.input as zod.infer<typeof KERNEL_ACTIONS.suspend>;
      if (suspended) return kernelRefusal('alreadySuspended', 'the clock is already suspended');
      const honouring = c.deadlines.filter((d) => isOpenDeadline(d) && !d.completedAt && d.suspensionReasons.includes(reason));
      if (!honouring.length) {
        const known = def.suspensionReasons.map((r) => r.code);
        return kernelRefusal(
          'suspensionNotProvided',
          known.includes(reason)
            ? `no running clock of this case is suspended for ${reason}`
            : `${reason} is not a suspension reason of ${def.procedure}${known.length ? ` (${known.join(', ')})` : ': its articles provide none'}`,
        );
      }
      return null;
    }
    case 'resume':
      return suspended ? null : kernelRefusal('notSuspended', 'the clock is not suspended');
    case 'extend': {
      const { deadlineKey } = a.input as zod.infer<typeof KERNEL_ACTIONS.extend>;
      if (!def.extensions.allowed) return kernelRefusal('extensionNotAllowed', 'this procedure allows no extension of its deadlines', `TIME-RULES rule 7; ${def.extensions.basis}`);
      const d = c.deadlines.find((x) => x.key === deadlineKey);
      if (!d || !isOpenDeadline(d) || d.completedAt) return kernelRefusal('unknownDeadline', `no open deadline ${deadlineKey}`);
      if (d.dueAt !== null && at >= d.dueAt) return kernelRefusal('extensionAfterDeadline', `deadline ${d.key} passed at ${d.dueAt}`);
      return null;
    }
  }
  const action = def.actions[a.action];
  if (action.within) {
    const w = c.deadlines.filter((d) => d.clock === action.within).at(-1);
    const clock = def.clocks[action.within];
    if (!w || !isOpenDeadline(w) || (w.dueAt !== null && at >= w.dueAt) || at < w.startAt) {
      return kernelRefusal('windowClosed', w?.dueAt ? `the ${clock.label.toLowerCase()} ran until ${w.dueAt}` : `the ${clock.label.toLowerCase()} is not open`, clock.basis);
    }
  }
  const hit = action.refuse?.(reader(c, at, now, a.evidenceRef), a.input as never);
  return hit ? ruleRefusal(def, hit) : null;
}

// ---------------------------------------------------------------- applying an action

/** Applies an action already checked by `refusalForAction`. Mutates the case. */
export function applyKernelAction(def: AnyProcedure, calendar: Calendar, c: KernelCase<unknown>, a: KernelAction, now: string): void {
  const at = a.occurredAt ?? now;
  const ops = new Ops(def, calendar, c, at, now, a.actor, a.evidenceRef, a.note);
  switch (a.action) {
    case 'suspend': {
      const { reason } = a.input as zod.infer<typeof KERNEL_ACTIONS.suspend>;
      c.suspensions.push({ from: at, reason, ...(a.evidenceRef ? { evidenceRef: a.evidenceRef } : {}) });
      c.stateBeforeSuspension = c.state;
      c.state = 'suspended';
      const changed = recompute(def, calendar, c, at, `clock suspended (${reason})`);
      ops.event('clock.suspended', { clocks: changed }, reason);
      break;
    }
    case 'resume': {
      const open = c.suspensions[c.suspensions.length - 1];
      open.to = at;
      c.state = c.stateBeforeSuspension ?? c.state;
      c.stateBeforeSuspension = null;
      const changed = recompute(def, calendar, c, at, `clock resumed after ${open.reason}`);
      ops.event('clock.resumed', { suspendedFrom: open.from, recomputed: changed }, open.reason);
      break;
    }
    case 'extend': {
      const { deadlineKey, workingDays, reason } = a.input as zod.infer<typeof KERNEL_ACTIONS.extend>;
      const d = ops.deadline(deadlineKey)!;
      d.extensions.push({ period: { workingDays }, reason, grantedAt: at, grantedBy: a.actor });
      const before = { dueDate: d.dueDate, dueAt: d.dueAt, calendarVersion: d.calendarVersion };
      compute(def, calendar, c, d);
      d.previous.push({ ...before, changedAt: at, reason: `extended by ${workingDays} working day(s): ${reason}` });
      ops.event('deadline.extended', { deadlineKey, workingDays }, reason);
      break;
    }
    default:
      def.actions[a.action].apply(ops as unknown as CaseOps<never>, a.input as never);
  }
  refreshStatuses(c, now);
}

/** Recomputes every open deadline, keeping the old values when they change (TIME-RULES rules 6 and 8). */
function recompute(def: AnyProcedure, calendar: Calendar, c: KernelCase<unknown>, at: string, reason: string): string[] {
  const changed: string[] = [];
  for (const d of c.deadlines) {
    if (!isOpenDeadline(d) || d.completedAt) continue;
    const before = { dueDate: d.dueDate, dueAt: d.dueAt, calendarVersion: d.calendarVersion, provisional: d.provisional };
    compute(def, calendar, c, d);
    if (before.dueAt !== d.dueAt || before.calendarVersion !== d.calendarVersion || before.provisional !== d.provisional) {
      d.previous.push({ dueDate: before.dueDate, dueAt: before.dueAt, calendarVersion: before.calendarVersion, changedAt: at, reason });
      changed.push(d.key);
    }
  }
  refreshStatuses(c, at);
  return changed;
}

/** TIME-RULES rule 8: a loaded calendar recomputes the open deadlines and says on the case which moved. */
export function applyKernelCalendarLoad(def: AnyProcedure, calendar: Calendar, c: KernelCase<unknown>, now: string): string[] {
  const changed = recompute(def, calendar, c, now, `calendar ${calendar.version} loaded`);
  if (changed.length) addEvent(c, { type: 'calendar.recomputed', actor: 'system', at: now, data: { calendarVersion: calendar.version, deadlines: changed } });
  return changed;
}

// ---------------------------------------------------------------- time: statuses, escalations, expiries

export function refreshStatuses(c: KernelCase<unknown>, now: string): void {
  for (const d of c.deadlines) {
    if (d.status === 'cancelled' || d.status === 'expired' || d.status === 'lapsed') continue;
    if (d.completedAt) d.status = d.dueAt !== null && d.completedAt >= d.dueAt ? 'met-late' : 'met';
    else if (d.dueAt === null) d.status = 'suspended';
    else d.status = BREACHABLE.has(d.kind) && now >= d.dueAt ? 'overdue' : 'running';
  }
}

const firedKey = (deadlineKey: string, level: string, dueAt: string) => `${deadlineKey}|${level}|${dueAt}`;

/** Moments at which something fires for an open deadline: reminders, yellow, and the due instant. */
function triggers(d: KernelDeadline): { level: string; at: string }[] {
  if (d.dueAt === null) return [];
  const t = [...d.reminders];
  if (BREACHABLE.has(d.kind)) {
    if (d.yellowAt) t.push({ level: 'yellow', at: d.yellowAt });
    t.push({ level: 'red', at: d.dueAt });
  } else {
    t.push({ level: d.kind === 'subject' ? 'lapsed' : 'expired', at: d.dueAt });
  }
  return t;
}

/**
 * Everything due at `now`, in time order: escalations once per deadline, level and due instant, and the steps an
 * expiry or window clock triggers (which may start new clocks, so it runs until nothing more is due).
 * Returns whether anything happened.
 */
export function processDue(def: AnyProcedure, calendar: Calendar, c: KernelCase<unknown>, now: string): boolean {
  let any = false;
  for (let round = 0; round < 100; round++) {
    const fired = new Set(c.escalations.map((e) => firedKey(e.deadlineKey, e.level, e.dueAt)));
    const due: { d: KernelDeadline; level: string; at: string }[] = [];
    for (const d of c.deadlines) {
      if (!isOpenDeadline(d) || d.completedAt) continue;
      // Only the latest step reached fires (stable sort: at one instant red outranks yellow): a yellow missed while
      // the worker was down is not sent after the red.
      const reached = triggers(d)
        .filter((t) => t.at <= now)
        .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0))
        .at(-1);
      if (reached && !fired.has(firedKey(d.key, reached.level, d.dueAt!))) due.push({ d, ...reached });
    }
    if (!due.length) break;
    due.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
    for (const { d, level } of due) {
      const record: EscalationRecord = { deadlineKey: d.key, level: level as EscalationRecord['level'], dueAt: d.dueAt!, firedAt: now };
      c.escalations.push(record);
      addEvent(c, { type: `deadline.${level}`, actor: 'system', at: now, data: { deadlineKey: d.key, dueAt: d.dueAt, level, owner: d.owner } });
      if (level === 'expired' || level === 'lapsed') {
        d.status = level;
        const step = def.clocks[d.clock]?.onDue;
        if (step) def.steps![step](new Ops(def, calendar, c, d.dueAt!, now, 'system') as unknown as CaseOps<never>);
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
    for (const t of triggers(d)) {
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
