import { Calendar } from '../calendar';
import type { Refusal, Subject } from '../case-model';
import { atBeijing, untilBeijing } from '../said';
import { refusalForActor } from './access';
import { BUILT_IN } from './built-in-actions';
import { addEvent, Ops, reader } from './case-ops';
import { isOpenDeadline, recompute, refreshStatuses, type DeadlineMove } from './deadlines';
import { holdToDeclaredClocks, watchClocks } from './declared-clocks';
import type { KernelActionName, KernelProcedure } from './definition';
import type { CaseOps, IncomingEffect, KernelCase, MeasuresRenewal } from './ops';
import { actionsAllowedIn, type KernelAction } from './parse';
import { kernelRefusal, ruleRefusal } from './rules';

// The case kernel: filing, the legal checks of an action (422s), applying it, effects between cases and calendar
// loads. Parsing (400s), who may act (403s), the built-in actions, deadlines and what falls due live beside it.

export { isOpenDeadline, ladderSteps, refreshStatuses, workingDaysOverdue, type DeadlineMove } from './deadlines';
export { isKernelFinished, nextKernelWakeUp, processDue, type ProcessDueOptions } from './escalation';
export { actionBasis, actionLabels, actionNames, actionSchema, actionsAllowedIn, parseKernelAction, partyActions, type KernelAction } from './parse';
export { KERNEL_RULES } from './rules';

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
  const clocks = watchClocks(c);
  c.data = def.file(ops, f.filing, f.renewal ? { renewal: f.renewal } : {});
  holdToDeclaredClocks(def, 'the filing', { starts: def.startsOnFiling }, clocks());
  refreshStatuses(c, f.filedAt);
  return c;
}

export function refusalForAction(def: AnyProcedure, c: KernelCase<unknown>, a: KernelAction, now: string): Refusal | null {
  const forbidden = refusalForActor(def, a);
  if (forbidden) return forbidden;
  if (c.state === 'closed' && !def.actions[a.action]?.afterClose) return kernelRefusal('caseClosed', { en: `case ${c.caseId} is closed (${c.outcome})`, zh: `案件 ${c.caseId} 已办结（${c.outcome}）` });
  const at = a.occurredAt ?? now;
  // Late entry may date a step back to the previous caseworker step (not to filing or to automatic steps).
  const lastAt = c.events.filter((e) => e.actor !== 'system' && e.type !== 'case.filed').reduce((m, e) => (e.at > m ? e.at : m), c.receivedAt);
  if (at > now) return kernelRefusal('actionTime', { en: `occurredAt ${atBeijing(at).en} is in the future`, zh: `occurredAt ${atBeijing(at).zh} 是将来的时间` });
  if (at < lastAt) {
    return kernelRefusal('actionTime', { en: `occurredAt ${atBeijing(at).en} is before the previous step of the case (${atBeijing(lastAt).en})`, zh: `occurredAt ${atBeijing(at).zh} 早于本案上一步骤（${atBeijing(lastAt).zh}）` });
  }
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
      const said = w?.dueAt
        ? { en: `the ${clock.label.toLowerCase()} ran until ${untilBeijing(w.dueAt).en}`, zh: `${clock.labelZh}截至${untilBeijing(w.dueAt).zh}` }
        : { en: `the ${clock.label.toLowerCase()} is not open`, zh: `${clock.labelZh}未在进行中` };
      return kernelRefusal('windowClosed', said, clock.basis);
    }
  }
  // The procedure's own rules speak first (their refusals say the legal reason); the state graph then holds every
  // action to the states that list it.
  const hit = action.refuse?.(reader(c, at, now, a.evidenceRef), a.input as never);
  if (hit) return ruleRefusal(def, hit);
  const state = c.stateBeforeSuspension ?? c.state;
  if (state !== 'closed' && !def.states[state]?.actions.includes(a.action)) {
    const allowed = actionsAllowedIn(def, state);
    return kernelRefusal('notInState', {
      en: `${a.action} is not allowed in state ${state}; it allows: ${allowed.join(', ') || 'nothing'}`,
      zh: `案件处于“${def.states[state]?.labelZh ?? state}”（${state}），不能进行 ${a.action}；此状态可进行：${allowed.join('、') || '无'}`,
    });
  }
  return null;
}

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
    const from = c.stateBeforeSuspension ?? c.state;
    const clocks = watchClocks(c);
    action.apply(ops as unknown as CaseOps<never>, a.input as never);
    for (const unit of action.involves?.(a.input as never) ?? []) if (unit !== c.unitId && !c.parties.includes(unit)) c.parties.push(unit);
    const to = c.stateBeforeSuspension ?? c.state;
    const next = def.states[from]?.next;
    // The state graph is the truth: a step its definition does not declare is a defect, and the case stays as it was.
    if (next && to !== from && !(next[a.action] ?? []).includes(to)) {
      throw new Error(`${def.procedure} v${def.version}: ${a.action} moved the case from ${from} to ${to}, which its state graph does not declare`);
    }
    holdToDeclaredClocks(def, a.action, action, clocks());
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

/** docs/time-rules.md#calendar-coverage: a loaded calendar recomputes the open deadlines and says on the case which moved, from what to what. */
export function applyKernelCalendarLoad(def: AnyProcedure, calendar: Calendar, c: KernelCase<unknown>, now: string): DeadlineMove[] {
  const moved = recompute(def, calendar, c, now, `calendar ${calendar.version} loaded`);
  if (moved.length) addEvent(c, { type: 'calendar.recomputed', actor: 'system', at: now, recordedAt: now, data: { calendarVersion: calendar.version, deadlines: moved } });
  return moved;
}

