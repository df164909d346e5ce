import type { PrismaClient } from '@prisma/client';

/**
 * Without a delivery channel (NOTIFY_WEBHOOK_URL) nothing would ever read the outbox, yet the snapshot write (one SQL
 * function for every deployment) adds a message per escalation step: the worker drops the case's undelivered ones
 * right after. Scoped to the case it wrote, so a worker never touches messages of cases another worker writes; the
 * in-app inbox keeps every notification.
 */
export async function dropUndeliveredOutboxOf(prisma: PrismaClient, caseId: string): Promise<number> {
  return prisma.$executeRaw`DELETE FROM outbox WHERE delivered_at IS NULL AND channel = 'webhook' AND payload->>'caseId' = ${caseId}`;
}
