import { Prisma } from '@prisma/client';
import type { Case, CaseEvent, Deadline, Escalation, PrismaClient } from '@prisma/client';
import { OPEN_DEADLINE_STATUSES } from '../domain/case-model';
import type { CaseEventRecord, DeadlineState, EscalationRecord, Subject } from '../domain/case-model';
import type { KernelCase, KernelDeadline } from '../domain/kernel/ops';
import { caseWorkflowId } from '../domain/shared-names';
import { openSubject, sealSubject, type PersonalDataCipher } from '../infra/personal-data';

/** What the read model stores of a case. */
export interface ReadModelCase {
  caseId: string;
  idempotencyKey: string;
  procedure: string;
  definitionVersion: number;
  variant: string;
  unitId: string;
  subject: Subject;
  receivedAt: string;
  state: string;
  outcome: string | null;
  closedAt: string | null;
  revision: number;
  details: Record<string, unknown>;
  deadlines: (DeadlineState & Partial<Pick<KernelDeadline, 'owner' | 'reminders'>>)[];
  events: CaseEventRecord[];
  escalations: (EscalationRecord & { owner?: string; levelsUp?: number })[];
  /** Units involved besides the owner (assisting units): they see the part of the case they answer for. */
  parties?: string[];
}

export function kernelReadModel(c: KernelCase): ReadModelCase {
  return {
    ...c,
    details: { filedAt: c.filedAt, ...(c.data as Record<string, unknown>), suspensions: c.suspensions, actionReceipts: c.actionReceipts },
  };
}

/** A case row as the service sees it: the subject opened, its stored forms (decision 0021) left to this module. */
export type CaseRow = Omit<Case, 'subjectSealed' | 'subjectNameKey' | 'subjectIdKey' | 'legacySubjectName' | 'legacySubjectIdNumber'> & {
  subjectName: string;
  subjectIdNumber: string;
};

export interface CaseRows {
  case: CaseRow;
  deadlines: Deadline[];
  events: CaseEvent[];
  escalations: Escalation[];
}

const json = (v: unknown) => v as Prisma.JsonValue;
type RecordedEvent = CaseEventRecord & { recordedAt?: string };
type CompletedDeadline = { completionRecordedAt?: string | null };

/** The read-model rows of a case snapshot: what persistCaseSnapshot writes and what a response shows. */
export function caseRows(c: ReadModelCase, now = new Date()): CaseRows {
  return {
    case: {
      id: c.caseId,
      procedure: c.procedure,
      definitionVersion: c.definitionVersion,
      variant: c.variant,
      idempotencyKey: c.idempotencyKey,
      workflowId: caseWorkflowId(c.caseId),
      state: c.state,
      outcome: c.outcome,
      subjectKind: c.subject.kind,
      subjectName: c.subject.name,
      subjectIdNumber: c.subject.idNumber,
      unitId: c.unitId,
      receivedAt: new Date(c.receivedAt),
      closedAt: c.closedAt ? new Date(c.closedAt) : null,
      details: json(c.details),
      revision: c.revision,
      createdAt: now,
      updatedAt: now,
      filedBy: c.events.find((e) => e.type === 'case.filed')?.actor ?? 'caseworker',
      parties: c.parties ?? [],
      // Set by the database on the first insert (the filer) and by PUT /cases/{id}/assignee, never by a snapshot.
      assignee: null,
      assignedBy: null,
      assignedAt: null,
    },
    deadlines: c.deadlines.map((d) => ({
      caseId: c.caseId,
      key: d.key,
      label: d.label,
      basis: d.basis,
      kind: d.kind,
      status: d.status,
      startAt: new Date(d.startAt),
      dueDate: d.dueDate,
      dueAt: d.dueAt ? new Date(d.dueAt) : null,
      provisional: d.provisional,
      calendarVersion: d.calendarVersion,
      explanation: json({ ...d.explanation, clock: d.clock, labelZh: d.labelZh, yellowAt: d.yellowAt, ...(d.owner ? { owner: d.owner, reminders: d.reminders } : {}) }),
      previous: json(d.previous),
      completedAt: d.completedAt ? new Date(d.completedAt) : null,
      updatedAt: now,
      procedure: c.procedure,
      caseUnit: c.unitId,
      ownerUnit: d.owner && d.owner !== 'subject' ? d.owner : c.unitId,
      caseworker: c.events.find((e) => e.type === 'case.filed')?.actor ?? 'caseworker',
      yellowAt: d.yellowAt ? new Date(d.yellowAt) : null,
      completionRecordedAt: (d as CompletedDeadline).completionRecordedAt ? new Date((d as CompletedDeadline).completionRecordedAt!) : null,
    })),
    events: c.events.map((e) => ({
      id: `${c.caseId}:${e.seq}`,
      caseId: c.caseId,
      seq: e.seq,
      type: e.type,
      actor: e.actor,
      at: new Date(e.at),
      reason: e.reason ?? null,
      evidenceRef: e.evidenceRef ?? null,
      data: json(e.data),
      recordedAt: new Date((e as RecordedEvent).recordedAt ?? e.at),
    })),
    escalations: c.escalations.map((e) => ({
      caseId: c.caseId,
      deadlineKey: e.deadlineKey,
      level: e.level,
      dueAt: new Date(e.dueAt),
      firedAt: new Date(e.firedAt),
      ownerUnit: e.owner ?? null,
      levelsUp: e.levelsUp ?? 0,
    })),
  };
}

