import type { z as zod } from 'zod';
import type { KernelActionName, KernelClock, KernelProcedure } from './definition';
import { Calendar } from '../calendar';
import type { CaseEventRecord, EscalationRecord, InputProblem, Refusal, Subject } from '../case-model';
import { DAY_MS, dayNumber, endOfShanghaiDay, instantMs, shanghaiDay, toIso } from '../local-date';
import { computeDeadline, Period, warningAt } from '../periods';
import type { Actor, CaseOps, CaseReader, CreditData, CreditEffect, CreditEffectKind, CrossCaseEffect, IncomingEffect, KernelCase, KernelDeadline, LadderStep, MeasuresRenewal, RuleHit, StartClock } from './ops';
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
  /** The user who filed (the API puts the authenticated user's id here). */
  actor: string;
  /** The filing user's unit, when the API authenticated one. */
  actorUnit?: string;
  evidenceRef?: string;
  /** The procedure's own filing fields, already parsed by its schema. */
  filing: unknown;
  /** The renewal notice the receipt falls under, for measures past their end (absent otherwise). */
  renewal?: MeasuresRenewal;
}

export interface KernelAction {
  action: string;
  actor: string;
  /** The authenticated user; absent for actions recorded before the API authenticated them (no who-may-act checks). */
  authenticated?: Actor;
  occurredAt?: string;
  evidenceRef?: string;
  note?: string;
  input: unknown;
}

/** Deadline statuses that can still be met and can still escalate. */
const OPEN = new Set(['running', 'suspended', 'overdue']);
export const isOpenDeadline = (d: KernelDeadline) => OPEN.has(d.status);
const BREACHABLE = new Set(['legal', 'promised']);

export const KERNEL_RULES = {
  caseClosed: { id: 'case-closed', basis: 'A closed case accepts no further actions' },
  actionTime: { id: 'action-time', basis: 'An action cannot be dated in the future or before the previous step of the case' },
  suspensionNotProvided: {
    id: 'suspension-not-provided',
    basis: 'docs/time-rules.md#suspension: a clock is suspended only for the reasons its article provides (none unless it says so)',
  },
  alreadySuspended: { id: 'already-suspended', basis: 'docs/time-rules.md#suspension: the clock is already stopped' },
  notSuspended: { id: 'not-suspended', basis: 'docs/time-rules.md#suspension: only a stopped clock can resume' },
  extensionNotAllowed: { id: 'extension-not-allowed', basis: 'docs/time-rules.md#extension: only where the procedure definition allows it' },
  extensionAfterDeadline: {
    id: 'extension-after-deadline',
    basis: 'docs/time-rules.md#extension: an extension is granted before the deadline passes (judged when it is recorded, not on a backdated occurredAt)',
  },
  extensionTooLong: { id: 'extension-too-long', basis: 'docs/time-rules.md#extension: no longer in all than the provision allowing the extension permits' },
  noExtensionRequest: { id: 'no-extension-request', basis: 'docs/time-rules.md#extension: a supervisor approves or refuses an extension the caseworker asked for' },
  extensionRequestPending: { id: 'extension-request-pending', basis: 'docs/time-rules.md#extension: one request per deadline is decided before another is made' },
  extensionNeedsSupervisor: {
    id: 'extension-needs-supervisor',
    basis: 'docs/time-rules.md#extension: an extension is granted by a supervisor (of the owning unit or a unit above it) or an administrator',
    forbidden: true,
  },
  notAParty: {
    id: 'not-a-party',
    basis: 'A user of an involved unit records only the steps of its own unit (its receipt, its reply); the owning unit takes the others',
    forbidden: true,
  },
  unknownDeadline: { id: 'unknown-deadline', basis: 'Only an open deadline of the case can be extended' },
  windowClosed: { id: 'window-closed', basis: 'The action is accepted only when it happened (occurredAt) while its window ran' },
  notInState: { id: 'action-not-in-state', basis: "The procedure's state graph: each state allows the actions its definition lists (GET /procedures, states)" },
} as const;

// ---------------------------------------------------------------- parsing (400s)

const COMMON = lazy(() =>
  z.object({ actor: text(200).optional(), occurredAt: isoInstant().optional(), evidenceRef: text(500).optional(), note: text().optional() }).strict(),
);

