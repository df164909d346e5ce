import type { Case, CaseEvent, Deadline, Escalation, Prisma, PrismaClient } from '@prisma/client';
import type { CaseEventRecord, DeadlineState, EscalationRecord, Subject } from '../domain/case-model';
import type { KernelCase, KernelDeadline } from '../domain/kernel/ops';
import type { ObjectionCase } from '../domain/objection-review';
import { caseWorkflowId } from '../../workflows/contracts/case.contract';

/** What the read model stores of a case, whichever workflow type runs it. */
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

/** An objection-review case filed before the kernel (its own workflow type). */
export function legacyReadModel(c: ObjectionCase): ReadModelCase {
  return {
    ...c,
    details: {
      filedAt: c.filedAt,
      markedAt: c.markedAt,
      referral: c.referral,
      assistance: c.assistance,
      suspensions: c.suspensions,
      decision: c.decision,
      corrections: c.corrections,
    },
  };
}

export function kernelReadModel(c: KernelCase): ReadModelCase {
  return {
    ...c,
    details: { filedAt: c.filedAt, ...(c.data as Record<string, unknown>), suspensions: c.suspensions, actionReceipts: c.actionReceipts },
  };
}

export interface CaseRows {
  case: Case;
  deadlines: Deadline[];
  events: CaseEvent[];
  escalations: Escalation[];
}

const json = (v: unknown) => v as Prisma.JsonValue;
type RecordedEvent = CaseEventRecord & { recordedAt?: string };
type CompletedDeadline = { completionRecordedAt?: string | null };

/** The read-model rows of a case snapshot: what persistCaseSnapshot writes and what a response shows. */
export function caseRows(source: ReadModelCase | ObjectionCase, now = new Date()): CaseRows {
  const c = 'details' in source ? source : legacyReadModel(source);
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

/**
 * A case with its deadlines, audit events and escalations as of one instant: under READ COMMITTED a snapshot
 * committed between two of the reads would show escalations without their events. The reads run one after the
 * other because one pg connection cannot run queries concurrently (Prisma's `include` would).
 */
export function readCase(prisma: PrismaClient, caseId: string) {
  return prisma.$transaction(
    async (tx) => {
      const row = await tx.case.findUnique({ where: { id: caseId } });
      if (!row) return null;
      const deadlines = await tx.deadline.findMany({ where: { caseId } });
      const events = await tx.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } });
      const escalations = await tx.escalation.findMany({ where: { caseId } });
      return { ...row, deadlines, events, escalations };
    },
    { isolationLevel: 'RepeatableRead' },
  );
}

/** One page of cases and the total, both from one snapshot, for the same reasons as readCase. */
export function readCasePage(prisma: PrismaClient, where: Prisma.CaseWhereInput, limit: number, offset: number) {
  return prisma.$transaction(
    async (tx) => {
      const cases = await tx.case.findMany({ where, orderBy: [{ receivedAt: 'desc' }, { id: 'asc' }], take: limit, skip: offset });
      const ids = cases.map((c) => c.id);
      const deadlines = await tx.deadline.findMany({ where: { caseId: { in: ids } } });
      const escalations = await tx.escalation.findMany({ where: { caseId: { in: ids } } });
      const total = await tx.case.count({ where });
      const rows = cases.map((c) => ({
        ...c,
        deadlines: deadlines.filter((d) => d.caseId === c.id),
        escalations: escalations.filter((e) => e.caseId === c.id),
      }));
      return { rows, total };
    },
    { isolationLevel: 'RepeatableRead' },
  );
}

/**
 * Writes a case snapshot to the read model. Idempotent and order-safe: a snapshot whose revision is not newer
 * than the stored one only adds missing events and escalations (their keys are deterministic), so a retried or
 * late activity never duplicates or rolls back anything. One round trip: the steps run in the database function
 * persist_case_snapshot (prisma/migrations/20261127220000_persist_case_snapshot), under the per-case advisory lock.
 */
export async function persistCaseSnapshot(prisma: PrismaClient, c: ReadModelCase | ObjectionCase, credit: KernelCase['creditEffects'] = []): Promise<'written' | 'stale'> {
  const rows = caseRows(c);
  const snapshot = {
    case: caseRecord(rows.case),
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
export async function insertFiledCase(prisma: PrismaClient, c: ReadModelCase | ObjectionCase): Promise<void> {
  const rows = caseRows(c);
  const k = rows.case;
  await prisma.$executeRaw`
    WITH new_case AS (
      INSERT INTO cases (id, procedure, definition_version, variant, idempotency_key, workflow_id, state, outcome,
                         subject_kind, subject_name, subject_id_number, unit_id, received_at, closed_at, details, revision,
                         filed_by, parties)
      SELECT ${k.id}::uuid, ${k.procedure}, ${k.definitionVersion}, ${k.variant}, ${k.idempotencyKey}, ${k.workflowId},
             ${k.state}, ${k.outcome}, ${k.subjectKind}, ${k.subjectName}, ${k.subjectIdNumber}, ${k.unitId},
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

const caseRecord = (k: Case) => ({
  id: k.id,
  procedure: k.procedure,
  definition_version: k.definitionVersion,
  variant: k.variant,
  idempotency_key: k.idempotencyKey,
  workflow_id: k.workflowId,
  state: k.state,
  outcome: k.outcome,
  subject_kind: k.subjectKind,
  subject_name: k.subjectName,
  subject_id_number: k.subjectIdNumber,
  unit_id: k.unitId,
  received_at: k.receivedAt,
  closed_at: k.closedAt,
  details: k.details,
  revision: k.revision,
  updated_at: k.updatedAt,
  filed_by: k.filedBy,
  parties: k.parties,
});
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