/** On every filing's path: raw SQL costs half of what the query builder does. */
export async function caseExists(prisma: PrismaClient, caseId: string): Promise<boolean> {
  const found = await prisma.$queryRaw<unknown[]>`SELECT 1 FROM cases WHERE id = ${caseId}::uuid`;
  return found.length > 0;
}

/** The assignee's name as the users table has it now (null: no assignee, or a user since removed). */
export type NamedAssignee = { assigneeName: string | null };
/** One change of a case's assignee (case_assignments), oldest first. */
export interface AssignmentRecord {
  assignee: string | null;
  assignedBy: string;
  at: Date;
  previous: string | null;
}
/** A case as the API reads it: the row with its deadlines, audit events, escalations and assignment history. */
export type StoredCase = CaseRow & NamedAssignee & { deadlines: Deadline[]; events: CaseEvent[]; escalations: Escalation[]; assignments: AssignmentRecord[] };
/** A case of a list page: no audit events, and deadlines without their day-by-day explanation and history. */
export type ListedCase = CaseRow & NamedAssignee & { deadlines: Deadline[]; escalations: Escalation[] };

/**
 * A case with its deadlines, audit events and escalations as of one instant. One statement is one snapshot in
 * PostgreSQL (its subqueries included), so a snapshot committed meanwhile is seen whole or not at all (never
 * escalations without their events), without an interactive transaction holding a pooled connection for four round
 * trips: under load, requests queue for a connection instead of failing to start a transaction.
 */
export async function readCase(prisma: PrismaClient, personalData: PersonalDataCipher, caseId: string): Promise<StoredCase | null> {
  const [found] = await prisma.$queryRaw<{ snapshot: string }[]>`
    SELECT json_build_object(
      'case', row_to_json(c),
      'deadlines', COALESCE((SELECT json_agg(d) FROM deadlines d WHERE d.case_id = c.id), '[]'),
      'events', COALESCE((SELECT json_agg(e ORDER BY e.seq) FROM case_events e WHERE e.case_id = c.id), '[]'),
      'escalations', COALESCE((SELECT json_agg(x) FROM escalations x WHERE x.case_id = c.id), '[]'),
      'assignments', COALESCE((SELECT json_agg(a ORDER BY a.id) FROM case_assignments a WHERE a.case_id = c.id), '[]'),
      'assigneeName', (SELECT u.name FROM users u WHERE u.id = c.assignee)
    )::text AS snapshot
    FROM cases c WHERE c.id = ${caseId}::uuid`;
  if (!found) return null;
  const parsed = JSON.parse(found.snapshot) as { case: JsonRow; deadlines: JsonRow[]; events: JsonRow[]; escalations: JsonRow[]; assignments: JsonRow[]; assigneeName: string | null };
  return {
    ...caseFromJson(parsed.case, personalData),
    assigneeName: parsed.assigneeName,
    deadlines: parsed.deadlines.map(deadlineFromJson),
    events: parsed.events.map(eventFromJson),
    escalations: parsed.escalations.map(escalationFromJson),
    assignments: parsed.assignments.map((a) => ({ assignee: textOrNull(a.assignee), assignedBy: text(a.assigned_by), at: instant(a.at), previous: textOrNull(a.previous) })),
  };
}