export function actionNames(def: AnyProcedure): string[] {
  return [...Object.keys(def.actions), ...Object.keys(BUILT_IN)];
}

export function actionSchema(def: AnyProcedure, name: string): zod.ZodType | undefined {
  return def.actions[name]?.schema ?? BUILT_IN[name as KernelActionName]?.schema;
}

/** The basis GET /procedures shows for an action: the procedure's own, or the built-in action's for this definition. */
export function actionBasis(def: AnyProcedure, name: string): string {
  return def.actions[name]?.basis ?? BUILT_IN[name as KernelActionName].basis(def);
}

/** What a state allows: the definition's actions listed for it, and the built-in actions that apply to the case's clocks. */
export function actionsAllowedIn(def: AnyProcedure, state: string): string[] {
  if (state === 'closed') return Object.entries(def.actions).flatMap(([name, a]) => (a.afterClose ? [name] : []));
  const own = state === 'suspended' ? [] : [...(def.states[state]?.actions ?? [])];
  const builtIn = (Object.keys(BUILT_IN) as KernelActionName[]).filter((name) => BUILT_IN[name].offeredIn(def, state));
  return [...own, ...builtIn];
}

/** The actions a user of an involved unit may take, and the input field that must name its own unit. */
export function partyActions(def: AnyProcedure): { action: string; field: string }[] {
  return Object.entries(def.actions).flatMap(([action, a]) => (a.party ? [{ action, field: a.party }] : []));
}

/**
 * Checks the shape of an action body against the common fields and the action's schema. With an authenticated
 * `actor` the event's actor is that user (the API keeps `actor` out of the body); without one (histories recorded
 * before authentication) it is the body's `actor`, as it was then.
 */
export function parseKernelAction(
  def: AnyProcedure,
  body: unknown,
  authenticated?: Actor,
): { ok: true; value: KernelAction } | { ok: false; problem: InputProblem } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, problem: { field: 'body', message: 'the body must be a JSON object' } };
  const { action, actor: bodyActor, occurredAt, evidenceRef, note, ...fields } = body as Record<string, unknown>;
  const actor = authenticated ? undefined : bodyActor;
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
      actor: authenticated?.id ?? c.actor ?? 'caseworker',
      ...(authenticated ? { authenticated } : {}),
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
    private readonly actorUnit?: string,
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
    // A subject's period that lapsed while the step, done in time, was not yet entered: met, recorded late.
    const lapsedInTime = d?.status === 'lapsed' && d.dueAt !== null && this.at < d.dueAt;
    if (lapsedInTime) d.status = 'running';
    if (!d || !isOpenDeadline(d) || d.completedAt) return;
    d.completedAt = this.at;
    d.completionRecordedAt = this.now;
    if (this.evidenceRef) d.evidenceRef = this.evidenceRef;
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
      recordedAt: this.now,
      ...(reason ? { reason } : {}),
      ...(this.evidenceRef ? { evidenceRef: this.evidenceRef } : {}),
      data: {
        ...data,
        ...(this.actorUnit ? { actorUnit: this.actorUnit } : {}),
        ...(this.note ? { note: this.note } : {}),
        ...(this.at !== this.now ? { recordedAt: this.now } : {}),
      },
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
  credit<K extends CreditEffectKind>(kind: K, data: CreditData[K], until: string | null = null) {
    this.c.creditEffects.push({ seq: this.c.creditEffects.length + 1, kind, at: this.at, until, data } as CreditEffect);
  }
  affect(effect: CrossCaseEffect) {
    const outgoing = (this.c.outgoing ??= []);
    outgoing.push({ id: `${this.c.caseId}:${outgoing.length + 1}`, effect, at: this.at, status: 'pending' });
  }
  notApplicable(which: (d: KernelDeadline) => boolean, reason: string) {
    for (const d of this.c.deadlines) {
      if (!isOpenDeadline(d) || d.completedAt || !which(d)) continue;
      d.status = 'not-applicable';
      d.previous.push({ dueDate: d.dueDate, dueAt: d.dueAt, calendarVersion: d.calendarVersion, changedAt: this.at, reason });
    }
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
const isLadderLevel = (level: string) => level.startsWith('overdue-') || level.startsWith('escalation-');

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

function addEvent(c: KernelCase<unknown>, e: Omit<CaseEventRecord, 'seq' | 'recordedAt'> & { recordedAt: string }): void {
  c.events.push({ ...e, seq: c.events.length + 1 });
}

/** A case carried over by continue-as-new from a run that kept no parties or extension requests. */
export function upgradeKernelCase<D>(c: KernelCase<D>): KernelCase<D> {
  const older = c as Partial<Pick<KernelCase<D>, 'parties' | 'extensionRequests'>>;
  older.parties ??= [];
  older.extensionRequests ??= [];
  return c;
}

// ---------------------------------------------------------------- filing

/** `ladder`: run the escalation ladder (the workflow turns it off for histories recorded before it). */
export function fileKernelCase<D>(def: AnyProcedure, calendar: Calendar, f: KernelFiling, options: { ladder?: boolean } = {}): KernelCase<D> {
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
    parties: [],
    ladder: options.ladder ?? true,
    data: {} as D,
    suspensions: [],
    deadlines: [],
    extensionRequests: [],
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
    recordedAt: f.filedAt,
    ...(f.evidenceRef ? { evidenceRef: f.evidenceRef } : {}),
    data: {
      receivedAt: f.receivedAt,
      variant: f.variant,
      definitionVersion: def.version,
      lateEntry: f.receivedAt < f.filedAt,
      filing: f.filing,
      ...(f.actorUnit ? { actorUnit: f.actorUnit } : {}),
      ...(f.renewal ? { renewal: f.renewal } : {}),
    },
  });
  const ops = new Ops<D>(def, calendar, c, f.receivedAt, f.filedAt, f.actor, f.evidenceRef, undefined, f.actorUnit);
  c.data = def.file(ops, f.filing, f.renewal ? { renewal: f.renewal } : {});
  refreshStatuses(c, f.filedAt);
  return c;
}

