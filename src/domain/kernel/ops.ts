import type { CaseEventRecord, DeadlineState, EscalationRecord, Subject } from '../case-model';
import type { Period } from '../periods';
import type { CreditData, CreditEffect, CreditEffectKind, CreditStatus, CrossCaseEffect, OutgoingEffect } from './credit';

export type { CreditData, CreditEffect, CreditEffectKind, CreditStatus, CrossCaseEffect, EndListingEffect, IncomingEffect, OutgoingEffect } from './credit';

/**
 * The authenticated user taking a step. `access` is computed by the API relative to the case: owner (a user of the
 * owning unit), party (of an involved unit), supervisor (of an ancestor unit), admin (an administrator).
 */
export interface Actor {
  id: string;
  roles: ('caseworker' | 'supervisor' | 'admin')[];
  unitId: string;
  access: 'owner' | 'party' | 'supervisor' | 'admin';
}

/** A rule of the procedure's `rules` (by key) that refuses, and what to tell the caseworker. */
export interface RuleHit<Rule extends string = string> {
  rule: Rule;
  message: string;
  /** The same in Chinese (the API's default language). */
  messageZh: string;
}

export interface KernelDeadline extends DeadlineState {
  /** Who answers for the clock: the owning unit, an assisting unit or downstream system, or the subject. */
  owner: string;
  suspensionReasons: string[];
  /** Reminder instants before the due date: level `reminder-<N>` at the close of the day N working days before. */
  reminders: { level: string; at: string }[];
  /** The escalation ladder after the red of a legal clock (cases with `ladder`): `overdue-<K>` and `escalation-<N>`. */
  overdueSteps?: LadderStep[];
}

export interface LadderStep {
  level: string;
  at: string;
  /** escalation-<N>: addressed N levels up the unit tree. */
  levelsUp?: number;
}

/** docs/time-rules.md#extension: asked by the caseworker, decided by a supervisor before the deadline passes. */
export interface ExtensionRequest {
  deadlineKey: string;
  workingDays: number;
  reason: string;
  requestedAt: string;
  requestedBy: string;
  status: 'pending' | 'approved' | 'refused';
  decidedAt?: string;
  decidedBy?: string;
  refusalReason?: string;
}

export interface ActionReceipt {
  key: string;
  action: string;
  revision: number;
  state: string;
  /** Hash of the action's body, computed by the API (absent in receipts kept before it was sent). */
  bodyHash?: string;
  /** The user who sent it (absent in receipts kept before bodyHash was sent). */
  actor?: string;
}

export interface KernelCase<D = unknown> {
  kernel: 1;
  caseId: string;
  idempotencyKey: string;
  procedure: string;
  definitionVersion: number;
  variant: string;
  unitId: string;
  subject: Subject;
  receivedAt: string;
  filedAt: string;
  state: string;
  stateBeforeSuspension: string | null;
  outcome: string | null;
  closedAt: string | null;
  /** Units involved besides the owning unit (assisting units): their users may take the steps that name them. */
  parties: string[];
  /** Whether the escalation ladder runs (cases started by a worker that has it; kept through continue-as-new). */
  ladder?: boolean;
  data: D;
  suspensions: { from: string; to?: string; reason: string; evidenceRef?: string }[];
  deadlines: KernelDeadline[];
  extensionRequests: ExtensionRequest[];
  escalations: EscalationRecord[];
  events: CaseEventRecord[];
  creditEffects: CreditEffect[];
  /** Answers to actions sent with an Idempotency-Key: the same key again gets the first answer. */
  actionReceipts: ActionReceipt[];
  /** Effects on other cases (absent on cases filed before cross-case effects). */
  outgoing?: OutgoingEffect[];
  /** Ids of the effects this case received, so a repeated delivery changes nothing. */
  received?: string[];
  revision: number;
}


/**
 * A notice that keeps a procedure's measures in force after the date they end (recorded by an administrator,
 * `POST /procedures/{procedure}/renewals`); a filing made under it cites it.
 */
export interface MeasuresRenewal {
  id: number;
  document: string;
  issuedAt: string;
  validFrom: string;
  validTo: string;
  recordedBy: string;
  recordedAt: string;
}

/** What the filing stands on beside the procedure's own fields. */
export interface FilingContext {
  /** The renewal notice a receipt after the measures' end falls under. */
  renewal?: MeasuresRenewal;
}

export interface FilingFacts<F> {
  filing: F;
  variant: string;
  receivedAt: string;
  subject: Subject;
  creditStatus?: CreditStatus;
}

export interface CaseReader<D> {
  readonly c: Readonly<KernelCase<D>>;
  readonly data: D;
  /** When the step happened: occurredAt for a step entered late, else now. */
  readonly at: string;
  readonly now: string;
  /** The evidence the caseworker attached to this step, if any. */
  readonly evidenceRef?: string;
  deadline(key: string): KernelDeadline | undefined;
  isOpen(key: string): boolean;
}

export interface StartClock {
  /** Instance key, for a clock that runs once per party (`assistance-reply:<unit>`); default: the clock key. */
  key?: string;
  startAt?: string;
  startEvent?: string;
  /** Entered at runtime (a rectification or listing period). */
  period?: Period;
  owner?: string;
}

export interface CaseOps<D> extends CaseReader<D> {
  readonly actor: string;
  readonly note?: string;
  start(clock: string, o?: StartClock): KernelDeadline;
  complete(key: string): void;
  cancel(which: (d: KernelDeadline) => boolean): void;
  /** The assisted regime replaces a clock's period (Art. 39 ¶2); the old value stays in `previous`. */
  replacePeriod(key: string, clock: string, reason: string): void;
  event(type: string, data?: Record<string, unknown>, reason?: string): void;
  setState(state: string): void;
  close(outcome: string): void;
  /** Writes a change to the subject's shared credit status; each kind names what it concerns (see ./credit). */
  credit<K extends CreditEffectKind>(kind: K, data: CreditData[K], until?: string | null): void;
  /** Sends an effect to the case it names; the workflow delivers it after this step is persisted. */
  affect(effect: CrossCaseEffect): void;
  /** Ends clocks that no longer apply (a referral: Art. 39 ¶2 binds only objections within the unit's scope). */
  notApplicable(which: (d: KernelDeadline) => boolean, reason: string): void;
}
