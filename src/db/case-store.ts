import type { Case, CaseEvent, Deadline, Escalation, Prisma, PrismaClient } from '@prisma/client';
import type { ObjectionCase } from '../domain/objection-review';

export interface CaseRows {
  case: Case;
  deadlines: Deadline[];
  events: CaseEvent[];
  escalations: Escalation[];
}

const json = (v: unknown) => v as Prisma.JsonValue;

/** The read-model rows of a case snapshot: what persistCaseSnapshot writes and what a response shows. */
export function caseRows(c: ObjectionCase, now = new Date()): CaseRows {
  return {
    case: {
      id: c.caseId,
      procedure: c.procedure,
      definitionVersion: c.definitionVersion,
      variant: c.variant,
      idempotencyKey: c.idempotencyKey,
      workflowId: `case-${c.caseId}`,
      state: c.state,
      outcome: c.outcome,
      subjectKind: c.subject.kind,
      subjectName: c.subject.name,
      subjectIdNumber: c.subject.idNumber,
      unitId: c.unitId,
      receivedAt: new Date(c.receivedAt),
      closedAt: c.closedAt ? new Date(c.closedAt) : null,
      details: json({
        filedAt: c.filedAt,
        markedAt: c.markedAt,
        referral: c.referral,
        assistance: c.assistance,
        suspensions: c.suspensions,
        decision: c.decision,
        corrections: c.corrections,
      }),
      revision: c.revision,
      createdAt: now,
      updatedAt: now,
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
      explanation: json({ ...d.explanation, clock: d.clock, labelZh: d.labelZh, yellowAt: d.yellowAt }),
      previous: json(d.previous),
      completedAt: d.completedAt ? new Date(d.completedAt) : null,
      updatedAt: now,
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
    })),
    escalations: c.escalations.map((e) => ({
      caseId: c.caseId,
      deadlineKey: e.deadlineKey,
      level: e.level,
      dueAt: new Date(e.dueAt),
      firedAt: new Date(e.firedAt),
    })),
  };
}

/**
 * Writes a case snapshot to the read model. Idempotent and order-safe: a snapshot whose revision is not newer
 * than the stored one only adds missing events and escalations (their keys are deterministic), so a retried or
 * late activity never duplicates or rolls back anything.
 */
export async function persistCaseSnapshot(prisma: PrismaClient, c: ObjectionCase): Promise<'written' | 'stale'> {
  const rows = caseRows(c);
  const asInput = <T>(v: T) => v as unknown as Prisma.InputJsonValue;
  return prisma.$transaction(async (tx) => {
    // Serialises writers of one case even before its row exists (the API and the workflow both write the first one).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${c.caseId}))`;
    const stored = await tx.case.findUnique({ where: { id: c.caseId }, select: { revision: true } });
    const fresh = stored === null || stored.revision < c.revision;
    if (fresh) {
      const { id: _id, createdAt: _created, ...row } = rows.case;
      const data = { ...row, details: asInput(row.details) };
      if (stored === null) await tx.case.create({ data: { id: c.caseId, ...data } });
      else await tx.case.update({ where: { id: c.caseId }, data });
      await tx.deadline.deleteMany({ where: { caseId: c.caseId } });
      await tx.deadline.createMany({
        data: rows.deadlines.map((d) => ({ ...d, explanation: asInput(d.explanation), previous: asInput(d.previous) })),
      });
    }
    await tx.caseEvent.createMany({ data: rows.events.map((e) => ({ ...e, data: asInput(e.data) })), skipDuplicates: true });
    if (rows.escalations.length) await tx.escalation.createMany({ data: rows.escalations, skipDuplicates: true });
    return fresh ? 'written' : 'stale';
  });
}