// ---------------------------------------------------------------- legal checks (422s)

function ruleRefusal(def: AnyProcedure, hit: RuleHit): Refusal {
  const r = def.rules[hit.rule];
  if (!r) throw new Error(`${def.procedure} v${def.version} has no rule ${hit.rule}`);
  return { rule: r.id, basis: r.basis, message: hit.message };
}

function kernelRefusal(rule: keyof typeof KERNEL_RULES, message: string, basis?: string): Refusal {
  const r: { id: string; basis: string; forbidden?: true } = KERNEL_RULES[rule];
  return { rule: r.id, basis: basis ?? r.basis, message, ...(r.forbidden ? { forbidden: true } : {}) };
}

const maySupervise = (who: Actor) => who.access === 'admin' || (who.roles.includes('supervisor') && (who.access === 'owner' || who.access === 'supervisor'));

/** Who may take the step at all (403s); nothing to check for actions recorded before the API authenticated them. */
function refusalForActor(def: AnyProcedure, a: KernelAction): Refusal | null {
  const who = a.authenticated;
  if (!who) return null;
  if (who.access === 'party') {
    const field = def.actions[a.action]?.party;
    if (!field) return kernelRefusal('notAParty', `a user of an involved unit (${who.unitId}) cannot take the step ${a.action}`);
    const named = (a.input as Record<string, unknown>)[field];
    if (named !== who.unitId) return kernelRefusal('notAParty', `a user of ${who.unitId} records ${a.action} only for its own unit, not for ${String(named)}`);
  }
  if (BUILT_IN[a.action as KernelActionName]?.supervisorOnly && !maySupervise(who)) {
    return kernelRefusal('extensionNeedsSupervisor', `${a.action} needs a supervisor of the owning unit or a unit above it, or an administrator`);
  }
  return null;
}

const openDeadline = (c: KernelCase<unknown>, key: string) => c.deadlines.find((d) => d.key === key && isOpenDeadline(d) && !d.completedAt);
const pendingRequest = (c: KernelCase<unknown>, key: string) => c.extensionRequests.find((r) => r.deadlineKey === key && r.status === 'pending');
const grantedWorkingDays = (d: KernelDeadline) => d.extensions.reduce((sum, x) => sum + ('workingDays' in x.period ? x.period.workingDays : 0), 0);

