import type { z } from 'zod';
import type { Period } from '../periods';
import type { InputProblem } from '../case-model';
import type { CaseOps, CaseReader, CrossCaseEffect, FilingContext, FilingFacts, IncomingEffect, RuleHit } from './ops';

export interface RuleDefinition {
  id: string;
  basis: string;
}

export interface SuspensionReason {
  code: string;
  label: string;
  labelZh: string;
}

/** docs/time-rules.md#warnings-and-escalation; the numbers after a breach are set by local policy (the texts fix none). */
export interface EscalationPolicy {
  /** Yellow card when this many working days remain (docs/time-rules.md#warnings-and-escalation). */
  yellowWorkingDaysBefore: number;
  /** After the red of a legal clock, a reminder at 09:00 Asia/Shanghai of each following working day. */
  overdueReminders: boolean;
  /** Every this many working days overdue the breach moves one level up the unit tree. */
  escalateAfterWorkingDaysOverdue: number;
  /** The ladder ends after this escalation level; the breach stays on record. */
  maxEscalationLevels: number;
  /** The local policy that sets the numbers above. */
  policy: string;
}

export const DEFAULT_ESCALATION: EscalationPolicy = {
  yellowWorkingDaysBefore: 1,
  overdueReminders: true,
  escalateAfterWorkingDaysOverdue: 3,
  maxEscalationLevels: 3,
  policy: 'local policy default: escalate after 3 working days overdue, up to 3 levels',
};

// ---------------------------------------------------------------- the case kernel's definitions
// A procedure is data (clocks, actions, rules with their legal basis) plus the few pure functions its rules need.
// The kernel (src/domain/kernel) runs every definition; nothing in it names a procedure.


/**
 * legal: missing it is a breach (yellow, red). promised: a unit's own shorter promise (yellow, red as warnings).
 * subject: binds the subject, not the unit (reminders, then a lapse; never a unit breach).
 * expiry: the due instant triggers a step (a listing ends, a rating expires), not a breach.
 * window: like expiry, and the actions that name it are accepted only when they happened (occurredAt) while it ran.
 */
export type KernelClockKind = 'legal' | 'promised' | 'subject' | 'expiry' | 'window';

export interface KernelClock<Step extends string = string> {
  label: string;
  labelZh: string;
  basis: string;
  kind: KernelClockKind;
  /** Fixed by law, or a local policy default when `policy` names the policy. Absent: the action that starts it supplies it. */
  period?: Period;
  policy?: string;
  /** Suspension reasons this clock honours; none unless the article provides for them (docs/time-rules.md#suspension). */
  suspensionReasons?: string[];
  /** Reminders this many working days before the due date (Shangzhi 临期提醒). */
  remindWorkingDaysBefore?: number[];
  /** The automatic step (a key of `steps`) run when an expiry or window clock ends. */
  onDue?: Step;
  /** The period only ends a burden on the subject: no Civil Code Art. 203 roll-forward past a rest day (the reason). */
  noRestDayRoll?: string;
  /** The provision allowing a supervisor to extend this clock, and by how much at most in all (docs/time-rules.md#extension). */
  extension?: { basis: string; maxWorkingDays: number };
}

/** The clocks a step may start and stop (meet, cancel, find not applicable, or end by closing the case), by clock key. */
export interface ClockEffects<Clock extends string = string> {
  starts?: readonly Clock[];
  stops?: readonly Clock[];
}

/**
 * One action of a procedure: its schema, basis, refusals and effect in one record. `Rule` is the union of the rule keys
 * its `refuse` can answer and `Clock` the clocks it names (its window, the clocks it starts and stops): `defineProcedure`
 * checks both against the definition's `rules` and `clocks`, so a misspelt rule or clock does not compile.
 */
export interface KernelAction<D, I, Rule extends string = string, Clock extends string = string> extends ClockEffects<Clock> {
  label: string;
  labelZh: string;
  basis: string;
  /** The action's own fields (the common ones — actor, occurredAt, evidenceRef, note — are the kernel's). */
  schema: z.ZodType<I>;
  /** A window clock key: the action is accepted only when it happened (occurredAt) while that window ran, even if entered later. */
  within?: Clock;
  /** Accepted also after the case closed, for a clock that outlives the decision (an assisting unit's reply). */
  afterClose?: boolean;
  /** Units the action involves besides the owning unit: they become parties of the case. */
  involves?: (input: I) => string[];
  /** The input field naming a unit that may itself perform this action (a party answering for its own clock). */
  party?: keyof I & string;
  refuse?: (c: CaseReader<D>, input: I) => RuleHit<Rule> | null;
  apply: (k: CaseOps<D>, input: I) => void;
}

/** The kernel's own actions, offered in every open state where the definition provides for them. */
export type KernelActionName = 'suspend' | 'resume' | 'extend' | 'request-extension' | 'approve-extension' | 'refuse-extension';

/** A state of the procedure and the actions of the procedure it allows (the kernel's own are added where they apply). */
export interface StateDefinition<Action extends string = string, State extends string = string> {
  label: string;
  labelZh: string;
  actions: readonly Action[];
  /**
   * Where each action may lead from this state (an action absent here leaves the state as it is). Declared, the kernel
   * holds every step to it: a step that moves the case anywhere else fails and changes nothing.
   */
  next?: Partial<Record<Action, readonly (State | 'closed')[]>>;
}

