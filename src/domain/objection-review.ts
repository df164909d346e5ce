import type { ClockDefinition } from './kernel/definition';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- objection review v1 is being removed (decision 0021)
import type { ObjectionReviewDefinition, ObjectionVariant } from '../../procedures/objection-review/v1';
import { Calendar } from './calendar';
import { OPEN_DEADLINE_STATUSES } from './case-model';
import type {
  CaseEventRecord,
  DeadlineState,
  EscalationLevel,
  EscalationRecord,
  InputProblem,
  Refusal,
  Subject,
} from './case-model';
import { isIsoInstant } from './local-date';
import { ClockSuspension, computeDeadline, warningAt } from './periods';

export type ObjectionState = 'received' | 'under-review' | 'suspended' | 'correcting' | 'closed';
export type ObjectionOutcome = 'referred' | 'upheld' | 'rejected';

export interface ObjectionCase {
  caseId: string;
  idempotencyKey: string;
  procedure: 'objection-review';
  definitionVersion: number;
  variant: ObjectionVariant;
  unitId: string;
  subject: Subject;
  receivedAt: string;
  filedAt: string;
  state: ObjectionState;
  outcome: ObjectionOutcome | null;
  closedAt: string | null;
  markedAt: string | null;
  referral: { competentUnit: string; at: string } | null;
  assistance: { unitId: string; name?: string; noticeAt: string; repliedAt: string | null; result: string | null }[];
  suspensions: (ClockSuspension & { reason: string; evidenceRef?: string })[];
  decision: { outcome: 'upheld' | 'rejected'; reasons: string | null; at: string } | null;
  corrections: { system: string; sentAt: string; confirmedAt: string | null }[];
  deadlines: DeadlineState[];
  escalations: EscalationRecord[];
  events: CaseEventRecord[];
  revision: number;
}

export interface FileObjectionInput {
  caseId: string;
  idempotencyKey: string;
  variant: ObjectionVariant;
  unitId: string;
  subject: Subject;
  receivedAt: string;
  filedAt: string;
  actor: string;
  evidenceRef?: string;
}

interface ActionCommon {
  actor: string;
  occurredAt?: string;
  evidenceRef?: string;
  note?: string;
}

export type ObjectionAction = ActionCommon &
  (
    | { action: 'mark-disputed' }
    | { action: 'refer'; competentUnit: string }
    | { action: 'request-assistance'; units: { unitId: string; name?: string }[] }
    | { action: 'record-assistance-reply'; unitId: string; result: string }
    | { action: 'suspend'; reason: string }
    | { action: 'resume' }
    | { action: 'decide'; outcome: 'upheld' | 'rejected'; reasons?: string; downstreamSystems?: string[] }
    | { action: 'confirm-correction'; system: string }
    | { action: 'extend'; deadlineKey: string; workingDays: number; reason: string }
  );

export const objectionActions = [
  'mark-disputed',
  'refer',
  'request-assistance',
  'record-assistance-reply',
  'suspend',
  'resume',
  'decide',
  'confirm-correction',
  'extend',
] as const;

const MAX_TEXT = 2000;

export function isOpen(d: DeadlineState): boolean {
  return OPEN_DEADLINE_STATUSES.includes(d.status);
}

// ---------------------------------------------------------------- input parsing (400s)

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: InputProblem };

function text(body: Record<string, unknown>, field: string, required: boolean): Parsed<string | undefined> {
  const value = body[field];
  if (value === undefined || value === null) {
    return required ? { ok: false, problem: { field, message: `${field} is required` } } : { ok: true, value: undefined };
  }
  if (typeof value !== 'string') return { ok: false, problem: { field, message: `${field} must be a string` } };
  const trimmed = value.trim();
  if (required && !trimmed) return { ok: false, problem: { field, message: `${field} must not be empty` } };
  if (trimmed.length > MAX_TEXT) return { ok: false, problem: { field, message: `${field} must be at most ${MAX_TEXT} characters` } };
  return { ok: true, value: trimmed || undefined };
}