/** docs/time-rules.md#extension for a grant of `workingDays` more on deadline `key`, judged at the recording time `now`. */
function refusalForExtension(def: AnyProcedure, c: KernelCase<unknown>, key: string, workingDays: number, now: string): Refusal | null {
  if (!def.extensions.allowed) return kernelRefusal('extensionNotAllowed', 'this procedure allows no extension of its deadlines', `docs/time-rules.md#extension; ${def.extensions.basis}`);
  const d = openDeadline(c, key);
  if (!d) return kernelRefusal('unknownDeadline', `no open deadline ${key}`);
  const allowance = def.clocks[d.clock]?.extension;
  if (!allowance) return kernelRefusal('extensionNotAllowed', `no provision allows extending the ${d.label.toLowerCase()} (${d.basis})`);
  if (d.dueAt !== null && now >= d.dueAt) return kernelRefusal('extensionAfterDeadline', `deadline ${d.key} passed at ${d.dueAt}`);
  const granted = grantedWorkingDays(d);
  if (granted + workingDays > allowance.maxWorkingDays) {
    return kernelRefusal(
      'extensionTooLong',
      `${workingDays} working day(s) asked${granted ? ` after ${granted} granted` : ''}: at most ${allowance.maxWorkingDays} in all (${allowance.basis})`,
    );
  }
  return null;
}

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
  const forbidden = refusalForActor(def, a);
  if (forbidden) return forbidden;
  if (c.state === 'closed' && !def.actions[a.action]?.afterClose) return kernelRefusal('caseClosed', `case ${c.caseId} is closed (${c.outcome})`);
  const at = a.occurredAt ?? now;
  // Late entry may date a step back to the previous caseworker step (not to filing or to automatic steps).
  const lastAt = c.events.filter((e) => e.actor !== 'system' && e.type !== 'case.filed').reduce((m, e) => (e.at > m ? e.at : m), c.receivedAt);
  if (at > now) return kernelRefusal('actionTime', `occurredAt ${at} is in the future`);
  if (at < lastAt) return kernelRefusal('actionTime', `occurredAt ${at} is before the previous step of the case (${lastAt})`);
  const builtIn = BUILT_IN[a.action as KernelActionName];
  if (builtIn) return builtIn.refuse(def, c, a.input as never, now);
  const action = def.actions[a.action];
  if (action.within) {
    // A window is about when the step happened (occurredAt), not when it was entered: a step dated inside the window
    // and recorded after it ended is accepted (its event keeps both times). A window cancelled before it ran out is
    // closed for good.
    const w = c.deadlines.filter((d) => d.clock === action.within).at(-1);
    const clock = def.clocks[action.within];
    const ran = !!w && (isOpenDeadline(w) || w.status === 'expired');
    if (!w || !ran || (w.dueAt !== null && at >= w.dueAt) || at < w.startAt) {
      return kernelRefusal('windowClosed', w?.dueAt ? `the ${clock.label.toLowerCase()} ran until ${w.dueAt}` : `the ${clock.label.toLowerCase()} is not open`, clock.basis);
    }
  }
  // The procedure's own rules speak first (their refusals say the legal reason); the state graph then holds every
  // action to the states that list it.
  const hit = action.refuse?.(reader(c, at, now, a.evidenceRef), a.input as never);
  if (hit) return ruleRefusal(def, hit);
  const state = c.stateBeforeSuspension ?? c.state;
  if (state !== 'closed' && !def.states[state]?.actions.includes(a.action)) {
    return kernelRefusal('notInState', `${a.action} is not allowed in state ${state}; it allows: ${actionsAllowedIn(def, state).join(', ') || 'nothing'}`);
  }
  return null;
}

// ---------------------------------------------------------------- the kernel's own actions

const extensionInput = () => z.object({ deadlineKey: text(200), workingDays: z.number().int().min(1).max(60), reason: text() }).strict();
type ExtensionInput = zod.infer<ReturnType<typeof extensionInput>>;

