import type { Case, CaseEvent, Deadline, Escalation } from '@prisma/client';
import { DeadlineStatus, OPEN_DEADLINE_STATUSES } from '../domain/case-model';
import { maskPersonName, maskResidentId } from '../domain/identifiers';

export interface DeadlineView {
  key: string;
  label: string;
  kind: string;
  basis: string;
  status: string;
  startAt: string;
  dueDate: string | null;
  dueAt: string | null;
  provisional: boolean;
  calendarVersion: string;
  completedAt: string | null;
  overdue: boolean;
  explanation: unknown;
  previous: unknown;
}

export interface CaseView {
  id: string;
  procedure: string;
  definitionVersion: number;
  variant: string;
  state: string;
  outcome: string | null;
  overdue: boolean;
  unitId: string;
  subject: { kind: string; name: string; uscc?: string; idNumber?: string };
  receivedAt: string;
  closedAt: string | null;
  revision: number;
  details: unknown;
  deadlines: DeadlineView[];
  escalations: { deadlineKey: string; level: string; dueAt: string; firedAt: string }[];
  /** The audit trail; left out of list items (GET /cases/{id} has it). */
  events?: { seq: number; type: string; actor: string; at: string; reason: string | null; evidenceRef: string | null; data: unknown }[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function isDeadlineOverdue(d: Pick<Deadline, 'status' | 'dueAt'>, now: Date): boolean {
  return d.status === 'overdue' || (OPEN_DEADLINE_STATUSES.includes(d.status as DeadlineStatus) && d.dueAt !== null && d.dueAt <= now);
}

/** Personal information is masked in every response (Social Credit Regulation Art. 23 ¶4); organisation codes are public. */
export function maskedSubject(c: Pick<Case, 'subjectKind' | 'subjectName' | 'subjectIdNumber'>): CaseView['subject'] {
  return c.subjectKind === 'person'
    ? { kind: 'person', name: maskPersonName(c.subjectName), idNumber: maskResidentId(c.subjectIdNumber) }
    : { kind: 'organisation', name: c.subjectName, uscc: c.subjectIdNumber };
}

export function toDeadlineView(d: Deadline, now: Date): DeadlineView {
  return {
    key: d.key,
    label: d.label,
    kind: d.kind,
    basis: d.basis,
    status: d.status,
    startAt: d.startAt.toISOString(),
    dueDate: d.dueDate,
    dueAt: iso(d.dueAt),
    provisional: d.provisional,
    calendarVersion: d.calendarVersion,
    completedAt: iso(d.completedAt),
    overdue: isDeadlineOverdue(d, now),
    explanation: d.explanation,
    previous: d.previous,
  };
}

export function toCaseView(
  c: Case & { deadlines?: Deadline[]; events?: CaseEvent[]; escalations?: Escalation[] },
  now: Date,
): CaseView {
  const deadlines = (c.deadlines ?? []).sort((a, b) => a.startAt.getTime() - b.startAt.getTime() || a.key.localeCompare(b.key)).map((d) => toDeadlineView(d, now));
  return {
    id: c.id,
    procedure: c.procedure,
    definitionVersion: c.definitionVersion,
    variant: c.variant,
    state: c.state,
    outcome: c.outcome,
    overdue: deadlines.some((d) => d.overdue),
    unitId: c.unitId,
    subject: maskedSubject(c),
    receivedAt: c.receivedAt.toISOString(),
    closedAt: iso(c.closedAt),
    revision: c.revision,
    details: c.details,
    deadlines,
    escalations: (c.escalations ?? []).map((e) => ({ deadlineKey: e.deadlineKey, level: e.level, dueAt: e.dueAt.toISOString(), firedAt: e.firedAt.toISOString() })),
    events: c.events
      ?.sort((a, b) => a.seq - b.seq)
      .map((e) => ({ seq: e.seq, type: e.type, actor: e.actor, at: e.at.toISOString(), reason: e.reason, evidenceRef: e.evidenceRef, data: e.data })),
  };
}