/** Who may see a case's subject, and the subject opened: for the read of its unmasked personal data. */
export async function readSubject(
  prisma: PrismaClient,
  personalData: PersonalDataCipher,
  caseId: string,
): Promise<Pick<CaseRow, 'unitId' | 'parties' | 'subjectKind' | 'subjectName' | 'subjectIdNumber'> | null> {
  const [row] = await prisma.$queryRaw<JsonRow[]>`
    SELECT unit_id, parties, subject_kind, subject_sealed, legacy_subject_name, legacy_subject_id_number FROM cases WHERE id = ${caseId}::uuid`;
  if (!row) return null;
  const subject = subjectOf(row, personalData);
  return { unitId: text(row.unit_id), parties: row.parties as string[], subjectKind: text(row.subject_kind), subjectName: subject.name, subjectIdNumber: subject.idNumber };
}

/** What a list may be narrowed to; units absent: every unit (administrators). */
export interface CasePageFilter {
  /** The units whose cases the reader sees, and the reader's unit, which sees the cases it is a party to. */
  scope?: { units: string[]; partyUnit: string };
  procedure?: string;
  state?: string;
  /** true: some open deadline is due by `now`; false: none is. */
  overdue?: boolean;
  dueBefore?: Date;
  /** Search: a case number (the first 8+ characters of its id), the subject's full name, credit code or ID number. */
  q?: string;
  /** true: only cases not closed. */
  open?: boolean;
  /** A user id (their cases), or null: the cases nobody is assigned. */
  assignee?: string | null;
  /** `received` (newest received first, the default) or `due` (nearest open deadline first; none last). */
  sort?: 'received' | 'due';
  now: Date;
}

function pageWhere(f: CasePageFilter, personalData: PersonalDataCipher): Prisma.Sql {
  const open = Prisma.sql`d.status IN (${Prisma.join(OPEN_DEADLINE_STATUSES)})`;
  const dueBy = (at: Date) => Prisma.sql`EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = c.id AND ${open} AND d.due_at <= ${at}::timestamptz)`;
  const and: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (f.scope) and.push(Prisma.sql`(c.unit_id = ANY(${f.scope.units}::text[]) OR c.parties @> ARRAY[${f.scope.partyUnit}]::text[])`);
  if (f.procedure !== undefined) and.push(Prisma.sql`c.procedure = ${f.procedure}`);
  if (f.state !== undefined) and.push(Prisma.sql`c.state = ${f.state}`);
  if (f.overdue === true) and.push(dueBy(f.now));
  if (f.overdue === false) and.push(Prisma.sql`NOT ${dueBy(f.now)}`);
  if (f.dueBefore) and.push(dueBy(f.dueBefore));
  if (f.open === true) and.push(Prisma.sql`c.closed_at IS NULL`);
  if (f.assignee === null) and.push(Prisma.sql`c.assignee IS NULL`);
  if (typeof f.assignee === 'string') and.push(Prisma.sql`c.assignee = ${f.assignee}`);
  if (f.q !== undefined) and.push(searchWhere(f.q, personalData));
  return Prisma.join(and, ' AND ');
}

/**
 * Exact matches only, each answered by an index: a case number is a prefix of the id (ids are UUIDs, the first 8
 * characters are what the app shows), names and identifiers are whole (an ID number or credit code in any letter
 * case), a file number is the whole evidenceRef of the filing or a step. Exact, not partial: the name and ID number
 * are stored encrypted, found by their keyed hashes under each key of the ring (decision 0021).
 */