/** A built-in action: one record with its schema, basis, refusals and effect, like a procedure's own. */
interface BuiltInAction<I> {
  label: string;
  basis: (def: AnyProcedure) => string;
  schema: zod.ZodType<I>;
  /** Only a supervisor of the owning unit or a unit above it, or an administrator. */
  supervisorOnly?: true;
  /** Whether a state offers it (GET /procedures lists it among the state's actions). */
  offeredIn: (def: AnyProcedure, state: string) => boolean;
  refuse: (def: AnyProcedure, c: KernelCase<unknown>, input: I, now: string) => Refusal | null;
  apply: (x: { def: AnyProcedure; calendar: Calendar; c: KernelCase<unknown>; ops: Ops<unknown>; input: I; at: string; actor: string }) => void;
}
const builtIn = <I,>(a: BuiltInAction<I>): BuiltInAction<never> => a as unknown as BuiltInAction<never>;

const SUSPENSION_BASIS = 'docs/time-rules.md#suspension: a clock stops only for the reasons its article provides (none unless it says so)';
const EXTENSION_BASIS = 'docs/time-rules.md#extension: only where the procedure definition allows it, by a supervisor, with a reason, before the deadline passes';
const offersExtensions = (def: AnyProcedure, state: string) => def.extensions.allowed && state !== 'closed';