const allowedFields: Record<ObjectionAction['action'], string[]> = {
  'mark-disputed': [],
  refer: ['competentUnit'],
  'request-assistance': ['units'],
  'record-assistance-reply': ['unitId', 'result'],
  suspend: ['reason'],
  resume: [],
  decide: ['outcome', 'reasons', 'downstreamSystems'],
  'confirm-correction': ['system'],
  extend: ['deadlineKey', 'workingDays', 'reason'],
};

/** Checks the shape of an action; the legal checks come after, against the case (`refusalFor`). */
export function parseObjectionAction(body: unknown): Parsed<ObjectionAction> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problem: { field: 'body', message: 'the body must be a JSON object' } };
  }
  const b = body as Record<string, unknown>;
  const name = b.action;
  if (typeof name !== 'string' || !(objectionActions as readonly string[]).includes(name)) {
    return { ok: false, problem: { field: 'action', message: `action must be one of: ${objectionActions.join(', ')}` } };
  }
  const action = name as ObjectionAction['action'];
  const known = new Set(['action', 'actor', 'occurredAt', 'evidenceRef', 'note', ...allowedFields[action]]);
  const extra = Object.keys(b).find((k) => !known.has(k));
  if (extra) return { ok: false, problem: { field: extra, message: `${extra} is not a field of action ${action}` } };

  const common: ActionCommon = { actor: 'caseworker' };
  for (const field of ['actor', 'evidenceRef', 'note'] as const) {
    const r = text(b, field, false);
    if (!r.ok) return r;
    if (r.value !== undefined) common[field] = r.value;
  }
  if (b.occurredAt !== undefined) {
    if (typeof b.occurredAt !== 'string' || !isIsoInstant(b.occurredAt)) {
      return { ok: false, problem: { field: 'occurredAt', message: 'occurredAt must be an ISO 8601 instant with an offset, e.g. 2026-11-27T10:00:00+08:00' } };
    }
    common.occurredAt = new Date(Date.parse(b.occurredAt)).toISOString();
  }
  const need = (field: string) => text(b, field, true);

  switch (action) {
    case 'mark-disputed':
    case 'resume':
      return { ok: true, value: { ...common, action } };
    case 'refer': {
      const r = need('competentUnit');
      return r.ok ? { ok: true, value: { ...common, action, competentUnit: r.value! } } : r;
    }
    case 'suspend': {
      const r = need('reason');
      return r.ok ? { ok: true, value: { ...common, action, reason: r.value! } } : r;
    }
    case 'confirm-correction': {
      const r = need('system');
      return r.ok ? { ok: true, value: { ...common, action, system: r.value! } } : r;
    }
    case 'extend': {
      const key = need('deadlineKey');
      if (!key.ok) return key;
      const reason = need('reason');
      if (!reason.ok) return reason;
      const n = b.workingDays;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 60) {
        return { ok: false, problem: { field: 'workingDays', message: 'workingDays must be an integer from 1 to 60' } };
      }
      return { ok: true, value: { ...common, action, deadlineKey: key.value!, workingDays: n, reason: reason.value! } };
    }
    case 'record-assistance-reply': {
      const unit = need('unitId');
      if (!unit.ok) return unit;
      const result = need('result');
      if (!result.ok) return result;
      return { ok: true, value: { ...common, action, unitId: unit.value!, result: result.value! } };
    }
    case 'request-assistance': {
      const units = b.units;
      if (!Array.isArray(units) || units.length === 0 || units.length > 50) {
        return { ok: false, problem: { field: 'units', message: 'units must be a list of 1 to 50 assisting units' } };
      }
      const parsed: { unitId: string; name?: string }[] = [];
      for (const [i, u] of units.entries()) {
        if (typeof u !== 'object' || u === null) return { ok: false, problem: { field: `units[${i}]`, message: 'must be an object { unitId, name? }' } };
        const id = text(u as Record<string, unknown>, 'unitId', true);
        if (!id.ok) return { ok: false, problem: { field: `units[${i}].unitId`, message: id.problem.message } };
        const nm = text(u as Record<string, unknown>, 'name', false);
        if (!nm.ok) return { ok: false, problem: { field: `units[${i}].name`, message: nm.problem.message } };
        if (parsed.some((p) => p.unitId === id.value)) {
          return { ok: false, problem: { field: `units[${i}].unitId`, message: `unit ${id.value} is listed twice` } };
        }
        parsed.push({ unitId: id.value!, ...(nm.value ? { name: nm.value } : {}) });
      }
      return { ok: true, value: { ...common, action, units: parsed } };
    }
    case 'decide': {
      if (b.outcome !== 'upheld' && b.outcome !== 'rejected') {
        return { ok: false, problem: { field: 'outcome', message: 'outcome must be "upheld" or "rejected"' } };
      }
      const reasons = text(b, 'reasons', false);
      if (!reasons.ok) return reasons;
      let downstreamSystems: string[] | undefined;
      if (b.downstreamSystems !== undefined) {
        const list = b.downstreamSystems;
        if (!Array.isArray(list) || list.length > 100 || list.some((s) => typeof s !== 'string' || !s.trim() || s.length > 200)) {
          return { ok: false, problem: { field: 'downstreamSystems', message: 'downstreamSystems must be a list of at most 100 non-empty system names' } };
        }
        downstreamSystems = [...new Set(list.map((s: string) => s.trim()))];
        if (b.outcome === 'rejected' && downstreamSystems.length) {
          return { ok: false, problem: { field: 'downstreamSystems', message: 'downstreamSystems receive a correction, so they belong only to an upheld decision' } };
        }
      }
      return { ok: true, value: { ...common, action, outcome: b.outcome, reasons: reasons.value, downstreamSystems } };
    }
  }
}