function searchWhere(q: string, personalData: PersonalDataCipher): Prisma.Sql {
  const text = q.trim();
  const or: Prisma.Sql[] = [
    Prisma.sql`c.subject_name_key = ANY(${personalData.lookupKeys('name', text)}::text[])`,
    Prisma.sql`c.subject_id_key = ANY(${personalData.lookupKeys('id', text)}::text[])`,
    // A paper file number: the evidenceRef of the filing or of any step (a decision's document number, a receipt).
    Prisma.sql`c.id IN (SELECT e.case_id FROM case_events e WHERE e.evidence_ref = ${text})`,
  ];
  if (/^[0-9a-f]{8}(-[0-9a-f]{0,4}){0,4}[0-9a-f]{0,12}$/i.test(text) && text.length <= 36) {
    or.push(Prisma.sql`(c.id >= ${padUuid(text, '0')}::uuid AND c.id <= ${padUuid(text, 'f')}::uuid)`);
  }
  return Prisma.sql`(${Prisma.join(or, ' OR ')})`;
}

/** The lowest or highest UUID starting with `prefix` (dashes where a UUID has them). */
function padUuid(prefix: string, fill: '0' | 'f'): string {
  const hex = prefix.replace(/-/g, '').toLowerCase().padEnd(32, fill);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One page of cases (newest received first) and the total, from one snapshot for the same reasons as readCase. The
 * deadlines come without their explanation and history (all but the owner named in it): a list stays small.
 */
export async function readCasePage(prisma: PrismaClient, personalData: PersonalDataCipher, filter: CasePageFilter, limit: number, offset: number): Promise<{ rows: ListedCase[]; total: number }> {
  const where = pageWhere(filter, personalData);
  const sortDue =
    filter.sort === 'due'
      ? Prisma.sql`(SELECT min(d.due_at) FROM deadlines d WHERE d.case_id = c.id AND d.status IN (${Prisma.join(OPEN_DEADLINE_STATUSES)}))`
      : Prisma.sql`NULL::timestamptz`;
  const [found] = await prisma.$queryRaw<{ total: number; page: string }[]>`
    SELECT (SELECT count(*)::int FROM cases c WHERE ${where}) AS total,
      COALESCE((
        SELECT json_agg(json_build_object(
          'case', row_to_json(p),
          'deadlines', COALESCE((
            SELECT json_agg(d) FROM (
              SELECT d.case_id, d.key, d.label, d.basis, d.kind, d.status, d.start_at, d.due_date, d.due_at, d.provisional,
                     d.calendar_version, d.completed_at, d.updated_at, d.procedure, d.case_unit, d.owner_unit, d.caseworker,
                     d.yellow_at, d.completion_recorded_at,
                     CASE WHEN d.explanation ? 'owner' THEN jsonb_build_object('owner', d.explanation->'owner') ELSE '{}' END AS explanation
              FROM deadlines d WHERE d.case_id = p.id) d), '[]'),
          'escalations', COALESCE((SELECT json_agg(x) FROM escalations x WHERE x.case_id = p.id), '[]'),
          'assigneeName', (SELECT u.name FROM users u WHERE u.id = p.assignee)
        ) ORDER BY p.sort_due NULLS LAST, p.received_at DESC, p.id)
        FROM (SELECT c.*, ${sortDue} AS sort_due FROM cases c WHERE ${where} ORDER BY sort_due NULLS LAST, c.received_at DESC, c.id LIMIT ${limit} OFFSET ${offset}) p
      ), '[]')::text AS page`;
  const page = JSON.parse(found.page) as { case: JsonRow; deadlines: JsonRow[]; escalations: JsonRow[]; assigneeName: string | null }[];
  return {
    total: found.total,
    rows: page.map((r) => ({ ...caseFromJson(r.case, personalData), assigneeName: r.assigneeName, deadlines: r.deadlines.map(deadlineFromJson), escalations: r.escalations.map(escalationFromJson) })),
  };
}

/** A row as row_to_json gives it: column names, timestamps as ISO text. */
type JsonRow = Record<string, unknown>;
const text = (v: unknown) => v as string;
const textOrNull = (v: unknown) => (v ?? null) as string | null;
const instant = (v: unknown) => new Date(v as string);
const instantOrNull = (v: unknown) => (v == null ? null : new Date(v as string));

/** The subject columns of a cases row read by raw SQL (subject_kind, subject_sealed and the legacy clear columns). */
export type StoredSubjectColumns = { subject_kind: string; subject_sealed: string | null; legacy_subject_name: string | null; legacy_subject_id_number: string | null };

/** The subject of a cases row read by raw SQL, opened. */
export function storedSubject(personalData: PersonalDataCipher, r: StoredSubjectColumns): Pick<CaseRow, 'subjectKind' | 'subjectName' | 'subjectIdNumber'> {
  const subject = subjectOf(r, personalData);
  return { subjectKind: r.subject_kind, subjectName: subject.name, subjectIdNumber: subject.idNumber };
}

/** The subject of a stored row; a row from before decision 0021 not yet converted still has it in clear. */
function subjectOf(r: JsonRow, personalData: PersonalDataCipher): { name: string; idNumber: string } {
  if (typeof r.subject_sealed === 'string') return openSubject(personalData, r.subject_sealed);
  return { name: text(r.legacy_subject_name), idNumber: text(r.legacy_subject_id_number) };
}

function caseFromJson(r: JsonRow, personalData: PersonalDataCipher): CaseRow {
  const subject = subjectOf(r, personalData);
  return {
    id: text(r.id),
    procedure: text(r.procedure),
    definitionVersion: r.definition_version as number,
    variant: text(r.variant),
    idempotencyKey: text(r.idempotency_key),
    workflowId: text(r.workflow_id),
    state: text(r.state),
    outcome: textOrNull(r.outcome),
    subjectKind: text(r.subject_kind),
    subjectName: subject.name,
    subjectIdNumber: subject.idNumber,
    unitId: text(r.unit_id),
    receivedAt: instant(r.received_at),
    closedAt: instantOrNull(r.closed_at),
    details: json(r.details),
    revision: r.revision as number,
    filedBy: text(r.filed_by),
    parties: (r.parties ?? []) as string[],
    assignee: textOrNull(r.assignee),
    assignedBy: textOrNull(r.assigned_by),
    assignedAt: instantOrNull(r.assigned_at),
    createdAt: instant(r.created_at),
    updatedAt: instant(r.updated_at),
  };
}

function deadlineFromJson(r: JsonRow): Deadline {
  return {
    caseId: text(r.case_id),
    key: text(r.key),
    label: text(r.label),
    basis: text(r.basis),
    kind: text(r.kind),
    status: text(r.status),
    startAt: instant(r.start_at),
    dueDate: textOrNull(r.due_date),
    dueAt: instantOrNull(r.due_at),
    provisional: r.provisional as boolean,
    calendarVersion: text(r.calendar_version),
    explanation: json(r.explanation),
    previous: json(r.previous ?? []),
    completedAt: instantOrNull(r.completed_at),
    updatedAt: instant(r.updated_at),
    procedure: text(r.procedure),
    caseUnit: text(r.case_unit),
    ownerUnit: text(r.owner_unit),
    caseworker: text(r.caseworker),
    yellowAt: instantOrNull(r.yellow_at),
    completionRecordedAt: instantOrNull(r.completion_recorded_at),
  };
}

function eventFromJson(r: JsonRow): CaseEvent {
  return {
    id: text(r.id),
    caseId: text(r.case_id),
    seq: r.seq as number,
    type: text(r.type),
    actor: text(r.actor),
    at: instant(r.at),
    reason: textOrNull(r.reason),
    evidenceRef: textOrNull(r.evidence_ref),
    data: json(r.data),
    recordedAt: instant(r.recorded_at),
  };
}

function escalationFromJson(r: JsonRow): Escalation {
  return {
    caseId: text(r.case_id),
    deadlineKey: text(r.deadline_key),
    level: text(r.level),
    dueAt: instant(r.due_at),
    firedAt: instant(r.fired_at),
    ownerUnit: textOrNull(r.owner_unit),
    levelsUp: r.levels_up as number,
  };
}

/**
 * Writes a case snapshot to the read model. Idempotent and order-safe: a snapshot whose revision is not newer
 * than the stored one only adds missing events and escalations (their keys are deterministic), so a retried or
 * late activity never duplicates or rolls back anything. One round trip: the steps run in the database function
 * persist_case_snapshot (prisma/migrations/20261127220000_persist_case_snapshot), under the per-case advisory lock.
 */
export async function persistCaseSnapshot(prisma: PrismaClient, personalData: PersonalDataCipher, c: ReadModelCase, credit: KernelCase['creditEffects'] = []): Promise<'written' | 'stale'> {
  const rows = caseRows(c);
  const snapshot = {
    case: caseRecord(rows.case, personalData),
    deadlines: rows.deadlines.map(deadlineRecord),
    events: rows.events.map(eventRecord),
    escalations: rows.escalations.map(escalationRecord),
    credit: credit.map((e) => ({ id: `${c.caseId}:${e.seq}`, kind: e.kind, at: e.at, until: e.until ?? null, data: e.data })),
  };
  const [{ outcome }] = await prisma.$queryRaw<{ outcome: 'written' | 'stale' }[]>`
    SELECT persist_case_snapshot(${JSON.stringify(snapshot)}::jsonb) AS outcome`;
  return outcome;
}

/**
 * The API's write of a newly filed case: one statement (one round trip), inserting only if no writer got there
 * first. It takes the same per-case advisory lock as persistCaseSnapshot, so the two never interleave.
 */
export async function insertFiledCase(prisma: PrismaClient, personalData: PersonalDataCipher, c: ReadModelCase): Promise<void> {
  const rows = caseRows(c);
  const k = rows.case;
  const sealed = sealSubject(personalData, { name: k.subjectName, idNumber: k.subjectIdNumber });
  await prisma.$executeRaw`
    WITH new_case AS (
      INSERT INTO cases (id, procedure, definition_version, variant, idempotency_key, workflow_id, state, outcome,
                         subject_kind, subject_sealed, subject_name_key, subject_id_key, unit_id, received_at, closed_at, details, revision,
                         filed_by, parties)
      SELECT ${k.id}::uuid, ${k.procedure}, ${k.definitionVersion}, ${k.variant}, ${k.idempotencyKey}, ${k.workflowId},
             ${k.state}, ${k.outcome}, ${k.subjectKind}, ${sealed.subjectSealed}, ${sealed.subjectNameKey}, ${sealed.subjectIdKey}, ${k.unitId},
             ${k.receivedAt}::timestamptz, ${k.closedAt}::timestamptz, ${JSON.stringify(k.details)}::jsonb, ${k.revision},
             ${k.filedBy}, ${k.parties}::text[]
      FROM (SELECT pg_advisory_xact_lock(hashtext(${k.id}))) AS serialised
      ON CONFLICT (id) DO NOTHING
      RETURNING id
    ), new_deadlines AS (
      INSERT INTO deadlines (case_id, key, label, basis, kind, status, start_at, due_date, due_at, provisional,
                             calendar_version, explanation, previous, completed_at, procedure, case_unit, owner_unit,
                             caseworker, yellow_at, completion_recorded_at)
      SELECT n.id, d.key, d.label, d.basis, d.kind, d.status, d.start_at, d.due_date, d.due_at, d.provisional,
             d.calendar_version, d.explanation, d.previous, d.completed_at, ${k.procedure}, ${k.unitId}, d.owner_unit,
             ${k.filedBy}, d.yellow_at, d.completion_recorded_at
      FROM new_case n, jsonb_to_recordset(${JSON.stringify(rows.deadlines.map(deadlineRecord))}::jsonb) AS d(
        key text, label text, basis text, kind text, status text, start_at timestamptz, due_date text,
        due_at timestamptz, provisional boolean, calendar_version text, explanation jsonb, previous jsonb, completed_at timestamptz,
        owner_unit text, yellow_at timestamptz, completion_recorded_at timestamptz)
    ), new_escalations AS (
      INSERT INTO escalations (case_id, deadline_key, level, due_at, fired_at, owner_unit, levels_up)
      SELECT n.id, e.deadline_key, e.level, e.due_at, e.fired_at, e.owner_unit, e.levels_up
      FROM new_case n, jsonb_to_recordset(${JSON.stringify(rows.escalations.map(escalationRecord))}::jsonb) AS e(
        deadline_key text, level text, due_at timestamptz, fired_at timestamptz, owner_unit text, levels_up int)
    )
    INSERT INTO case_events (id, case_id, seq, type, actor, at, reason, evidence_ref, data, recorded_at)
    SELECT e.id, n.id, e.seq, e.type, e.actor, e.at, e.reason, e.evidence_ref, e.data, e.recorded_at
    FROM new_case n, jsonb_to_recordset(${JSON.stringify(rows.events.map(eventRecord))}::jsonb) AS e(
      id text, seq int, type text, actor text, at timestamptz, reason text, evidence_ref text, data jsonb, recorded_at timestamptz)`;
}

/**
 * Sets a case's assignee if it is still `expected` (null: unassigned), with its history row, in one statement; false:
 * someone changed it meanwhile (the caller decides again on what is there now).
 */
export async function reassignCase(prisma: PrismaClient, caseId: string, expected: string | null, assignee: string | null, by: string, at: Date): Promise<boolean> {
  const written = await prisma.$queryRaw<unknown[]>`
    WITH changed AS (
      UPDATE cases SET assignee = ${assignee}, assigned_by = ${by}, assigned_at = ${at}::timestamptz
      WHERE id = ${caseId}::uuid AND assignee IS NOT DISTINCT FROM ${expected}::text
      RETURNING id
    )
    INSERT INTO case_assignments (case_id, assignee, assigned_by, at, previous)
    SELECT id, ${assignee}, ${by}, ${at}::timestamptz, ${expected}::text FROM changed
    RETURNING id`;
  return written.length > 0;
}

const caseRecord = (k: CaseRow, personalData: PersonalDataCipher) => {
  const sealed = sealSubject(personalData, { name: k.subjectName, idNumber: k.subjectIdNumber });
  return {
  id: k.id,
  procedure: k.procedure,
  definition_version: k.definitionVersion,
  variant: k.variant,
  idempotency_key: k.idempotencyKey,
  workflow_id: k.workflowId,
  state: k.state,
  outcome: k.outcome,
  subject_kind: k.subjectKind,
  subject_sealed: sealed.subjectSealed,
  subject_name_key: sealed.subjectNameKey,
  subject_id_key: sealed.subjectIdKey,
  unit_id: k.unitId,
  received_at: k.receivedAt,
  closed_at: k.closedAt,
  details: k.details,
  revision: k.revision,
  updated_at: k.updatedAt,
  filed_by: k.filedBy,
  parties: k.parties,
  };
};
const deadlineRecord = (d: Deadline) => ({
  key: d.key,
  label: d.label,
  basis: d.basis,
  kind: d.kind,
  status: d.status,
  start_at: d.startAt,
  due_date: d.dueDate,
  due_at: d.dueAt,
  provisional: d.provisional,
  calendar_version: d.calendarVersion,
  explanation: d.explanation,
  previous: d.previous,
  completed_at: d.completedAt,
  owner_unit: d.ownerUnit,
  yellow_at: d.yellowAt,
  completion_recorded_at: d.completionRecordedAt,
});
const escalationRecord = (e: Escalation) => ({
  deadline_key: e.deadlineKey,
  level: e.level,
  due_at: e.dueAt,
  fired_at: e.firedAt,
  owner_unit: e.ownerUnit,
  levels_up: e.levelsUp,
});
const eventRecord = (e: CaseEvent) => ({
  id: e.id,
  seq: e.seq,
  type: e.type,
  actor: e.actor,
  at: e.at,
  reason: e.reason,
  evidence_ref: e.evidenceRef,
  data: e.data,
  recorded_at: e.recordedAt,
});