const BUILT_IN: Record<KernelActionName, BuiltInAction<never>> = {
  suspend: builtIn({
    label: 'Suspend the clock',
    basis: () => SUSPENSION_BASIS,
    schema: lazy(() => z.object({ reason: text(100) }).strict()),
    offeredIn: (def, state) => def.suspensionReasons.length > 0 && state !== 'suspended' && state !== 'closed',
    refuse(def, c, { reason }: { reason: string }) {
      if (c.stateBeforeSuspension !== null) return kernelRefusal('alreadySuspended', 'the clock is already suspended');
      const honouring = c.deadlines.filter((d) => isOpenDeadline(d) && !d.completedAt && d.suspensionReasons.includes(reason));
      if (honouring.length) return null;
      const known = def.suspensionReasons.map((r) => r.code);
      return kernelRefusal(
        'suspensionNotProvided',
        known.includes(reason)
          ? `no running clock of this case is suspended for ${reason}`
          : `${reason} is not a suspension reason of ${def.procedure}${known.length ? ` (${known.join(', ')})` : ': its articles provide none'}`,
      );
    },
    apply({ def, calendar, c, ops, input: { reason }, at }) {
      c.suspensions.push({ from: at, reason, ...(ops.evidenceRef ? { evidenceRef: ops.evidenceRef } : {}) });
      c.stateBeforeSuspension = c.state;
      c.state = 'suspended';
      const moved = recompute(def, calendar, c, at, `clock suspended (${reason})`);
      ops.event('clock.suspended', { clocks: moved.map((m) => m.deadlineKey) }, reason);
    },
  }),
  resume: builtIn({
    label: 'Resume the clock',
    basis: () => SUSPENSION_BASIS,
    schema: lazy(() => z.object({}).strict()),
    offeredIn: (_def, state) => state === 'suspended',
    refuse: (_def, c) => (c.stateBeforeSuspension !== null ? null : kernelRefusal('notSuspended', 'the clock is not suspended')),
    apply({ def, calendar, c, ops, at }) {
      const open = c.suspensions[c.suspensions.length - 1];
      open.to = at;
      c.state = c.stateBeforeSuspension ?? c.state;
      c.stateBeforeSuspension = null;
      const moved = recompute(def, calendar, c, at, `clock resumed after ${open.reason}`);
      ops.event('clock.resumed', { suspendedFrom: open.from, recomputed: moved.map((m) => m.deadlineKey) }, open.reason);
    },
  }),
  extend: builtIn({
    label: 'Extend a deadline (supervisor)',
    basis: (def) => `${EXTENSION_BASIS}; ${def.extensions.basis}`,
    schema: lazy(extensionInput),
    supervisorOnly: true,
    offeredIn: offersExtensions,
    refuse: (def, c, { deadlineKey, workingDays }: ExtensionInput, now) => refusalForExtension(def, c, deadlineKey, workingDays, now),
    apply({ def, calendar, c, ops, input: { deadlineKey, workingDays, reason }, at, actor }) {
      const { from, to } = extendDeadline(def, calendar, c, ops.deadline(deadlineKey)!, workingDays, reason, at, actor);
      ops.event('deadline.extended', { deadlineKey, workingDays, from, to }, reason);
    },
  }),
  'request-extension': builtIn({
    label: 'Ask a supervisor to extend a deadline',
    basis: (def) => `${EXTENSION_BASIS}; ${def.extensions.basis}`,
    schema: lazy(extensionInput),
    offeredIn: offersExtensions,
    refuse(def, c, { deadlineKey, workingDays }: ExtensionInput, now) {
      const refusal = refusalForExtension(def, c, deadlineKey, workingDays, now);
      if (refusal) return refusal;
      return pendingRequest(c, deadlineKey) ? kernelRefusal('extensionRequestPending', `an extension of ${deadlineKey} is already awaiting a supervisor`) : null;
    },
    apply({ c, ops, input: { deadlineKey, workingDays, reason }, at, actor }) {
      c.extensionRequests.push({ deadlineKey, workingDays, reason, requestedAt: at, requestedBy: actor, status: 'pending' });
      ops.event('extension.requested', { deadlineKey, workingDays, dueAt: ops.deadline(deadlineKey)!.dueAt }, reason);
    },
  }),
  'approve-extension': builtIn({
    label: 'Approve an extension asked for (supervisor)',
    basis: (def) => `${EXTENSION_BASIS}; ${def.extensions.basis}`,
    schema: lazy(() => z.object({ deadlineKey: text(200) }).strict()),
    supervisorOnly: true,
    offeredIn: offersExtensions,
    refuse(def, c, { deadlineKey }: { deadlineKey: string }, now) {
      const request = pendingRequest(c, deadlineKey);
      if (!request) return kernelRefusal('noExtensionRequest', `no extension of ${deadlineKey} is awaiting a decision`);
      return refusalForExtension(def, c, deadlineKey, request.workingDays, now);
    },
    apply({ def, calendar, c, ops, input: { deadlineKey }, at, actor }) {
      const request = pendingRequest(c, deadlineKey)!;
      Object.assign(request, { status: 'approved', decidedAt: at, decidedBy: actor });
      const d = ops.deadline(deadlineKey)!;
      const { from, to } = extendDeadline(def, calendar, c, d, request.workingDays, request.reason, at, actor);
      const basis = def.clocks[d.clock].extension!.basis;
      ops.event('extension.approved', { deadlineKey, workingDays: request.workingDays, requestedBy: request.requestedBy, basis, from, to }, request.reason);
    },
  }),
  'refuse-extension': builtIn({
    label: 'Refuse an extension asked for (supervisor)',
    basis: (def) => `${EXTENSION_BASIS}; ${def.extensions.basis}`,
    schema: lazy(() => z.object({ deadlineKey: text(200), reason: text() }).strict()),
    supervisorOnly: true,
    offeredIn: offersExtensions,
    refuse: (_def, c, { deadlineKey }: { deadlineKey: string; reason: string }) =>
      pendingRequest(c, deadlineKey) ? null : kernelRefusal('noExtensionRequest', `no extension of ${deadlineKey} is awaiting a decision`),
    apply({ c, ops, input: { deadlineKey, reason }, at, actor }) {
      const request = pendingRequest(c, deadlineKey)!;
      Object.assign(request, { status: 'refused', decidedAt: at, decidedBy: actor, refusalReason: reason });
      ops.event('extension.refused', { deadlineKey, workingDays: request.workingDays, requestedBy: request.requestedBy }, reason);
    },
  }),
};

// ---------------------------------------------------------------- applying an action

/** Applies an action already checked by `refusalForAction`. Mutates the case. */
export function applyKernelAction(def: AnyProcedure, calendar: Calendar, c: KernelCase<unknown>, a: KernelAction, now: string): void {
  const at = a.occurredAt ?? now;
  const ops = new Ops(def, calendar, c, at, now, a.actor, a.evidenceRef, a.note, a.authenticated?.unitId);
  const builtIn = BUILT_IN[a.action as KernelActionName];
  if (builtIn) {
    builtIn.apply({ def, calendar, c, ops, input: a.input as never, at, actor: a.actor });
  } else {
    const action = def.actions[a.action];
    action.apply(ops as unknown as CaseOps<never>, a.input as never);
    for (const unit of action.involves?.(a.input as never) ?? []) if (unit !== c.unitId && !c.parties.includes(unit)) c.parties.push(unit);
  }
  refreshStatuses(c, now);
}

