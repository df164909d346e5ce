import { Prisma, PrismaClient } from '@prisma/client';
import type { ObjectionCase } from '../domain/objection-review';

/**
 * Writes a case snapshot to the read model. Idempotent and order-safe: a snapshot whose revision is not newer
 * than the stored one changes nothing but missing events/escalations (their keys are deterministic).
 */
export async function persistCaseSnapshot(prisma: PrismaClient, c: ObjectionCase): Promise<'written' | 'stale'> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ revision: number }[]>`SELECT revision FROM cases WHERE id = ${c.caseId}::uuid FOR UPDATE`;
    const fresh = rows.length === 0 || rows[0].revision < c.revision;
    if (fresh) {
      const row = {
        procedure: c.procedure,
        definitionVersion: c.definitionVersion,
        variant: c.variant,
        state: c.state,
        outcome: c.outcome,
        subjectKind: c.subject.kind,
        subjectName: c.subject.name,
        subjectIdNumber: c.subject.idNumber,
        unitId: c.unitId,
        receivedAt: new Date(c.receivedAt),
        closedAt: c.closedAt ? new Date(c.closedAt) : null,
        details: {
          markedAt: c.markedAt,
          referral: c.referral,
          assistance: c.assistance,
          suspensions: c.suspensions,
          decision: c.decision,
          corrections: c.corrections,
          filedAt: c.filedAt,
        } as unknown as Prisma.InputJsonValue,
        revision: c.revision,
        updatedAt: new Date(),
      };
      if (rows.length === 0) {
        await tx.case.create({ data: { id: c.caseId, idempotencyKey: c.idempotencyKey, workflowId: `case-${c.caseId}`, ...row } });
      } else {
        await tx.case.update({ where: { id: c.caseId }, data: row });
      }
      for (const d of c.deadlines) {
        const data = {
          label: d.label,
          basis: d.basis,
          kind: d.kind,
          status: d.status,
          startAt: new Date(d.startAt),
          dueDate: d.dueDate,
          dueAt: d.dueAt ? new Date(d.dueAt) : null,
          provisional: d.provisional,
          calendarVersion: d.calendarVersion,
          explanation: { ...d.explanation, clock: d.clock, labelZh: d.labelZh, yellowAt: d.yellowAt } as unknown as Prisma.InputJsonValue,
          previous: d.previous as unknown as Prisma.InputJsonValue,
          completedAt: d.completedAt ? new Date(d.completedAt) : null,
          updatedAt: new Date(),
        };
        await tx.deadline.upsert({ where: { caseId_key: { caseId: c.caseId, key: d.key } }, create: { caseId: c.caseId, key: d.key, ...data }, update: data });
      }
    }
    {
      await tx.caseEvent.createMany({
        data: c.events.map((e) => ({
          id: `${c.caseId}:${e.seq}`,
          caseId: c.caseId,
          seq: e.seq,
          type: e.type,
          actor: e.actor,
          at: new Date(e.at),
          reason: e.reason ?? null,
          evidenceRef: e.evidenceRef ?? null,
          data: e.data as Prisma.InputJsonValue,
        })),
        skipDuplicates: true,
      });
      await tx.escalation.createMany({
        data: c.escalations.map((e) => ({
          caseId: c.caseId,
          deadlineKey: e.deadlineKey,
          level: e.level,
          dueAt: new Date(e.dueAt),
          firedAt: new Date(e.firedAt),
        })),
        skipDuplicates: true,
      });
    }
    return fresh ? 'written' : 'stale';
  });
}
