import type { z } from 'zod';
import type { Period } from '../src/domain/periods';
import type { CaseOps, CaseReader, FilingContext, FilingFacts, RuleHit } from '../src/domain/kernel/ops';

/** A legal (breach if missed) or promised (warning only) period. */
export type ClockKind = 'legal' | 'promised';

export interface ClockDefinition {
  key: string;
  label: string;
  labelZh: string;
  period: Period;
  kind: ClockKind;
  basis: string;
  /** Whether statutory suspensions (inspection, testing, …) stop this clock. */
  suspendable: boolean;
}

export interface RuleDefinition {
  id: string;
  basis: string;
}

export interface SuspensionReason {
  code: string;
  label: string;
  labelZh: string;
}

/** TIME-RULES "Warnings and escalation"; the numbers after a breach are set by local policy (the texts fix none). */
export interface EscalationPolicy {
  /** Yellow card when this many working days remain (TIME-RULES: warnings and escalation). */
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

/** Published definitions are never edited: a change is a new version, and a case keeps the version it was filed under. */
export interface ProcedureDefinitionBase {
  procedure: string;
  version: number;
  title: string;
  titleZh: string;
  basis: string[];
  escalation: EscalationPolicy;
  extensions: { allowed: boolean; basis: string };
}

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

export interface KernelClock {
  label: string;
  labelZh: string;
  basis: string;
  kind: KernelClockKind;
  /** Fixed by law, or a local policy default when `policy` names the policy. Absent: the action that starts it supplies it. */
  period?: Period;
  policy?: string;
  /** Suspension reasons this clock honours; none unless the article provides for them (TIME-RULES rule 6). */
  suspensionReasons?: string[];
  /** Reminders this many working days before the due date (Shangzhi 临期提醒). */
  remindWorkingDaysBefore?: number[];
  /** The automatic step (a key of `steps`) run when an expiry or window clock ends. */
  onDue?: string;
  /** TIME-RULES rule 7: the provision allowing a supervisor to extend this clock, and by how much at most in all. */
  extension?: { basis: string; maxWorkingDays: number };
}

export interface KernelAction<D, I> {
  label: string;
  basis: string;
  /** The action's own fields (the common ones — actor, occurredAt, evidenceRef, note — are the kernel's). */
  schema: z.ZodType<I>;
  /** A window clock key: the action is accepted only when it happened (occurredAt) while that window ran, even if entered later. */
  within?: string;
  /** Accepted also after the case closed, for a clock that outlives the decision (an assisting unit's reply). */
  afterClose?: boolean;
  /** Units the action involves besides the owning unit: they become parties of the case. */
  involves?: (input: I) => string[];
  /** The input field naming a unit that may itself perform this action (a party answering for its own clock). */
  party?: keyof I & string;
  refuse?: (c: CaseReader<D>, input: I) => RuleHit | null;
  apply: (k: CaseOps<D>, input: I) => void;
}

export interface KernelProcedure<D = unknown, F = unknown> {
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
  renewable?: { expiredRule: string };
  variants: Record<string, { label: string; basis: string }>;
  defaultVariant: string;
  /** The procedure's own filing fields, beside the common ones (idempotencyKey, receivedAt, subject, …). */
  filing: z.ZodType<F>;
  clocks: Record<string, KernelClock>;
  actions: Record<string, KernelAction<D, never>>;
  steps?: Record<string, (k: CaseOps<D>) => void>;
  rules: Record<string, RuleDefinition>;
  suspensionReasons: SuspensionReason[];
  escalation: EscalationPolicy;
  extensions: { allowed: boolean; basis: string };
  /** Reads the subject's shared credit status at filing (Art. 45 ¶1). */
  readsCreditStatus?: boolean;
  /** Refusals by law at filing (eligibility); the API answers 422 with the rule. */
  eligibility?: (facts: FilingFacts<F>) => RuleHit | null;
  initialState: string;
  file: (k: CaseOps<D>, filing: F, context: FilingContext) => D;
}

/** Types an action's input from its schema. */
export function defineAction<D>() {
  return <I>(a: KernelAction<D, I>): KernelAction<D, never> => a as unknown as KernelAction<D, never>;
}

export function defineProcedure<D, F>(p: KernelProcedure<D, F>): KernelProcedure<D, F> {
  return p;
}