// ---------------------------------------------------------------- effects between cases

/**
 * Applies an effect another case sent (an upheld objection or an approved repair ending this listing). A repeated
 * delivery, or an effect the definition does not take, is recorded and changes nothing else. Returns whether it applied.
 */
export function applyIncomingEffect(def: AnyProcedure, calendar: Calendar, c: KernelCase<unknown>, incoming: IncomingEffect, now: string): boolean {
  const received = (c.received ??= []);
  if (received.includes(incoming.id)) return false;
  received.push(incoming.id);
  const ops = new Ops(def, calendar, c, incoming.at, now, 'system');
  const receive = def.receives?.[incoming.effect.kind];
  const refusal = c.state === 'closed' ? `case ${c.caseId} is closed (${c.outcome})` : !receive ? `${def.procedure} v${def.version} takes no ${incoming.effect.kind}` : receive.refuse?.(reader(c, incoming.at, now), incoming);
  if (refusal) {
    ops.event('effect.not-applied', { effect: incoming.effect, fromCaseId: incoming.fromCaseId, fromProcedure: incoming.fromProcedure, why: refusal });
  } else {
    receive!.apply(ops as unknown as CaseOps<never>, incoming);
  }
  refreshStatuses(c, now);
  return !refusal;
}

/** Marks an outgoing effect delivered to its case, or undeliverable (no such running case), with an audit event. */
export function recordEffectDelivery(c: KernelCase<unknown>, id: string, delivered: boolean, now: string): void {
  const out = c.outgoing?.find((o) => o.id === id);
  if (!out) return;
  out.status = delivered ? 'delivered' : 'undeliverable';
  addEvent(c, { type: delivered ? 'effect.delivered' : 'effect.undeliverable', actor: 'system', at: now, recordedAt: now, data: { id, effect: out.effect } });
}

/** A due date before and after it moved. */
export interface DeadlineMove {
  deadlineKey: string;
  from: { dueDate: string | null; dueAt: string | null };
  to: { dueDate: string | null; dueAt: string | null };
}

/** docs/time-rules.md#extension: recorded like a suspension, the old value kept in `previous`. */
function extendDeadline(def: AnyProcedure, calendar: Calendar, c: KernelCase<unknown>, d: KernelDeadline, workingDays: number, reason: string, at: string, by: string): DeadlineMove {
  d.extensions.push({ period: { workingDays }, reason, grantedAt: at, grantedBy: by });
  const before = { dueDate: d.dueDate, dueAt: d.dueAt, calendarVersion: d.calendarVersion };
  compute(def, calendar, c, d);
  d.previous.push({ ...before, changedAt: at, reason: `extended by ${workingDays} working day(s): ${reason}` });
  return { deadlineKey: d.key, from: { dueDate: before.dueDate, dueAt: before.dueAt }, to: { dueDate: d.dueDate, dueAt: d.dueAt } };
}

/** Recomputes every open deadline, keeping the old values when they change (docs/time-rules.md#suspension and docs/time-rules.md#calendar-coverage). */
function recompute(def: AnyProcedure, calendar: Calendar, c: KernelCase<unknown>, at: string, reason: string): DeadlineMove[] {
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

/** docs/time-rules.md#calendar-coverage: a loaded calendar recomputes the open deadlines and says on the case which moved, from what to what. */
export function applyKernelCalendarLoad(def: AnyProcedure, calendar: Calendar, c: KernelCase<unknown>, now: string): DeadlineMove[] {
  const moved = recompute(def, calendar, c, now, `calendar ${calendar.version} loaded`);
  if (moved.length) addEvent(c, { type: 'calendar.recomputed', actor: 'system', at: now, recordedAt: now, data: { calendarVersion: calendar.version, deadlines: moved } });
  return moved;
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
