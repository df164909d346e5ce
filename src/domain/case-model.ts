import type { ClockExtension, DeadlineExplanation, Period } from './periods';

/**
 * expired: an expiry or window clock ran out (a step, not a breach); lapsed: a deadline binding the subject ran out.
 * met-recorded-late: the step happened in time but was recorded after the due instant (its red stays on record).
 */
export type DeadlineStatus = 'running' | 'suspended' | 'met' | 'met-late' | 'met-recorded-late' | 'overdue' | 'cancelled' | 'not-applicable' | 'expired' | 'lapsed';
/** A deadline that still has to be met (and can still escalate). */
export const OPEN_DEADLINE_STATUSES: DeadlineStatus[] = ['running', 'suspended', 'overdue'];
/**
 * yellow, red; `reminder-<N>` N working days before; `expired` / `lapsed` for clocks that do not breach; after a red,
 * `overdue-<K>` on the K-th working day past the due date and `escalation-<N>` when the breach moves N levels up.
 */
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
  kind: 'legal' | 'promised' | 'subject' | 'expiry' | 'window';
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
  /** docs/time-rules.md#extension: granted before the deadline passed, where the definition allows it. */
  extensions: ClockExtension[];
  completedAt: string | null;
  /** When the completing step was recorded (completedAt is when it happened). */
  completionRecordedAt?: string;
  /** The evidence attached to the completing step. */
  evidenceRef?: string;
}

export interface CaseEventRecord {
  seq: number;
  type: string;
  actor: string;
  /** When it happened: occurredAt for a step entered late. */
  at: string;
  /** When it was recorded; absent only on events recorded before it was kept. */
  recordedAt?: string;
  reason?: string;
  evidenceRef?: string;
  data: Record<string, unknown>;
}

export interface EscalationRecord {
  deadlineKey: string;
  level: EscalationLevel;
  dueAt: string;
  firedAt: string;
  /** The unit (or subject, system) answering for the clock; absent on records made before it was kept. */
  owner?: string;
  /** escalation-<N>: how many levels up the unit tree the breach is addressed. */
  levelsUp?: number;
  /** Fired after a later step had already come due (late entry, a worker down): it was due at `scheduledAt`. */
  late?: boolean;
  scheduledAt?: string;
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
  /** The same in Chinese, what the API answers unless the caller asks for English (Accept-Language). */
  messageZh: string;
  /** The actor may not take this step at all (HTTP 403), as opposed to a step the law or the state refuses (422). */
  forbidden?: true;
}

/** Malformed input: the field and what is wrong with it. */
export interface InputProblem {
  field: string;
  message: string;
  messageZh: string;
}