export interface KernelProcedure<D = unknown, F = unknown, Rule extends string = string, Clock extends string = string, Action extends string = string, State extends string = string, Step extends string = string> {
  procedure: string;
  version: number;
  title: string;
  titleZh: string;
  basis: string[];
  /** Receipts (Asia/Shanghai dates, inclusive) this version is valid for; outside them a filing is refused. */
  validFrom: string;
  validTo?: string;
  /**
   * Measures that end on `validTo` but may be renewed by a notice an administrator records: a receipt after the end is
   * refused with `expiredRule` (a key of `rules`) unless a recorded renewal covers it; then the newest version applies.
   */
  renewable?: { expiredRule: Rule };
  variants: Record<string, { label: string; labelZh: string; basis: string }>;
  defaultVariant: string;
  /** The procedure's own filing fields, beside the common ones (idempotencyKey, receivedAt, subject, …). */
  filing: z.ZodType<F>;
  clocks: Record<Clock, KernelClock<Step>>;
  actions: Record<Action, KernelAction<D, never, Rule, Clock>>;
  /**
   * The state graph: every state the case can be in (besides `closed`, and `suspended` while a clock is stopped) and
   * the actions it allows. An action in another state is refused naming the state. `closed` allows only the actions
   * marked `afterClose`.
   */
  states: Record<State, StateDefinition<Action, State>>;
  steps?: Record<Step, (k: CaseOps<D>) => void>;
  /**
   * The clocks the filing starts. Declared (even empty), the version declares the clocks of every step: the kernel holds
   * the filing to this list, and each action and automatic step to its `starts` and `stops` (absent: none), and fails a
   * step that starts or stops another clock (a defect: the case stays as it was). Undeclared, nothing is checked.
   */
  startsOnFiling?: readonly Clock[];
  /** The clocks each automatic step starts and stops (held to them when the version declares `startsOnFiling`). */
  stepClocks?: Partial<Record<Step, ClockEffects<Clock>>>;
  /** Effects other cases may send this one (an upheld objection or an approved repair ending a listing). */
  receives?: Partial<Record<CrossCaseEffect['kind'], EffectReceiver<D>>>;
  rules: Record<Rule, RuleDefinition>;
  suspensionReasons: SuspensionReason[];
  escalation: EscalationPolicy;
  extensions: { allowed: boolean; basis: string };
  /** Reads the subject's shared credit status at filing (Art. 45 ¶1), for every filing or for the variants named. */
  readsCreditStatus?: boolean | readonly string[];
  /** Refusals by law at filing (eligibility); the API answers 422 with the rule. */
  eligibility?: (facts: FilingFacts<F>) => RuleHit<Rule> | null;
  /** A field a variant requires (the filing schema cannot see the variant): the API answers 400 naming it. */
  filingProblem?: (filing: F, variant: string) => InputProblem | null;
  initialState: State;
  file: (k: CaseOps<D>, filing: F, context: FilingContext) => D;
}

export interface EffectReceiver<D> {
  /** Why this case cannot take the effect now (it is recorded on the case, and nothing else changes). */
  refuse?: (c: CaseReader<D>, incoming: IncomingEffect) => string | null;
  apply: (k: CaseOps<D>, incoming: IncomingEffect) => void;
}

/** Types an action's input from its schema, and keeps the rule keys its refusals name and the clocks it names. */
export function defineAction<D>() {
  return <I, const Rule extends string = never, const Clock extends string = never>(a: KernelAction<D, I, Rule, Clock>): KernelAction<D, never, Rule, Clock> =>
    a as unknown as KernelAction<D, never, Rule, Clock>;
}

/**
 * Declares a procedure version. Rule, clock, action, state and step keys are declared once (in `rules`, `clocks`,
 * `actions`, `states`, `steps`) and every use is checked against them: a rule an action's refusal names, the window it
 * runs within, the clocks it and the filing and each step start and stop, a clock's automatic step, the actions a state
 * allows and the initial state.
 */
export function defineProcedure<D, F>() {
  return <const Rule extends string, const Clock extends string, const Action extends string, const State extends string, const Step extends string = never>(p: {
    [K in keyof KernelProcedure<D, F, Rule, Clock, Action, State, Step>]: K extends 'actions'
      ? Record<Action, KernelAction<D, never, NoInfer<Rule>, NoInfer<Clock>>>
      : K extends 'states'
        ? Record<State, StateDefinition<NoInfer<Action>, NoInfer<State>>>
        : K extends 'initialState'
          ? NoInfer<State>
          : K extends 'clocks'
            ? Record<Clock, KernelClock<NoInfer<Step>>>
            : K extends 'eligibility'
              ? ((facts: FilingFacts<F>) => RuleHit<NoInfer<Rule>> | null) | undefined
              : K extends 'renewable'
                ? { expiredRule: NoInfer<Rule> } | undefined
                : K extends 'startsOnFiling'
                  ? readonly NoInfer<Clock>[] | undefined
                  : K extends 'stepClocks'
                    ? Partial<Record<NoInfer<Step>, ClockEffects<NoInfer<Clock>>>> | undefined
                    : KernelProcedure<D, F, Rule, Clock, Action, State, Step>[K];
  }): KernelProcedure<D, F, Rule, Clock, Action, State, Step> => p as KernelProcedure<D, F, Rule, Clock, Action, State, Step>;
}
