import type { CaseEvent, Deadline, Escalation } from '@prisma/client';
import type { CaseAccess } from '../auth/directory';
import type { AssignmentRecord, CaseRow } from '../db/case-store';
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
  /** The unit that answers for the clock (breaches count against it), or `subject`. */
  owner: string;
  yellowAt: string | null;
  /** A step dated before the due instant but recorded after it ("met, recorded late"): when it was recorded. */
  completionRecordedAt: string | null;
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
  /** How the requesting user stands to the case: owner (their unit handles it), supervisor, party, admin. */
  access: CaseAccess;
  subject: { kind: string; name: string; uscc?: string; idNumber?: string };
  receivedAt: string;
  closedAt: string | null;
  revision: number;
  details: unknown;
  deadlines: DeadlineView[];
  escalations: { deadlineKey: string; level: string; dueAt: string; firedAt: string }[];
  /** Who handles the case now (PUT /cases/{id}/assignee); name null when the user was removed since. */
  assignee: { userId: string; name: string | null; assignedBy: string | null; assignedAt: string | null } | null;
  /** Every change of assignee, oldest first (GET /cases/{id} only). */
  assignments?: { assignee: string | null; assignedBy: string; at: string; previous: string | null }[];
  /** The audit trail; left out of list items (GET /cases/{id} has it). */
  events?: { seq: number; type: string; actor: string; at: string; recordedAt: string; reason: string | null; evidenceRef: string | null; data: unknown }[];
  /** Art. 23 ¶4: every read of the unmasked personal information (GET /cases/{id}/personal-data). */
  personalDataReads?: { user: string; unit: string; fields: string[]; at: string }[];
}

/** What an assisting unit sees: its own clocks and what it must answer, nothing more. */
export interface PartyCaseView {
  id: string;
  procedure: string;
  definitionVersion: number;
  state: string;
  access: 'party';
  unitId: string;
  subject: CaseView['subject'];
  receivedAt: string;
  deadlines: DeadlineView[];
  escalations: CaseView['escalations'];
  /** The actions this unit may perform itself, each naming it in the input field the definition says. */
  actions: { action: string; field: string }[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function isDeadlineOverdue(d: Pick<Deadline, 'status' | 'dueAt'>, now: Date): boolean {
  return d.status === 'overdue' || (OPEN_DEADLINE_STATUSES.includes(d.status as DeadlineStatus) && d.dueAt !== null && d.dueAt <= now);
}

/** Personal information is masked in every response (Social Credit Regulation Art. 23 ¶4); organisation codes are public. */
export function maskedSubject(c: Pick<CaseRow, 'subjectKind' | 'subjectName' | 'subjectIdNumber'>): CaseView['subject'] {
  return c.subjectKind === 'person'
    ? { kind: 'person', name: maskPersonName(c.subjectName), idNumber: maskResidentId(c.subjectIdNumber) }
    : { kind: 'organisation', name: c.subjectName, uscc: c.subjectIdNumber };
}

/** The full value, for the unit handling the case; every call site records the read first. */
export function unmaskedSubject(c: Pick<CaseRow, 'subjectKind' | 'subjectName' | 'subjectIdNumber'>): CaseView['subject'] {
  return c.subjectKind === 'person'
    ? { kind: 'person', name: c.subjectName, idNumber: c.subjectIdNumber }
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
    owner: ((d.explanation ?? {}) as { owner?: string }).owner ?? d.ownerUnit,
    yellowAt: iso(d.yellowAt),
    completionRecordedAt: iso(d.completionRecordedAt),
    explanation: d.explanation,
    previous: d.previous,
  };
}

export function toCaseView(
  c: CaseRow & { assigneeName?: string | null; deadlines?: Deadline[]; events?: CaseEvent[]; escalations?: Escalation[]; assignments?: AssignmentRecord[] },
  now: Date,
  access: CaseAccess,
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
    access,
    subject: maskedSubject(c),
    receivedAt: c.receivedAt.toISOString(),
    closedAt: iso(c.closedAt),
    revision: c.revision,
    details: c.details,
    deadlines,
    escalations: (c.escalations ?? []).map((e) => ({ deadlineKey: e.deadlineKey, level: e.level, dueAt: e.dueAt.toISOString(), firedAt: e.firedAt.toISOString() })),
    assignee: c.assignee ? { userId: c.assignee, name: c.assigneeName ?? null, assignedBy: c.assignedBy, assignedAt: iso(c.assignedAt) } : null,
    ...(c.assignments ? { assignments: c.assignments.map((a) => ({ assignee: a.assignee, assignedBy: a.assignedBy, at: a.at.toISOString(), previous: a.previous })) } : {}),
    events: c.events
      ?.sort((a, b) => a.seq - b.seq)
      .map((e) => ({
        seq: e.seq,
        type: e.type,
        actor: e.actor,
        at: e.at.toISOString(),
        recordedAt: e.recordedAt.toISOString(),
        reason: e.reason,
        evidenceRef: e.evidenceRef,
        data: e.data,
      })),
  };
}

export function toPartyView(c: CaseRow & { deadlines?: Deadline[]; escalations?: Escalation[] }, unitId: string, actions: PartyCaseView['actions'], now: Date): PartyCaseView {
  const own = (c.deadlines ?? []).filter((d) => d.ownerUnit === unitId);
  const keys = new Set(own.map((d) => d.key));
  return {
    id: c.id,
    procedure: c.procedure,
    definitionVersion: c.definitionVersion,
    state: c.state,
    access: 'party',
    unitId: c.unitId,
    subject: maskedSubject(c),
    receivedAt: c.receivedAt.toISOString(),
    deadlines: own.sort((a, b) => a.startAt.getTime() - b.startAt.getTime() || a.key.localeCompare(b.key)).map((d) => toDeadlineView(d, now)),
    escalations: (c.escalations ?? [])
      .filter((e) => keys.has(e.deadlineKey))
      .map((e) => ({ deadlineKey: e.deadlineKey, level: e.level, dueAt: e.dueAt.toISOString(), firedAt: e.firedAt.toISOString() })),
    actions,
  };
}

/** A deadline in a list item: everything but its day-by-day explanation and its history (GET /cases/{id} has them). */
export type DeadlineSummary = Omit<DeadlineView, 'explanation' | 'previous'>;
/** An item of GET /cases: the case without its audit trail, its deadlines without explanation and history. */
export type CaseListItem = Omit<CaseView, 'deadlines' | 'events' | 'personalDataReads' | 'assignments'> & { deadlines: DeadlineSummary[] };
export type PartyCaseListItem = Omit<PartyCaseView, 'deadlines'> & { deadlines: DeadlineSummary[] };

const summary = ({ explanation: _explanation, previous: _previous, ...rest }: DeadlineView): DeadlineSummary => rest;

export function toCaseListItem(c: CaseRow & { assigneeName?: string | null; deadlines?: Deadline[]; escalations?: Escalation[] }, now: Date, access: CaseAccess): CaseListItem {
  const { events: _events, personalDataReads: _reads, assignments: _assignments, deadlines, ...rest } = toCaseView(c, now, access);
  return { ...rest, deadlines: deadlines.map(summary) };
}

export function toPartyListItem(c: CaseRow & { deadlines?: Deadline[]; escalations?: Escalation[] }, unitId: string, actions: PartyCaseView['actions'], now: Date): PartyCaseListItem {
  const view = toPartyView(c, unitId, actions, now);
  return { ...view, deadlines: view.deadlines.map(summary) };
}
