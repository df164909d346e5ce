import type { PrismaClient } from '@prisma/client';
import { retryDelayMs, signWebhook, WebhookSettings } from '../src/notifications/webhook';

export interface NotificationDeps {
  prisma: PrismaClient;
  webhook?: WebhookSettings;
}

interface OutboxRow {
  id: string;
  payload: unknown;
  attempts: number;
}

/** How long a claimed message stays invisible to other dispatchers while this one sends it. */
const LEASE_MS = 60_000;
const BATCH = 50;

export function createNotificationActivities({ prisma, webhook }: NotificationDeps) {
  return {
    /**
     * Sends the outbox messages due at `asOf` (the dispatcher workflow's clock) to the webhook. A message is marked
     * delivered only after a 2xx answer; a failure schedules the next attempt with backoff and never blocks a case:
     * cases write the outbox, this activity alone reads it. Returns when the next message falls due.
     */
    async deliverDueNotifications({ asOf }: { asOf: string }): Promise<{ delivered: number; failed: number; nextDueAt: string | null }> {
      let delivered = 0;
      let failed = 0;
      if (webhook) {
        const now = new Date(asOf);
        const claimed = await prisma.$queryRaw<OutboxRow[]>`
          UPDATE outbox SET next_attempt_at = ${new Date(now.getTime() + LEASE_MS)}
          WHERE id IN (
            SELECT id FROM outbox WHERE delivered_at IS NULL AND channel = 'webhook' AND next_attempt_at <= ${now}
            ORDER BY next_attempt_at, id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
          RETURNING id, payload, attempts`;
        for (const row of claimed) {
          const error = await post(webhook, row);
          if (error === null) {
            await prisma.$executeRaw`UPDATE outbox SET delivered_at = ${new Date(asOf)}, attempts = attempts + 1, last_error = NULL WHERE id = ${row.id}`;
            delivered += 1;
          } else {
            const next = new Date(now.getTime() + retryDelayMs(row.attempts + 1));
            await prisma.$executeRaw`UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ${next}, last_error = ${error.slice(0, 500)} WHERE id = ${row.id}`;
            failed += 1;
          }
        }
      }
      const [{ next }] = await prisma.$queryRaw<{ next: Date | null }[]>`
        SELECT min(next_attempt_at) AS next FROM outbox WHERE delivered_at IS NULL AND channel = 'webhook'`;
      return { delivered, failed, nextDueAt: next?.toISOString() ?? null };
    },
  };
}

async function post(webhook: WebhookSettings, row: OutboxRow): Promise<string | null> {
  const body = JSON.stringify({ id: row.id, ...(row.payload as Record<string, unknown>) });
  try {
    const res = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-ldl-message-id': row.id,
        'x-ldl-attempt': String(row.attempts + 1),
        'x-ldl-signature': signWebhook(webhook.secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
      signal: AbortSignal.timeout(webhook.timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok ? null : `HTTP ${res.status}`;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}