// ---------------------------------------------------------------- filing

export function fileObjectionCase(def: ObjectionReviewDefinition, calendar: Calendar, input: FileObjectionInput): ObjectionCase {
  const variant = def.variants[input.variant];
  const c: ObjectionCase = {
    caseId: input.caseId,
    idempotencyKey: input.idempotencyKey,
    procedure: 'objection-review',
    definitionVersion: def.version,
    variant: input.variant,
    unitId: input.unitId,
    subject: input.subject,
    receivedAt: input.receivedAt,
    filedAt: input.filedAt,
    state: 'received',
    outcome: null,
    closedAt: null,
    markedAt: null,
    referral: null,
    assistance: [],
    suspensions: [],
    decision: null,
    corrections: [],
    deadlines: [],
    escalations: [],
    events: [],
    revision: 0,
  };
  for (const clock of variant.onReceipt) {
    c.deadlines.push(newDeadline(def, calendar, c, clock, clock.key, input.receivedAt, 'objection received'));
  }
  addEvent(c, {
    type: 'case.filed',
    actor: input.actor,
    at: input.filedAt,
    evidenceRef: input.evidenceRef,
    data: { receivedAt: input.receivedAt, variant: input.variant, definitionVersion: def.version, lateEntry: input.receivedAt < input.filedAt },
  });
  refreshStatuses(c, input.filedAt);
  return c;
}

function newDeadline(
  def: ObjectionReviewDefinition,
  calendar: Calendar,
  c: ObjectionCase,
  clock: ClockDefinition,
  key: string,
  startAt: string,
  startEvent: string,
): DeadlineState {
  const d: DeadlineState = {
    key,
    clock: clock.key,
    label: clock.label,
    labelZh: clock.labelZh,
    kind: clock.kind,
    basis: clock.basis,
    period: clock.period,
    suspendable: clock.suspendable,
    startAt,
    startEvent,
    status: 'running',
    dueDate: null,
    dueAt: null,
    yellowAt: null,
    provisional: false,
    calendarVersion: calendar.version,
    explanation: undefined as never,
    previous: [],
    extensions: [],
    completedAt: null,
  };
  compute(def, calendar, c, d);
  return d;
}

