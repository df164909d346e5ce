import type { ClockDefinition } from '../../procedures/definition';
import type { ClockExtension, DeadlineExplanation, Period } from './periods';

/** expired: an expiry or window clock ran out (a step, not a breach); lapsed: a deadline binding the subject ran out. */
export type DeadlineStatus = 'running' | 'suspended' | 'met' | 'met-late' | 'overdue' | 'cancelled' | 'expired' | 'lapsed';
/** A deadline that still has to be met (and can still escalate). */
export const OPEN_DEADLINE_STATUSES: DeadlineStatus[] = ['running', 'suspended', 'overdue'];
/** yellow, red; `reminder-<N>` N working days before; `expired` / `lapsed` for clocks that do not breach. */
export type EscalationLevel = string;

export interface DeadlineRevision {
  dueDate: string | null;
  dueAt: string | null;
  calendarVersion: string;
  changedAt: string;
  reason: string;
}

export interface DeadlineState {
  key: string;
  clock: string;
  label: string;
  labelZh: string;
  kind: ClockDefinition['kind'] | 'subject' | 'expiry' | 'window';
  basis: string;
  period: Period;
  suspendable: boolean;
  startAt: string;
  startEvent: string;
  status: DeadlineStatus;
  dueDate: string | null;
  dueAt: string | null;
  yellowAt: string | null;
  provisional: boolean;
  calendarVersion: string;
  explanation: DeadlineExplanation;
  previous: DeadlineRevision[];
  /** TIME-RULES rule 7: granted before the deadline passed, where the definition allows it. */
  extensions: ClockExtension[];
  completedAt: string | null;
}

export interface CaseEventRecord {
  seq: number;
  type: string;
  actor: string;
  at: string;
  reason?: string;
  evidenceRef?: string;
  data: Record<string, unknown>;
}

export interface EscalationRecord {
  deadlineKey: string;
  level: EscalationLevel;
  dueAt: string;
  firedAt: string;
}

export interface Subject {
  kind: 'organisation' | 'person';
  name: string;
  /** USCC for an organisation, resident ID number for a person. */
  idNumber: string;
}

/** A refused action: which rule refused it, on which legal basis. */
export interface Refusal {
  rule: string;
  basis: string;
  message: string;
}

/** Malformed input: the field and what is wrong with it. */
export interface InputProblem {
  field: string;
  message: string;
}