function compute(def: ObjectionReviewDefinition, calendar: Calendar, c: ObjectionCase, d: DeadlineState): void {
  const result = computeDeadline(calendar, {
    start: d.startAt,
    period: d.period,
    startEvent: d.startEvent,
    suspensions: d.suspendable ? c.suspensions.map(({ from, to, reason }) => ({ from, to, reason })) : [],
    extensions: d.extensions,
  });
  d.dueDate = result.dueDate;
  d.dueAt = result.dueAt;
  d.provisional = result.provisional;
  d.calendarVersion = result.calendarVersion;
  d.explanation = result.explanation;
  d.yellowAt = result.dueDate ? warningAt(calendar, result.dueDate, def.escalation.yellowWorkingDaysBefore, d.startAt) : null;
}

/** Recomputes every open deadline, keeping the old values when they change (docs/time-rules.md#suspension and docs/time-rules.md#calendar-coverage). */
export function recomputeDeadlines(def: ObjectionReviewDefinition, calendar: Calendar, c: ObjectionCase, at: string, reason: string): string[] {
  const changed: string[] = [];
  for (const d of c.deadlines) {
    if (!isOpen(d)) continue;
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

/**
 * docs/time-rules.md#calendar-coverage: a newly loaded calendar year recomputes the open deadlines; the audit trail says which moved
 * and under which calendar version (the old values stay in each deadline's `previous`).
 */
export function applyCalendarLoad(def: ObjectionReviewDefinition, calendar: Calendar, c: ObjectionCase, at: string, audit = true): string[] {
  const changed = recomputeDeadlines(def, calendar, c, at, `calendar ${calendar.version} loaded`);
  if (audit && changed.length) {
    addEvent(c, { type: 'calendar.recomputed', actor: 'system', at, data: { calendarVersion: calendar.version, deadlines: changed } });
  }
  return changed;
}

// ---------------------------------------------------------------- legal checks (422s)

function refuse(def: ObjectionReviewDefinition, rule: keyof ObjectionReviewDefinition['rules'], message: string): Refusal {
  const r = def.rules[rule];
  return { rule: r.id, basis: r.basis, message };
}

export function refusalFor(def: ObjectionReviewDefinition, c: ObjectionCase, a: ObjectionAction, now: string): Refusal | null {
  if (c.state === 'closed') return refuse(def, 'caseClosed', `case ${c.caseId} is closed (${c.outcome})`);
  const at = a.occurredAt ?? now;
  // Late entry may date a step back to the previous caseworker step (not to filing or to automatic escalations).
  const lastAt = c.events.filter((e) => e.actor !== 'system' && e.type !== 'case.filed').reduce((m, e) => (e.at > m ? e.at : m), c.receivedAt);
  if (at > now) return refuse(def, 'occurredAt', `occurredAt ${at} is in the future`);
  if (at < lastAt) return refuse(def, 'occurredAt', `occurredAt ${at} is before the previous step of the case (${lastAt})`);
  const decided = c.decision !== null;
  const suspended = c.state === 'suspended';
  switch (a.action) {
    case 'mark-disputed':
      if (c.variant !== 'standard') return refuse(def, 'noMarkOnList', 'the Art. 35 re-examination has no separate dispute mark');
      if (c.markedAt) return refuse(def, 'onlyOnce', `the record was already marked as disputed at ${c.markedAt}`);
      if (decided) return refuse(def, 'onlyOnce', 'the objection is already decided');
      return null;
    case 'refer':
      if (decided) return refuse(def, 'referAfterDecision', 'the objection is already decided');
      if (!a.competentUnit) return refuse(def, 'referralNeedsUnit', 'name the competent unit');
      return null;
    case 'request-assistance': {
      if (!def.variants[c.variant].assistedDecision) {
        return refuse(def, 'noAssistanceOnList', 'assisted verification is not available for an Art. 35 objection');
      }
      if (decided) return refuse(def, 'assistanceAfterDecision', 'the objection is already decided');
      const decisionClock = c.deadlines.find((d) => d.key === 'decision');
      if (c.assistance.length === 0 && decisionClock?.dueAt && at >= decisionClock.dueAt) {
        return refuse(def, 'assistanceAfterDeadline', `the ${decisionClock.dueDate} decision deadline had already passed; the 7-day regime must be invoked while the 3-day period runs`);
      }
      const dup = a.units.find((u) => c.assistance.some((x) => x.unitId === u.unitId));
      if (dup) return refuse(def, 'onlyOnce', `unit ${dup.unitId} was already asked to verify`);
      return null;
    }
    case 'record-assistance-reply': {
      const unit = c.assistance.find((x) => x.unitId === a.unitId);
      if (!unit) return refuse(def, 'unknownAssistingUnit', `unit ${a.unitId} was not asked to verify`);
      if (unit.repliedAt) return refuse(def, 'onlyOnce', `unit ${a.unitId} already replied at ${unit.repliedAt}`);
      if (decided) return refuse(def, 'assistanceAfterDecision', 'the objection is already decided');
      return null;
    }
    case 'suspend':
      if (!def.suspensionReasons.some((r) => r.code === a.reason)) {
        return refuse(def, 'suspensionReason', `reason must be one of: ${def.suspensionReasons.map((r) => r.code).join(', ')}`);
      }
      if (suspended) return refuse(def, 'alreadySuspended', 'the clock is already suspended');
      if (decided) return refuse(def, 'assistanceAfterDecision', 'the objection is already decided');
      return null;
    case 'resume':
      if (!suspended) return refuse(def, 'notSuspended', 'the clock is not suspended');
      return null;
    case 'decide':
      if (decided) return refuse(def, 'onlyOnce', `the objection was already decided (${c.decision!.outcome})`);
      if (suspended) return refuse(def, 'decideWhileSuspended', 'resume the clock before deciding');
      if (c.variant === 'standard' && !c.markedAt) return refuse(def, 'markBeforeDecision', 'mark the record as disputed first');
      if (a.outcome === 'rejected' && !a.reasons) return refuse(def, 'reasonsRequired', 'a rejection must state its reasons');
      return null;
    case 'extend': {
      if (!def.extensions.allowed) return refuse(def, 'extensionNotAllowed', 'this procedure allows no extension of its deadlines');
      const d = c.deadlines.find((x) => x.key === a.deadlineKey);
      if (!d || !isOpen(d) || d.completedAt) return refuse(def, 'unknownDeadline', `no open deadline ${a.deadlineKey}`);
      if (d.dueAt !== null && at >= d.dueAt) return refuse(def, 'extensionAfterDeadline', `deadline ${d.key} passed at ${d.dueAt}`);
      return null;
    }
    case 'confirm-correction': {
      if (c.decision?.outcome !== 'upheld') return refuse(def, 'correctionOnlyWhenUpheld', 'no upheld decision to correct');
      const corr = c.corrections.find((x) => x.system === a.system);
      if (!corr) return refuse(def, 'unknownDownstream', `the correction was not sent to ${a.system}`);
      if (corr.confirmedAt) return refuse(def, 'onlyOnce', `${a.system} already confirmed at ${corr.confirmedAt}`);
      return null;
    }
  }
}

// ---------------------------------------------------------------- applying an action

/** Applies an action already checked by `refusalFor`. Mutates and returns the case. */
export function applyObjectionAction(
  def: ObjectionReviewDefinition,
  calendar: Calendar,
  c: ObjectionCase,
  a: ObjectionAction,
  now: string,
): ObjectionCase {
  const at = a.occurredAt ?? now;
  const base = { actor: a.actor, at, evidenceRef: a.evidenceRef };
  const note = a.note ? { note: a.note } : {};
  const complete = (key: string) => {
    const d = c.deadlines.find((x) => x.key === key);
    if (d && isOpen(d)) d.completedAt = at;
  };
  const cancel = (predicate: (d: DeadlineState) => boolean) => {
    for (const d of c.deadlines) if (isOpen(d) && !d.completedAt && predicate(d)) d.status = 'cancelled';
  };

  switch (a.action) {
    case 'mark-disputed':
      c.markedAt = at;
      complete('mark-disputed');
      if (c.state === 'received') c.state = 'under-review';
      addEvent(c, { ...base, type: 'record.marked-disputed', data: { ...note } });
      break;
    case 'refer':
      c.referral = { competentUnit: a.competentUnit, at };
      complete('decision');
      cancel(() => true);
      close(c, 'referred', at);
      addEvent(c, { ...base, type: 'case.referred', reason: a.note, data: { competentUnit: a.competentUnit } });
      break;
    case 'request-assistance': {
      const decision = c.deadlines.find((d) => d.key === 'decision');
      const assisted = def.variants[c.variant].assistedDecision!;
      if (decision && isOpen(decision) && c.assistance.length === 0) {
        const before = { dueDate: decision.dueDate, dueAt: decision.dueAt, calendarVersion: decision.calendarVersion };
        decision.period = assisted.period;
        decision.basis = assisted.basis;
        compute(def, calendar, c, decision);
        decision.previous.push({ ...before, changedAt: at, reason: 'assisted verification: the 7-working-day period replaces the 3-working-day period' });
      }
      for (const u of a.units) {
        c.assistance.push({ ...u, noticeAt: at, repliedAt: null, result: null });
        c.deadlines.push(newDeadline(def, calendar, c, def.assistanceReply, `assistance-reply:${u.unitId}`, at, `verification notice to ${u.unitId}`));
      }
      if (c.state === 'received') c.state = 'under-review';
      addEvent(c, { ...base, type: 'assistance.requested', data: { units: a.units, ...note } });
      break;
    }
    case 'record-assistance-reply': {
      const unit = c.assistance.find((x) => x.unitId === a.unitId)!;
      unit.repliedAt = at;
      unit.result = a.result;
      complete(`assistance-reply:${a.unitId}`);
      addEvent(c, { ...base, type: 'assistance.replied', data: { unitId: a.unitId, result: a.result, ...note } });
      break;
    }
    case 'suspend':
      c.suspensions.push({ from: at, reason: a.reason, evidenceRef: a.evidenceRef });
      c.state = 'suspended';
      recomputeDeadlines(def, calendar, c, at, `clock suspended (${a.reason})`);
      addEvent(c, { ...base, type: 'clock.suspended', reason: a.reason, data: { ...note } });
      break;
    case 'resume': {
      const open = c.suspensions[c.suspensions.length - 1];
      open.to = at;
      c.state = c.markedAt || c.assistance.length ? 'under-review' : 'received';
      const changed = recomputeDeadlines(def, calendar, c, at, `clock resumed after ${open.reason}`);
      addEvent(c, { ...base, type: 'clock.resumed', reason: open.reason, data: { suspendedFrom: open.from, recomputed: changed, ...note } });
      break;
    }
    case 'decide': {
      c.decision = { outcome: a.outcome, reasons: a.reasons ?? null, at };
      complete('decision');
      cancel((d) => d.clock === 'assistance-reply');
      if (a.outcome === 'rejected') {
        close(c, 'rejected', at);
      } else {
        for (const system of a.downstreamSystems ?? []) {
          c.corrections.push({ system, sentAt: at, confirmedAt: null });
          c.deadlines.push(newDeadline(def, calendar, c, def.correction, `correction:${system}`, at, `correction sent to ${system}`));
        }
        c.outcome = 'upheld';
        c.state = 'correcting';
      }
      addEvent(c, {
        ...base,
        type: `decision.${a.outcome}`,
        reason: a.reasons,
        data: {
          downstreamSystems: a.downstreamSystems ?? [],
          effects:
            a.outcome === 'upheld'
              ? c.variant === 'serious-dishonesty-list'
                ? ['remove subject from the serious-dishonesty list', 'stop the punitive measures', 'notify the applicant']
                : ['correct the record', 'notify the applicant']
              : ['notify the applicant with reasons'],
          ...note,
        },
      });
      if (a.outcome === 'upheld' && c.corrections.length === 0) close(c, 'upheld', at);
      break;
    }
    case 'extend': {
      const d = c.deadlines.find((x) => x.key === a.deadlineKey)!;
      d.extensions.push({ period: { workingDays: a.workingDays }, reason: a.reason, grantedAt: at, grantedBy: a.actor });
      const before = { dueDate: d.dueDate, dueAt: d.dueAt, calendarVersion: d.calendarVersion };
      compute(def, calendar, c, d);
      d.previous.push({ ...before, changedAt: at, reason: `extended by ${a.workingDays} working day(s): ${a.reason}` });
      addEvent(c, { ...base, type: 'deadline.extended', reason: a.reason, data: { deadlineKey: d.key, workingDays: a.workingDays, ...note } });
      break;
    }
    case 'confirm-correction': {
      const corr = c.corrections.find((x) => x.system === a.system)!;
      corr.confirmedAt = at;
      complete(`correction:${a.system}`);
      addEvent(c, { ...base, type: 'correction.confirmed', data: { system: a.system, ...note } });
      if (c.corrections.every((x) => x.confirmedAt)) close(c, 'upheld', at);
      break;
    }
  }
  refreshStatuses(c, now);
  return c;
}

function close(c: ObjectionCase, outcome: ObjectionOutcome, at: string): void {
  c.state = 'closed';
  c.outcome = outcome;
  c.closedAt = at;
}

function addEvent(c: ObjectionCase, e: Omit<CaseEventRecord, 'seq' | 'data'> & { data?: Record<string, unknown> }): void {
  c.events.push({ ...e, seq: c.events.length + 1, data: e.data ?? {} });
}

// ---------------------------------------------------------------- deadline status and escalation

export function refreshStatuses(c: ObjectionCase, now: string): void {
  for (const d of c.deadlines) {
    if (d.status === 'cancelled') continue;
    if (d.completedAt) {
      d.status = d.dueAt !== null && d.completedAt >= d.dueAt ? 'met-late' : 'met';
    } else if (d.dueAt === null) {
      d.status = 'suspended';
    } else {
      d.status = now >= d.dueAt ? 'overdue' : 'running';
    }
  }
}

/**
 * Escalations due at `now` that have not fired yet: once per deadline, level and due instant — a due date moved
 * by a suspension or the assisted regime gets its own warning.
 */
function firedKeys(c: ObjectionCase): Set<string> {
  return new Set(c.escalations.map((e) => `${e.deadlineKey}|${e.level}|${e.dueAt}`));
}

export function dueEscalations(c: ObjectionCase, now: string): EscalationRecord[] {
  const fired = firedKeys(c);
  const due: EscalationRecord[] = [];
  for (const d of c.deadlines) {
    if (!isOpen(d) || d.dueAt === null || d.completedAt) continue;
    const add = (level: EscalationLevel) => {
      if (!fired.has(`${d.key}|${level}|${d.dueAt}`)) due.push({ deadlineKey: d.key, level, dueAt: d.dueAt!, firedAt: now });
    };
    if (now >= d.dueAt) add('red');
    else if (d.yellowAt !== null && now >= d.yellowAt) add('yellow');
  }
  return due;
}

export function recordEscalations(c: ObjectionCase, escalations: EscalationRecord[], now: string): void {
  for (const e of escalations) {
    c.escalations.push(e);
    addEvent(c, {
      type: `deadline.${e.level}`,
      actor: 'system',
      at: now,
      data: { deadlineKey: e.deadlineKey, dueAt: e.dueAt, level: e.level },
    });
  }
  refreshStatuses(c, now);
}

/** The next moment something can fire, or null when nothing is pending. */
export function nextWakeUp(c: ObjectionCase, now: string): string | null {
  const fired = firedKeys(c);
  let next: string | null = null;
  for (const d of c.deadlines) {
    if (!isOpen(d) || d.dueAt === null) continue;
    const candidates: string[] = [];
    const red = fired.has(`${d.key}|red|${d.dueAt}`);
    if (!red) candidates.push(d.dueAt);
    if (!red && !fired.has(`${d.key}|yellow|${d.dueAt}`) && d.yellowAt) candidates.push(d.yellowAt);
    for (const t of candidates) if (t > now && (next === null || t < next)) next = t;
  }
  return next;
}

/** A case is finished when it is closed and no deadline can still escalate. */
export function isFinished(c: ObjectionCase): boolean {
  return c.state === 'closed' && !c.deadlines.some(isOpen);
}
